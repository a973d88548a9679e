"""Two-factor sign-in (SPEC §20): every role's way in with and without a device, the code step's
throttling and lock-out, recovery codes, the token endpoint's `otp`, and a superuser's reset.

The test client's logins are real here (`real_two_factor`): nothing marks a session as verified but a
code. People sign in through the login page, as they do."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.otp import hex_key_from_base32, otp_has_device, otp_verify, secret_text
from program.models import AuditEvent
from tests.factories import UserFactory
from tests.two_factor import KEY, code_at, current_step, next_code, totp_code, totp_device

pytestmark = [pytest.mark.django_db, pytest.mark.real_two_factor]

PASSWORD = "correct-horse-42"
SETUP = "/account/two-factor/"
VERIFY = "/account/two-factor/verify/"
RECOVERY = "/account/two-factor/recovery-codes/"
REQUIRED = {
    "staff": {},
    "ministry": {"ministry": True},
    "sponsor": {"sponsor_user": True},
    "superuser": {"is_superuser": True, "is_staff": True},
}
OPTIONAL = {
    "applicant": {"applicant": True},
    "evaluator": {"evaluator": True},
    "mentor": {"mentor": True},
}


@pytest.fixture
def no_throttle_delay(settings):
    """django-otp's growing delay off, to count wrong codes up to the lock-out without waiting."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def sign_in(user, client=None) -> Client:
    client = client or Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def give_code(client, code, next_url="/"):
    return client.post(VERIFY, {"code": code, "next": next_url})


def shown_secret(response) -> str:
    """The secret as the setup page shows it (base32 in groups), as hex."""
    text = re.search(r"data-otp-secret>([^<]+)<", response.content.decode()).group(1)
    return hex_key_from_base32(text)


# --- roles that must use a second factor ---------------------------------------------------------


@pytest.mark.parametrize("role", REQUIRED)
def test_a_required_role_without_a_device_reaches_only_the_setup_page(role):
    client = sign_in(UserFactory(**REQUIRED[role]))

    for url in ("/", "/staff/applications/", "/sponsor/", "/admin/", RECOVERY, VERIFY):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), url
    assert client.get("/").url == f"{SETUP}?next=%2F"
    api = client.get("/api/v1/applications/")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.content.decode() and "data-otp-secret" in page.content.decode()
    assert client.get("/static/css/app.css").status_code in (200, 404)  # never sent to the setup page
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 200  # signed out: the public home


@pytest.mark.parametrize("role", REQUIRED)
def test_a_required_role_sets_up_with_a_code_and_sees_ten_recovery_codes_once(role):
    user = UserFactory(**REQUIRED[role])
    client = sign_in(user)
    page = client.get(SETUP)
    key = shown_secret(page)
    assert shown_secret(client.get(SETUP)) == key  # the same secret until confirmed; nothing stored
    assert not TOTPDevice.objects.filter(user=user).exists()

    wrong = client.post(SETUP, {"code": "123456", "next": "/"})
    assert wrong.status_code == 400 and "인증 코드가 맞지 않습니다" in wrong.content.decode()
    assert not otp_has_device(user)

    done = client.post(SETUP, {"code": totp_code(key), "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    event = AuditEvent.objects.get(action="account.otp_confirm")
    assert event.actor == user and event.object_id == user.pk
    assert client.get("/").status_code == 200  # the session is verified now
    again = client.get(SETUP).content.decode()  # the device's state now: no secret, the codes never again
    assert "data-otp-secret" not in again and not [code for code in codes if code in again]


@pytest.mark.parametrize("role", REQUIRED)
def test_a_required_role_with_a_device_gives_its_code_after_the_password(role):
    user = UserFactory(**REQUIRED[role])
    device = totp_device(user)
    client = sign_in(user)

    assert client.get("/staff/applications/").url == f"{VERIFY}?next=%2Fstaff%2Fapplications%2F"
    assert client.get(SETUP).url.startswith(VERIFY)  # no second device behind the code's back
    assert client.get(VERIFY).status_code == 200
    wrong = give_code(client, "000000")
    assert wrong.status_code == 400 and "인증 코드가 맞지 않습니다" in wrong.content.decode()
    device.throttling_failure_timestamp = None  # past django-otp's one-second wait
    device.save()
    right = give_code(client, next_code(device), next_url="/staff/programs/")
    assert right.status_code == 302 and right.url == "/staff/programs/"
    assert client.get("/").status_code == 200
    assert client.get(VERIFY).url == "/"


@pytest.mark.parametrize("device", [True, False], ids=["code page", "setup page"])
def test_the_page_that_owes_the_code_shows_no_menu_inbox_or_account_links(device):
    user = UserFactory(role="staff")
    if device:
        totp_device(user)
    client = sign_in(user)

    page = client.get(VERIFY if device else SETUP).content.decode()

    for hidden in ["/staff/applications/", "/staff/programs/", "/inbox/", '/account/"']:
        assert hidden not in page, hidden
    assert "/accounts/logout/" in page  # signing out stays


def test_the_menu_comes_back_once_the_code_is_given():
    user = UserFactory(role="staff")
    device = totp_device(user)
    client = sign_in(user)

    give_code(client, next_code(device))

    page = client.get("/account/").content.decode()
    assert "/staff/applications/" in page and "/inbox/" in page


def test_the_code_page_sends_only_to_this_site():
    user = UserFactory()
    device = totp_device(user)
    client = sign_in(user)
    assert give_code(client, next_code(device), next_url="https://evil.example/").url == "/"


def test_a_recovery_code_signs_in_once():
    user = UserFactory(sponsor_user=True)
    totp_device(user)
    StaticDevice.objects.create(user=user, name="recovery").token_set.create(token="abcd2345")

    client = sign_in(user)
    response = give_code(client, "ABCD 2345")
    assert response.status_code == 302 and client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token="abcd2345").exists()

    client = sign_in(user, Client())
    again = give_code(client, "abcd2345")
    assert again.status_code == 400 and client.get("/").status_code == 302


def test_a_wrong_code_makes_the_next_one_wait(settings):
    """django-otp's throttling: after a wrong code, even the right one is refused for a second, then
    two, four…"""
    user = UserFactory()
    device = totp_device(user)
    client = sign_in(user)
    assert give_code(client, "000000").status_code == 400
    response = give_code(client, next_code(device))
    assert response.status_code == 429 and "초 뒤에 다시 입력해 주세요" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_five_wrong_codes_lock_the_second_factor_even_for_the_right_code(no_throttle_delay):
    user = UserFactory(ministry=True)
    device = totp_device(user)
    StaticDevice.objects.create(user=user, name="recovery").token_set.create(token="abcd2345")
    client = sign_in(user)
    statuses = [give_code(client, f"00000{n}").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]

    locked = give_code(client, next_code(device))
    assert locked.status_code == 429 and "15분 동안 잠겼습니다" in locked.content.decode()
    assert give_code(client, "abcd2345").status_code == 429  # a recovery code too
    assert client.get("/").status_code == 302
    # Another session of the same user is locked as well: the count is the user's, not the session's.
    assert give_code(sign_in(user, Client()), next_code(device)).status_code == 429

    # After OTP_LOCKOUT_MINUTES the right code works again, and resets the count.
    past = timezone.now() - datetime.timedelta(minutes=16)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=past)
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=past)
    assert give_code(client, next_code(device)).status_code == 302
    assert {d.throttling_failure_count for d in [*TOTPDevice.objects.all(), *StaticDevice.objects.all()]} == {
        0
    }


def test_a_code_already_used_is_not_taken_twice():
    user = UserFactory()
    device = totp_device(user)
    code = code_at(KEY, current_step())
    assert otp_verify(user, code).ok
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    assert not otp_verify(user, code).ok


# --- roles for which it is optional --------------------------------------------------------------


@pytest.mark.parametrize("role", OPTIONAL)
def test_an_optional_role_without_a_device_signs_in_with_its_password_alone(role):
    user = UserFactory(**OPTIONAL[role])
    client = sign_in(user)
    assert client.get("/").status_code == 200
    assert client.get(VERIFY).url == "/"
    assert client.get(SETUP).status_code == 200  # it may turn it on


def test_an_applicant_turns_it_on_and_is_asked_for_its_code_from_then_on():
    user = UserFactory(applicant=True)
    client = sign_in(user)
    key = shown_secret(client.get(SETUP))
    assert client.post(SETUP, {"code": totp_code(key)}).status_code == 200
    assert client.get("/my/").status_code == 200  # this session gave the code

    client = sign_in(user, Client())
    assert client.get("/my/").url == f"{VERIFY}?next=%2Fmy%2F"
    assert give_code(client, next_code(TOTPDevice.objects.get(user=user)), "/my/").url == "/my/"
    assert client.get("/my/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones():
    user = UserFactory()
    device = totp_device(user)
    StaticDevice.objects.create(user=user, name="recovery").token_set.create(token="abcd2345")
    client = sign_in(user)
    give_code(client, next_code(device))
    assert "남은 복구 코드: 1개" in client.get(RECOVERY).content.decode()
    response = client.post(RECOVERY)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10 and "abcd2345" not in codes
    assert not StaticToken.objects.filter(token="abcd2345").exists()
    assert AuditEvent.objects.filter(action="account.otp_recovery_codes", object_id=user.pk).exists()


# --- the token endpoint --------------------------------------------------------------------------


def _token(username, **extra):
    body = {"username": username, "password": PASSWORD, **extra}
    return APIClient().post("/api/v1/auth/token/", body, format="json")


def test_the_token_endpoint_needs_the_code_of_a_required_role():
    user = UserFactory()
    device = totp_device(user)

    missing = _token(user.username)
    assert missing.status_code == 400 and missing.json()["otp"] == ["인증 코드가 필요합니다."]
    wrong = _token(user.username, otp="000000")
    assert wrong.status_code == 400 and wrong.json()["otp"] == ["인증 코드가 맞지 않습니다."]
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    right = _token(user.username, otp=next_code(device))
    assert right.status_code == 200 and right.json()["token"]


def test_the_token_endpoint_refuses_a_required_role_that_has_no_device_yet():
    response = _token(UserFactory(sponsor_user=True).username, otp="123456")
    assert response.status_code == 400 and "먼저 설정해 주세요" in response.json()["otp"][0]


def test_the_token_endpoint_asks_an_applicant_for_a_code_only_once_it_has_a_device():
    user = UserFactory(applicant=True)
    assert _token(user.username).status_code == 200
    totp_device(user)
    assert _token(user.username).status_code == 400


def test_the_token_endpoint_counts_wrong_codes_to_the_lock_out(no_throttle_delay):
    user = UserFactory()
    device = totp_device(user)
    answers = [_token(user.username, otp=f"00000{n}").status_code for n in range(5)]
    assert answers == [400, 400, 400, 400, 429]
    locked = _token(user.username, otp=next_code(device))
    assert locked.status_code == 429 and "잠겼습니다" in locked.json()["detail"]
    assert "token" not in locked.json()


def test_the_token_endpoint_makes_the_next_code_wait_after_a_wrong_one():
    user = UserFactory()
    device = totp_device(user)
    assert _token(user.username, otp="000000").status_code == 400
    throttled = _token(user.username, otp=next_code(device))
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"


# --- a superuser's reset -------------------------------------------------------------------------


def test_a_superuser_resets_a_device_from_the_admin_audited_and_the_user_sets_up_again():
    admin = UserFactory(is_superuser=True, is_staff=True)
    totp_device(admin)
    user = UserFactory(ministry=True)
    totp_device(user)
    StaticDevice.objects.create(user=user, name="recovery").token_set.create(token="abcd2345")
    client = sign_in(admin)
    give_code(client, next_code(TOTPDevice.objects.get(user=admin)))

    response = client.post(
        "/admin/accounts/user/", {"action": "two_factor_reset", "_selected_action": [user.pk]}, follow=True
    )
    assert response.status_code == 200 and "1명의 2단계 인증을 초기화했습니다" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="account.otp_reset")
    assert event.actor == admin and event.object_id == user.pk
    assert event.before == {"devices": ["StaticDevice", "TOTPDevice"]}
    assert sign_in(user).get("/").url.startswith(SETUP)


def test_the_reset_is_for_superusers_only():
    user = UserFactory(ministry=True)
    totp_device(user)
    staff = UserFactory(is_staff=True)  # Django's admin flag without superuser: not let in
    client = sign_in(staff)
    give_code(client, next_code(totp_device(staff)))
    response = client.post(
        "/admin/accounts/user/", {"action": "two_factor_reset", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert TOTPDevice.objects.filter(user=user).exists()


# --- what the pages cost -------------------------------------------------------------------------


def test_the_pages_cost_a_fixed_number_of_queries(django_assert_num_queries):
    user = UserFactory()
    device = totp_device(user)
    client = sign_in(user)
    # session, user, whether it has a device (asked once: its TOTP device is found); no inbox in the
    # header while the code is owed
    with django_assert_num_queries(3):
        assert client.get(VERIFY).status_code == 200
    give_code(client, next_code(device))
    # session, user, the session's device (OTPMiddleware), devices and recovery codes left, the header's inbox
    with django_assert_num_queries(6):
        assert client.get(SETUP).status_code == 200
    newcomer = sign_in(UserFactory(role=Role.MINISTRY))
    # session, user, devices (TOTP, recovery): the redirect; the setup page: the same and the secret kept
    with django_assert_num_queries(4):
        assert newcomer.get("/").status_code == 302


def test_the_secret_reads_in_groups_of_four():
    assert secret_text(KEY) == "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
