from django.urls import path, re_path

from applicants.views import staff

app_name = "applicants"

urlpatterns = [
    path("staff/applications/", staff.queue, name="staff-queue"),
    path("staff/applications/bulk/", staff.bulk, name="staff-bulk"),
    re_path(r"^staff/applications/export\.(?P<fmt>csv|xlsx)$", staff.export, name="staff-export"),
    path("staff/applications/<int:pk>/", staff.detail, name="staff-detail"),
    path("staff/applications/<int:pk>/transition/", staff.transition, name="staff-transition"),
]
