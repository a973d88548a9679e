from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("accounts/consent/privacy_text.html")
def privacy_consent_text():
    """The 개인정보 수집·이용 동의 text, one template for the sign-up and the consent page."""
    return {"version": settings.PRIVACY_CONSENT_VERSION, "retention_years": settings.RETENTION_YEARS}
