"""Celery tasks of accounts: the daily sweep of API tokens that can never work again (beat, 04:15)."""

from celery import shared_task

from accounts.tokens import api_token_sweep


@shared_task(name="accounts.api_token_sweep")
def api_token_sweep_task() -> int:
    """Delete tokens expired or revoked more than API_TOKEN_KEEP_DAYS ago. Safe to run again."""
    return api_token_sweep()
