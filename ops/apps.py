from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Setting up a site: the management commands that work across every app (`add_user`,
    `seed_demo`). It sits on top of the apps' order (docs/architecture.md) and owns no models."""

    name = "ops"
    verbose_name = "운영"
