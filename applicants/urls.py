from django.urls import path, re_path

from applicants.views import applicant, apply, bans, evaluator, staff
from applicants.views import messages as thread

app_name = "applicants"

urlpatterns = [
    path("apply/", apply.start, name="apply"),
    path("apply/signup/", apply.signup, name="apply-signup"),
    path("apply/signup/sent/", apply.signup_sent, name="apply-signup-sent"),
    path(
        "apply/signup/activate/<str:uidb64>/<str:token>/",
        apply.signup_activate,
        name="apply-signup-activate",
    ),
    path("apply/company/", apply.company, name="apply-company"),
    path("apply/new/", apply.new, name="apply-new"),
    re_path(r"^apply/(?P<pk>[0-9]+)/(?P<step>basics|plan|documents|review)/$", apply.step, name="apply-step"),
    path(
        "apply/<int:pk>/documents/<int:attachment_pk>/delete/",
        apply.attachment_delete,
        name="apply-attachment-delete",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        apply.attachment_download,
        name="attachment-download",
    ),
    path("evaluations/", evaluator.assignments, name="evaluations"),
    path("evaluations/<int:pk>/", evaluator.evaluate, name="evaluate"),
    path("my/", applicant.my_applications, name="my"),
    path("my/applications/<int:pk>/", applicant.my_detail, name="my-detail"),
    path("my/applications/<int:pk>/transition/", applicant.my_transition, name="my-transition"),
    path("my/applications/<int:pk>/receipt/", applicant.my_receipt, name="my-receipt"),
    path("staff/applications/", staff.queue, name="staff-queue"),
    path("staff/applications/bulk/", staff.bulk, name="staff-bulk"),
    re_path(r"^staff/applications/export\.(?P<fmt>csv|xlsx)$", staff.export, name="staff-export"),
    path("staff/applications/<int:pk>/", staff.detail, name="staff-detail"),
    path("staff/applications/<int:pk>/transition/", staff.transition, name="staff-transition"),
    path("staff/applications/<int:pk>/evaluators/", staff.assign_evaluator, name="staff-assign-evaluator"),
    # The application page's panels alone (applicants/panels.py); each app routes its own.
    path("staff/applications/<int:pk>/panels/documents/", staff.documents_panel, name="documents-panel"),
    path(
        "staff/applications/<int:pk>/panels/evaluations/", staff.evaluations_panel, name="evaluations-panel"
    ),
    # 문의·답변 (SPEC §19): each side posts from its own page; a message's file to whoever reads it.
    path("staff/applications/<int:pk>/messages/", thread.staff_post, name="staff-messages"),
    path("my/applications/<int:pk>/messages/", thread.my_post, name="my-messages"),
    path(
        "applications/<int:pk>/messages/files/<int:attachment_pk>/",
        thread.attachment_download,
        name="message-attachment-download",
    ),
    *bans.urlpatterns,
]
