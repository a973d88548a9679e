"""API tokens (SPEC §20): issued, looked up, revoked and swept here, and the DRF authentication that
accepts them (`Authorization: Token <key>`, as clients have always sent it).

A key is 40 random hex characters (160 bits), shown once when issued; the database keeps its SHA-256
and the first 8 characters. A key that random needs no slow, salted hash: nobody can guess one, so a
stolen table of hashes gives nothing to try. A token works until `expires_at` (API_TOKEN_TTL_DAYS
after issue) or until revoked; each request looks it up again, so a revocation holds from the next.

The writes (`api_token_issue`, `api_token_revoke`, `api_token_sweep`) and the reads (`api_token_list`,
`api_token_of_user`) live together here: they are one small subject of accounts, and its other parts
(second factor, password, consent) have theirs in their own modules.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.audit import account_audit
from accounts.models import ApiToken, User

KEYWORD = "Token"
PREFIX_LENGTH = 8
NAME_LENGTH = 100  # ApiToken.name
# last_used_at is written at most this often per token: not one write per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# ---- services ---------------------------------------------------------------------------------


def api_token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token of `user`, valid API_TOKEN_TTL_DAYS from now; answers it and its key, which is
    never seen again (only its hash is kept)."""
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=key_hash(key),
        prefix=key[:PREFIX_LENGTH],
        name=name.strip()[:NAME_LENGTH],
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke `token` from now on (its next request is refused), audited. A token already revoked
    stays as it was."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    account_audit(
        actor=actor,
        action="account.token_revoke",
        target=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat()},
        note=str(token),
    )
    return token


def api_token_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete the tokens expired or revoked more than API_TOKEN_KEEP_DAYS ago (beat, daily): they
    can never work again, and the page and API no longer show them. Answers how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.API_TOKEN_KEEP_DAYS)
    deleted, _by_model = ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    return deleted


def api_token_touch(token: ApiToken, now: datetime.datetime) -> None:
    """Note that `token` was used now, unless that was noted less than a minute ago."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# ---- selectors --------------------------------------------------------------------------------


def api_token_list(*, user, now: datetime.datetime | None = None) -> QuerySet[ApiToken]:
    """`user`'s tokens that still work (neither revoked nor expired), newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


def api_token_of_user(*, user, token_id: int | None) -> ApiToken | None:
    """One of `user`'s working tokens, or None (another user's token is not there for them; nor is
    an id no row can have, which the database would refuse)."""
    if token_id is None or not 0 < token_id < 2**63:
        return None
    return api_token_list(user=user).filter(pk=token_id).first()


# ---- authentication ---------------------------------------------------------------------------


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`. A request without that header is left to the next class
    (the session). An unknown, expired or revoked key answers 401 with the reason, in Korean first.

    First in DEFAULT_AUTHENTICATION_CLASSES, because DRF asks the first class for the challenge of a
    401; it gives one only to a request that sent a token, so an anonymous request without one still
    answers 403 as before (docs/domain.md §1, tests/test_access_matrix.py)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("인증 헤더는 'Token <키>' 형식이어야 합니다."), code="token_malformed"
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed(_("유효하지 않은 토큰입니다."), code="token_invalid") from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.select_related("user", "user__agency").filter(key_hash=key_hash(key)).first()
        if token is None:
            raise AuthenticationFailed(_("유효하지 않은 토큰입니다."), code="token_invalid")
        now = timezone.now()
        if token.revoked_at is not None:
            raise AuthenticationFailed(
                _("폐기된 토큰입니다. 새 토큰을 발급받아 주세요."), code="token_revoked"
            )
        if token.expires_at <= now:
            raise AuthenticationFailed(
                _("만료된 토큰입니다. 새 토큰을 발급받아 주세요."), code="token_expired"
            )
        if not token.user.is_active:
            raise AuthenticationFailed(_("사용할 수 없는 계정입니다."), code="user_inactive")
        api_token_touch(token, now)
        return token.user, token

    def authenticate_header(self, request):
        parts = get_authorization_header(request).split()
        if parts and parts[0].lower() == KEYWORD.lower().encode():
            return KEYWORD
        return None


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The scheme in the OpenAPI schema (drf-spectacular): `Authorization: Token <key>`."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=KEYWORD)
