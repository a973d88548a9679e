from django.shortcuts import render

from program.home import home_section_html, home_sections
from program.selectors import program_list_open


def home(request):
    """`/`: signed out, the open programs and sign-in; signed in, the role's home (program/home.py)."""
    if request.user.is_authenticated:
        sections = [(s, home_section_html(request, s)) for s in home_sections(request)]
        return render(request, "program/home/home.html", {"sections": sections})
    return render(request, "program/home.html", {"programs": program_list_open()})
