"""API tokens (SPEC §20): hashed at rest, expiring after API_TOKEN_TTL_DAYS, listed and revoked by
their owner, refused from the next request on; the page /account/tokens/; the sweep; the migration
of DRF's plain-text keys."""

import datetime
import hashlib
import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import api_token_issue, api_token_sweep
from program.models import AuditEvent
from tests.factories import UserFactory, api_token_key

pytestmark = pytest.mark.django_db

ISSUE = "/api/v1/auth/token/"
LIST = "/api/v1/auth/tokens/"
SOME_ENDPOINT = "/api/v1/programs/"


def detail(token_id) -> str:
    return f"/api/v1/auth/tokens/{token_id}/"


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def issued_by_endpoint(username: str) -> dict:
    response = APIClient().post(ISSUE, {"username": username, "password": "correct-horse-42"}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def expire(tokens) -> None:
    """Move `tokens` back in time: issued 31 days ago, expired a second ago (a clock in the past)."""
    now = timezone.now()
    tokens.update(
        created_at=now - datetime.timedelta(days=31), expires_at=now - datetime.timedelta(seconds=1)
    )


# ---- issuing -----------------------------------------------------------------------------------


def test_the_endpoint_issues_a_key_that_is_kept_only_as_its_hash():
    UserFactory(username="officer", role="evaluator")

    key = issued_by_endpoint("officer")["token"]

    token = ApiToken.objects.get()
    assert len(key) == 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    stored = [str(value) for row in ApiToken.objects.values_list() for value in row]
    assert not [value for value in stored if key in value]
    assert with_key(key).get(SOME_ENDPOINT).status_code == 200


def test_each_call_issues_a_new_token_valid_for_the_ttl(settings):
    settings.API_TOKEN_TTL_DAYS = 7
    UserFactory(username="officer", role="evaluator")
    before = timezone.now()

    first, second = issued_by_endpoint("officer"), issued_by_endpoint("officer")

    assert first["token"] != second["token"]
    assert ApiToken.objects.count() == 2
    expires = datetime.datetime.fromisoformat(first["expires_at"])
    assert before + datetime.timedelta(days=7) <= expires <= timezone.now() + datetime.timedelta(days=7)
    assert with_key(first["token"]).get(SOME_ENDPOINT).status_code == 200


def test_a_wrong_password_issues_nothing():
    UserFactory(username="officer", role="evaluator")

    response = APIClient().post(ISSUE, {"username": "officer", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_an_expired_token_sent_along_does_not_stop_a_client_getting_a_new_one():
    user = UserFactory(username="officer", role="evaluator")
    old = api_token_key(user)
    expire(ApiToken.objects.all())

    body = {"username": "officer", "password": "correct-horse-42"}
    response = with_key(old).post(ISSUE, body, format="json")

    assert response.status_code == 200
    assert with_key(response.json()["token"]).get(SOME_ENDPOINT).status_code == 200


# ---- refusals: 401 with the reason, Korean first ------------------------------------------------


def test_an_expired_token_is_refused_with_401():
    key = api_token_key(UserFactory())
    assert with_key(key).get(SOME_ENDPOINT).status_code == 200
    expire(ApiToken.objects.all())

    response = with_key(key).get(SOME_ENDPOINT)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": "만료된 토큰입니다. 새 토큰을 발급받아 주세요.",
        "code": "token_expired",
    }


@pytest.mark.parametrize(
    ("header", "code"),
    [("Token " + "0" * 40, "token_invalid"), ("Token", "token_malformed"), ("Token a b", "token_malformed")],
)
def test_an_unknown_or_malformed_token_is_refused_with_401(header, code):
    response = APIClient().get(SOME_ENDPOINT, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["code"] == code


def test_a_token_of_a_deactivated_user_is_refused():
    user = UserFactory()
    key = api_token_key(user)
    user.is_active = False
    user.save()

    assert with_key(key).get(SOME_ENDPOINT).status_code == 401


def test_without_a_token_an_anonymous_request_still_answers_403():
    assert APIClient().get(LIST).status_code == 403
    assert APIClient().delete(ISSUE).status_code == 403


# ---- revocation --------------------------------------------------------------------------------


def test_delete_auth_token_revokes_the_token_of_the_request_from_the_next_request_on():
    user = UserFactory()
    key, other_key = api_token_key(user), api_token_key(user)
    client = with_key(key)

    assert client.delete(ISSUE).status_code == 204

    response = client.get(SOME_ENDPOINT)
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"
    assert with_key(other_key).get(SOME_ENDPOINT).status_code == 200  # only that one
    event = AuditEvent.objects.get(action="account.token_revoke")
    assert event.actor == user and event.object_id == ApiToken.objects.get(prefix=key[:8]).pk


def test_signing_out_of_the_session_leaves_the_token_working(client):
    user = UserFactory(username="officer", role="evaluator")
    client.force_login(user)
    key = issued_by_endpoint("officer")["token"]

    client.post(reverse("logout"))

    assert with_key(key).get(SOME_ENDPOINT).status_code == 200


def test_delete_auth_token_without_a_token_is_refused_and_revokes_nothing():
    user = UserFactory()
    api_token_key(user)
    client = APIClient()
    client.force_login(user)

    response = client.delete(ISSUE)

    assert response.status_code == 400 and response.json()["code"] == "no_token"
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_the_owner_revokes_one_of_its_tokens_by_id():
    user = UserFactory()
    kept, revoked = api_token_key(user), api_token_key(user)
    target = ApiToken.objects.get(prefix=revoked[:8])

    assert with_key(kept).delete(detail(target.pk)).status_code == 204

    assert with_key(revoked).get(SOME_ENDPOINT).status_code == 401
    assert with_key(kept).get(SOME_ENDPOINT).status_code == 200
    assert with_key(kept).delete(detail(target.pk)).status_code == 404  # gone from the list


def test_another_users_token_answers_404_and_keeps_working():
    owner, outsider = UserFactory(), UserFactory(applicant=True)
    owners_key = api_token_key(owner)
    token = ApiToken.objects.get(user=owner)

    response = with_key(api_token_key(outsider)).delete(detail(token.pk))

    assert response.status_code == 404
    assert with_key(owners_key).delete(detail(987_654_321)).status_code == 404
    assert with_key(owners_key).get(SOME_ENDPOINT).status_code == 200
    assert not AuditEvent.objects.filter(action="account.token_revoke").exists()


@pytest.mark.parametrize("token_id", ["abc", "-1", "0", "9" * 25, "9223372036854775808"])
def test_an_id_no_token_can_have_answers_404(token_id):
    assert with_key(api_token_key(UserFactory())).delete(detail(token_id)).status_code == 404


# ---- the list ----------------------------------------------------------------------------------


def test_the_list_shows_only_the_callers_working_tokens_and_which_is_current():
    user, other = UserFactory(), UserFactory()
    key = api_token_key(user, name="스크립트")
    api_token_key(user, name="만료")
    api_token_key(other, name="남의 것")
    expire(ApiToken.objects.filter(name="만료"))

    response = with_key(key).get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and set(body) == {"count", "next", "previous", "results"}
    [shown] = body["results"]
    assert shown["name"] == "스크립트" and shown["prefix"] == key[:8] and shown["current"] is True
    assert set(shown) == {"id", "name", "prefix", "created_at", "last_used_at", "expires_at", "current"}
    assert key not in response.content.decode()


def test_the_list_pages_like_the_rest_of_the_api():
    user = UserFactory()
    for _ in range(3):
        key = api_token_key(user)

    body = with_key(key).get(LIST, {"page_size": 2}).json()

    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


def test_the_list_answers_in_a_fixed_number_of_queries(django_assert_num_queries):
    user = UserFactory()
    for _ in range(5):
        key = api_token_key(user)
    client = with_key(key)
    client.get(LIST)  # last used now: the next request writes nothing

    # the token with its user, the count, the page
    with django_assert_num_queries(3):
        assert client.get(LIST).status_code == 200


def test_an_authenticated_request_costs_one_query_for_its_token(django_assert_num_queries):
    key = api_token_key(UserFactory())
    client = with_key(key)
    client.get(LIST)

    with CaptureQueriesContext(connection) as by_token:
        client.get(LIST)
    session = APIClient()
    session.force_login(ApiToken.objects.get().user)
    with CaptureQueriesContext(connection) as by_session:
        session.get(LIST)

    # the session's own lookups (session and user) against the token's one (token joined to its user)
    assert len(by_token) == len(by_session) - 1, [q["sql"] for q in by_token]


# ---- last used, at most one write a minute -------------------------------------------------------


def test_last_used_is_written_at_most_once_a_minute(django_assert_num_queries):
    key = api_token_key(UserFactory())
    client = with_key(key)
    assert ApiToken.objects.get().last_used_at is None

    client.get(LIST)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with django_assert_num_queries(3):  # no UPDATE
        client.get(LIST)
    assert ApiToken.objects.get().last_used_at == first

    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    client.get(LIST)
    assert ApiToken.objects.get().last_used_at > first


# ---- the sweep -----------------------------------------------------------------------------------


def test_the_sweep_deletes_tokens_dead_for_longer_than_the_keep_period(settings):
    settings.API_TOKEN_KEEP_DAYS = 30
    user = UserFactory()
    now = timezone.now()
    ago = {days: now - datetime.timedelta(days=days) for days in (29, 31, 400)}
    for name in ("working", "expired-recently", "expired-long-ago", "revoked-recently", "revoked-long-ago"):
        api_token_issue(user=user, name=name)
    tokens = ApiToken.objects.all()
    tokens.filter(name="expired-recently").update(created_at=ago[400], expires_at=ago[29])
    tokens.filter(name="expired-long-ago").update(created_at=ago[400], expires_at=ago[31])
    tokens.filter(name="revoked-recently").update(revoked_at=ago[29])
    tokens.filter(name="revoked-long-ago").update(revoked_at=ago[31])

    assert api_token_sweep() == 2

    assert set(tokens.values_list("name", flat=True)) == {"working", "expired-recently", "revoked-recently"}
    assert api_token_sweep() == 0


def test_the_sweep_runs_as_a_beat_task(settings, eager_tasks):
    from accounts.tasks import api_token_sweep_task

    entry = settings.CELERY_BEAT_SCHEDULE["accounts-api-token-sweep"]
    assert entry["task"] == api_token_sweep_task.name
    assert api_token_sweep_task.delay().get() == 0


# ---- DRF's plain-text keys, migrated -------------------------------------------------------------


def test_the_migration_hashes_drfs_plain_text_keys_and_drops_their_table():
    migration = importlib.import_module("accounts.migrations.0007_api_tokens")
    user = UserFactory()
    key = "ab12" * 10
    created = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, user_id bigint, created {created})'
        )
        cursor.execute(
            'INSERT INTO authtoken_token ("key", user_id, created) VALUES (%s, %s, %s)',
            [key, user.pk, timezone.now() - datetime.timedelta(days=400)],
        )

    assert migration.legacy_tokens_hashed(ApiToken, connection) == 1

    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get()
    assert token.user == user and token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.expires_at > timezone.now() + datetime.timedelta(days=29)
    assert with_key(key).get(SOME_ENDPOINT).status_code == 200
    assert migration.legacy_tokens_hashed(ApiToken, connection) == 0  # a new site: nothing to do


# ---- the page /account/tokens/ -----------------------------------------------------------------


def test_the_page_lists_the_users_tokens_only(client):
    user = UserFactory(applicant=True)
    api_token_key(user, name="내 스크립트")
    api_token_key(UserFactory(), name="남의 스크립트")
    client.force_login(user)

    response = client.get(reverse("accounts:tokens"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "내 스크립트" in body and "남의 스크립트" not in body
    revoke = reverse("accounts:token-revoke", args=[user.api_tokens.get().pk])
    assert 'data-confirm="' in body and revoke in body


def test_the_page_issues_a_token_and_shows_its_key_once(client):
    user = UserFactory(role="mentor")
    client.force_login(user)

    response = client.post(reverse("accounts:tokens"), {"name": "멘토링 일지 연동"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["issued"]["key"]
    assert key in response.content.decode()
    assert with_key(key).get(LIST).json()["results"][0]["name"] == "멘토링 일지 연동"
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in again and key[:8] in again


def test_the_page_refuses_a_name_too_long_and_issues_nothing(client):
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:tokens"), {"name": "가" * 101})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_page_revokes_the_users_token_and_it_is_refused_next(client):
    user = UserFactory()
    key = api_token_key(user)
    client.force_login(user)

    response = client.post(reverse("accounts:token-revoke", args=[user.api_tokens.get().pk]))

    assert response.status_code == 302 and response["Location"] == reverse("accounts:tokens")
    assert with_key(key).get(SOME_ENDPOINT).status_code == 401
    assert AuditEvent.objects.filter(action="account.token_revoke", actor=user).count() == 1


def test_the_page_answers_404_for_another_users_token(client):
    key = api_token_key(UserFactory())
    client.force_login(UserFactory(sponsor_user=True))

    response = client.post(reverse("accounts:token-revoke", args=[ApiToken.objects.get().pk]))

    assert response.status_code == 404
    assert with_key(key).get(SOME_ENDPOINT).status_code == 200


def test_the_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("accounts:tokens"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_page_answers_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    user = UserFactory(applicant=True)
    client.force_login(user)
    client.get(reverse("accounts:tokens"))
    for _ in range(5):
        api_token_key(user)

    # session, user, the inbox count, the tokens' count, the page of tokens
    with django_assert_num_queries(5):
        assert client.get(reverse("accounts:tokens")).status_code == 200
