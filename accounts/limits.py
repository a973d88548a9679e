"""Rate limits on what a password unlocks (SPEC §20): reset requests per client address and per e-mail
address, wrong current passwords per account.

Each is a fixed window in the default cache (shared by every process with CACHE_URL, as the limits of
accounts/security.py are), keyed by a hash of what it counts, so no address is stored in the cache
in clear. With the shared cache unreachable the request is let through (logged), as there: the app
keeps serving, and the mail the limit guards is still only ever sent to the account's own address.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# DRF's rate syntax ("10/minute", "3/hour"): the period by its first letter.
_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class RateLimit:
    """At most `settings.<rate_setting>` ("5/hour") hits per identity in a window of that length."""

    scope: str
    rate_setting: str

    def _rate(self) -> tuple[int, int]:
        count, period = getattr(settings, self.rate_setting).split("/")
        return int(count), _PERIOD_SECONDS[period.strip()[0]]

    def _key(self, ident: str) -> str:
        digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()
        return f"limit:{self.scope}:{digest}"

    def hit(self, ident: str) -> bool:
        """Count one attempt; whether it is still within the limit."""
        count, seconds = self._rate()
        key = self._key(ident)
        try:
            cache.add(key, 0, timeout=seconds)
            try:
                hits = cache.incr(key)
            except ValueError:  # the window ended between add() and incr()
                cache.set(key, 1, timeout=seconds)
                hits = 1
        except RedisError:
            logger.warning("rate limit %s not applied: the cache is unreachable", self.scope, exc_info=True)
            return True
        return hits <= count

    def exceeded(self, ident: str) -> bool:
        """Whether the limit is reached already, without counting."""
        count, _seconds = self._rate()
        try:
            return (cache.get(self._key(ident)) or 0) >= count
        except RedisError:
            logger.warning("rate limit %s not applied: the cache is unreachable", self.scope, exc_info=True)
            return False


reset_per_client = RateLimit("password-reset-ip", "PASSWORD_RESET_IP_RATE")
reset_per_address = RateLimit("password-reset-address", "PASSWORD_RESET_ADDRESS_RATE")
# Wrong current passwords, per account (its primary key).
password_check = RateLimit("password-check", "PASSWORD_CHECK_RATE")
