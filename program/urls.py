from django.urls import path

from program.views import inbox, public, staff

app_name = "program"

urlpatterns = [
    path("", public.home, name="home"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", inbox.inbox_open, name="inbox-open"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox-read-all"),
    path("staff/programs/", staff.program_list, name="staff-programs"),
    path("staff/programs/new/", staff.program_edit, name="staff-program-new"),
    path("staff/programs/<int:pk>/", staff.program_edit, name="staff-program-edit"),
    path("staff/programs/<int:pk>/copy/", staff.program_copy, name="staff-program-copy"),
    path("staff/audit/", staff.audit_events, name="staff-audit"),
    path("staff/audit/export.xlsx", staff.audit_export, name="staff-audit-export"),
    path("programs/<int:pk>/", public.announcement, name="announcement"),
    path("programs/<int:pk>/files/<int:file_pk>/", public.announcement_file, name="announcement-file"),
]
