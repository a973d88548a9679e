from django.shortcuts import render

from program.selectors import program_list_open


def home(request):
    return render(request, "program/home.html", {"programs": program_list_open()})
