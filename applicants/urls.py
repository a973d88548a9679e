from django.urls import path, re_path

from applicants.views import applicant, evaluator, staff

app_name = "applicants"

urlpatterns = [
    path("evaluations/", evaluator.assignments, name="evaluations"),
    path("evaluations/<int:pk>/", evaluator.evaluate, name="evaluate"),
    path("my/", applicant.my_applications, name="my"),
    path("my/applications/<int:pk>/", applicant.my_detail, name="my-detail"),
    path("my/applications/<int:pk>/transition/", applicant.my_transition, name="my-transition"),
    path("staff/applications/", staff.queue, name="staff-queue"),
    path("staff/applications/bulk/", staff.bulk, name="staff-bulk"),
    re_path(r"^staff/applications/export\.(?P<fmt>csv|xlsx)$", staff.export, name="staff-export"),
    path("staff/applications/<int:pk>/", staff.detail, name="staff-detail"),
    path("staff/applications/<int:pk>/transition/", staff.transition, name="staff-transition"),
]
