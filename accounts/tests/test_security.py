"""Login lock-out, the token endpoint's throttle, password rules and the Content-Security-Policy."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "잠겼습니다"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(client):
    UserFactory(username="officer")
    for _ in range(4):
        response = _login(client, "officer", "wrong-password")
        assert response.status_code == 200 and "올바른" in response.content.decode()
    response = _login(client, "officer", "wrong-password")  # the fifth: locked out now
    assert response.status_code == 429
    response = _login(client, "officer", "correct-horse-42")
    body = response.content.decode()
    assert response.status_code == 429 and LOCKED in body
    assert 'role="alert"' in body and 'name="username"' in body  # the login page, with the reason
    assert "_auth_user_id" not in client.session


def test_a_lock_out_touches_no_other_user_and_no_other_address(client):
    UserFactory(username="officer")
    UserFactory(username="colleague")
    for _ in range(6):
        _login(client, "officer", "wrong-password")
    assert _login(client, "colleague", "correct-horse-42").status_code == 302
    client.logout()
    assert _login(client, "officer", "correct-horse-42", ip="10.0.0.2").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client):
    UserFactory(username="officer")
    for _ in range(4):
        _login(client, "officer", "wrong-password")
    assert _login(client, "officer", "correct-horse-42").status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "officer", "wrong-password").status_code == 200
    assert _login(client, "officer", "correct-horse-42").status_code == 302


def test_the_token_endpoint_locks_out_too_and_says_so_even_to_the_right_password(client):
    UserFactory(username="officer", evaluator=True)  # a role whose token needs no second factor
    for _ in range(5):
        client.post(
            "/api/v1/auth/token/", {"username": "officer", "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
        )
    response = client.post(
        "/api/v1/auth/token/", {"username": "officer", "password": "correct-horse-42"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out" and LOCKED in response.json()["detail"]
    assert "token" not in response.json()
    # The same account from another address is not locked out.
    assert _token(client, "10.0.0.10") == 200


def test_the_token_endpoint_is_throttled_per_address(client, settings):
    UserFactory(username="officer", evaluator=True)  # a role whose token needs no second factor
    body = {"username": "officer", "password": "correct-horse-42"}
    answers = [
        client.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.7").status_code for _ in range(11)
    ]
    assert answers[:10] == [200] * 10
    assert answers[10] == 429
    assert client.post("/api/v1/auth/token/", body, REMOTE_ADDR="10.0.0.8").status_code == 200


def _token(client, ip, forwarded=None):
    """The token endpoint asked with officer's right password."""
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    body = {"username": "officer", "password": "correct-horse-42"}
    return client.post("/api/v1/auth/token/", body, REMOTE_ADDR=ip, **extra).status_code


def test_a_client_cannot_escape_the_token_rate_by_rotating_x_forwarded_for(client):
    """No proxy is trusted by default: what the client writes in X-Forwarded-For is not its address."""
    UserFactory(username="officer", evaluator=True)  # a role whose token needs no second factor
    answers = [_token(client, "10.0.0.7", forwarded=f"198.51.100.{n}") for n in range(40)]
    assert answers[:10] == [200] * 10
    assert set(answers[10:]) == {429}


def test_behind_a_trusted_proxy_the_address_the_proxy_saw_is_the_client(client, settings):
    """One proxy (AXES_IPWARE_PROXY_COUNT=1): the last X-Forwarded-For entry, the one it appended."""
    settings.AXES_IPWARE_PROXY_COUNT = 1
    UserFactory(username="officer", evaluator=True)  # a role whose token needs no second factor
    proxy = "10.0.0.1"
    answers = [_token(client, proxy, forwarded=f"198.51.100.{n}, 203.0.113.5") for n in range(12)]
    assert answers[:10] == [200] * 10 and answers[10:] == [429, 429]
    # Another client behind the same proxy has its own count.
    assert _token(client, proxy, forwarded="203.0.113.6") == 200


def test_the_lock_out_uses_the_same_client_address_as_the_rate(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    UserFactory(username="officer", evaluator=True)  # a role whose token needs no second factor
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"username": "officer", "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5",
        )
    locked = client.post(
        "/accounts/login/",
        {"username": "officer", "password": "correct-horse-42"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert locked.status_code == 429
    other = client.post(
        "/accounts/login/",
        {"username": "officer", "password": "correct-horse-42"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    "count, forwarded, expected",
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.1"),  # fewer entries than proxies: reached around them
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_one_rule_gives_the_client_address(rf, settings, count, forwarded, expected):
    from axes.helpers import get_client_ip_address

    settings.AXES_IPWARE_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert get_client_ip_address(request) == expected


def test_the_token_endpoint_still_answers_when_the_shared_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    UserFactory(username="officer", evaluator=True)  # a role whose token needs no second factor
    assert _token(client, "10.0.0.7") == 200


def test_commands_still_check_passwords_without_a_request():
    from django.contrib.auth import authenticate

    user = UserFactory(username="officer")
    assert authenticate(username="officer", password="correct-horse-42") == user
    assert authenticate(username="officer", password="wrong") is None


@pytest.mark.parametrize(
    "password, expected",
    [
        ("short1!", "너무 짧습니다"),
        ("1234567890", "숫자"),
        ("password1234", "흔히 사용되는"),
        ("newcomer-kim", "유사합니다"),
    ],
)
def test_signup_refuses_weak_passwords_on_the_field(client, password, expected):
    response = client.post(
        "/apply/signup/",
        {
            "username": "newcomer-kim",
            "first_name": "김신규",
            "email": "kim@example.kr",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors.get("password2", []))
    assert expected in errors, errors
    assert expected in response.content.decode()


ANONYMOUS = {"/accounts/login/", "/apply/signup/"}
PAGES = [
    "/",
    "/accounts/login/",
    "/apply/signup/",
    "/staff/applications/",
    "/staff/programs/",
    "/staff/mentors/",
    "/reports/",
    "/api/docs/",
    "/api/docs/?script=",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_a_csp_without_inline_script(client, url):
    if url not in ANONYMOUS:
        client.force_login(UserFactory(username="officer"))
    response = client.get(url)
    assert response.status_code == 200
    policy = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/apply/signup/", "/staff/applications/", "/api/docs/"]
)
def test_pages_have_no_inline_script_or_style(client, url):
    import re

    if url not in ANONYMOUS:
        client.force_login(UserFactory(username="officer"))
    html = client.get(url).content.decode()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert not scripts, scripts
    assert "<style" not in html and ' style="' not in html
