"""Template context every page gets."""

from django.conf import settings


def demo_mode(request) -> dict:
    """`demo_mode`: the page is served from demo data (config/settings/demo.py), so base.html says so."""
    return {"demo_mode": getattr(settings, "DEMO_MODE", False)}
