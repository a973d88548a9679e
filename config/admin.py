from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    """Django admin is for superusers only: program staff work in the product's own pages."""

    site_header = _("상생형 스마트공장 관리자")
    site_title = _("상생형 스마트공장 관리자")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only services may write (money, audit): admin shows them and nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
