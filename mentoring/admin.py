from django.contrib import admin

from mentoring.models import Mentor, MentoringAssignment, MentoringSession


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "sponsor", "supplier", "affiliation", "capacity", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "affiliation", "user__username")
    list_select_related = ("user", "sponsor", "supplier")
    autocomplete_fields = ("user", "sponsor", "supplier")


@admin.register(MentoringAssignment)
class MentoringAssignmentAdmin(admin.ModelAdmin):
    list_display = ("mentor", "application", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("mentor__name", "application__title", "application__company__name")
    list_select_related = ("mentor", "application")
    autocomplete_fields = ("mentor", "application", "assigned_by")

    def get_queryset(self, request):
        # __str__ names the mentor and the application: also on the session autocomplete answers.
        return super().get_queryset(request).select_related("mentor", "application")


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    list_display = ("held_on", "assignment", "hours", "mode", "logged_by")
    list_filter = ("mode",)
    search_fields = ("assignment__mentor__name", "assignment__application__title", "notes")
    # The assignment's __str__ names its mentor and application.
    list_select_related = ("assignment__mentor", "assignment__application", "logged_by")
    autocomplete_fields = ("assignment", "logged_by")
    date_hierarchy = "held_on"
