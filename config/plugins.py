"""Extension points: how a lower app calls into the apps above it without importing them.

The apps depend one way (docs/architecture.md): applicants never imports funds, program never
imports applicants. Where a lower app's action must reach a higher app — a workflow action that
moves money, a saved program whose matching budget the fund follows, a staff page that shows
panels from every app — the lower app asks for the callables registered under a name in
`settings.PLUGINS`, and calls them in order. The settings module sits above every app, so the order
of the apps stays one way, and the list of what plugs in where is in one place.

A plugin is an ordinary function of its own app (a service or a panel); the caller passes keyword
arguments, and whatever the plugin raises reaches the caller (a refusal rolls the action back).
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


def plugins(point: str) -> list[Callable[..., Any]]:
    """The callables registered for `point`, in their order in settings.PLUGINS."""
    return list(_load(tuple(settings.PLUGINS.get(point, ()))))


@cache
def _load(paths: tuple[str, ...]) -> tuple[Callable[..., Any], ...]:
    return tuple(import_string(path) for path in paths)
