"""Who a draft kept in the browser belongs to (static/js/drafts.js)."""

from django import template
from django.utils.crypto import salted_hmac

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_owner(context) -> str:
    """An opaque tag for the signed-in user: the browser keeps and restores a form's unsaved input
    only under it, so one person's draft never appears in another's form on a shared computer.
    Per user, not per session, so a draft survives an expired session of the same user."""
    user = context["request"].user
    return salted_hmac("applicants.draft-owner", str(user.pk)).hexdigest()[:20]
