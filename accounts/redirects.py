"""Where an account page sends the user on: the `next` it was given when that is this site's address,
else the home page (the two-factor code page and the consent page; never another site)."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"
