from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Consent, User
from accounts.otp import otp_reset
from config.admin import ReadOnlyAdmin

_AFFILIATION = ("role", "agency", "company", "sponsor")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    # The role and its affiliation are asked on the add page too: the database refuses a sponsor
    # user without a sponsor, so it cannot be filled in afterwards.
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("역할과 소속"), {"fields": _AFFILIATION}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("역할과 소속"), {"fields": _AFFILIATION}))
    list_display = (
        "username",
        "email",
        "get_full_name",
        "role",
        "agency",
        "company",
        "sponsor",
        "is_active",
        "is_superuser",
    )
    list_filter = ("role", "agency", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name", "company__name", "sponsor__name")
    list_select_related = ("agency", "company", "sponsor")
    autocomplete_fields = ("company", "sponsor")

    def get_queryset(self, request):
        # The manager already joins the agency, and the changelist applies list_select_related only
        # to a queryset that joins nothing yet: join the rest here.
        return super().get_queryset(request).select_related(*self.list_select_related)

    actions = ["two_factor_reset"]

    @admin.action(description=_("2단계 인증 초기화 (다음 로그인 때 다시 설정)"))
    def two_factor_reset(self, request, queryset):
        """A lost phone (SPEC §20): the users' TOTP devices and recovery codes are deleted, each reset
        audited; a role that requires a second factor sets it up again at its next sign-in. The admin is
        superusers' only (config/apps.py)."""
        users = list(queryset)
        for user in users:
            otp_reset(actor=request.user, user=user)
        message = _("%(count)d명의 2단계 인증을 초기화했습니다.") % {"count": len(users)}
        self.message_user(request, message, messages.SUCCESS)


# ---- part h4 of issue 22: API tokens are issued and revoked by accounts/tokens.py (audited); admin
# shows them, never their key's hash.
@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("created_at", "expires_at")
    search_fields = ("user__username", "prefix", "name")
    list_select_related = ("user",)
    exclude = ("key_hash",)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """개인정보 동의 (SPEC §20): what each user agreed to; written by accounts/consent.py only."""

    list_display = ("user", "kind", "version", "agreed", "created_at")
    list_filter = ("kind", "agreed", "version")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    date_hierarchy = "created_at"
