"""`{% load money %}`: `{{ amount|won }}` (exact, tables and detail pages) and `{{ amount|won_short }}`
(억/만, headline tiles only). The rule itself lives in config/money.py, shared with Python code.

Registered by name in settings.TEMPLATES (config is not an installed app)."""

from django import template

from config import money

register = template.Library()


@register.filter
def won(value) -> str:
    return money.won(value)


@register.filter
def won_short(value) -> str:
    return money.won_short(value)
