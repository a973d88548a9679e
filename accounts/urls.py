"""The account pages of SPEC §20 (issue 22), each part in its module: sign-in's second factor, tokens,
password reset and change with the profile, consent."""

from accounts.views import consent, otp, password, tokens

app_name = "accounts"

urlpatterns = [*otp.urlpatterns, *tokens.urlpatterns, *password.urlpatterns, *consent.urlpatterns]
