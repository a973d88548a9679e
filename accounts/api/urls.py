"""The account API of SPEC §20 under /api/v1/, each part in its module."""

from accounts.api import consent, otp, password, tokens

urlpatterns = [*otp.urlpatterns, *tokens.urlpatterns, *password.urlpatterns, *consent.urlpatterns]
