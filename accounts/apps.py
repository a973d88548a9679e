from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("계정")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_two_factor_mark, dispatch_uid="accounts.two_factor_mark")


def _two_factor_mark(sender, request, user, **kwargs):
    """At sign-in, a user of an optional role with a device is marked as owing a code (accounts/otp.py):
    TwoFactorMiddleware then needs no query for everyone else."""
    from accounts.otp import mark_session_at_login

    mark_session_at_login(request=request, user=user)
