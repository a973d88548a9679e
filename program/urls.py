from django.urls import path

from program.views import public

app_name = "program"

urlpatterns = [
    path("", public.home, name="home"),
]
