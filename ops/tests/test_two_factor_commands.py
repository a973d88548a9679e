"""add_user --otp-secret (SPEC §12) and the demo's second factor (SPEC §20): a newcomer signs in as the
demo officials with the printed secret or a recovery code."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.otp import hex_key_from_base32, otp_verify
from tests.factories import AgencyFactory
from tests.two_factor import totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.real_two_factor]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def add_user(*args) -> str:
    out = io.StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


def test_add_user_with_an_otp_secret_gives_a_confirmed_device_that_takes_its_codes():
    agency = AgencyFactory()
    out = add_user("robot", "--role", "staff", "--agency", agency.name, "--otp-secret", SECRET.lower())
    assert "2단계 인증" in out
    user = User.objects.get(username="robot")
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == hex_key_from_base32(SECRET)
    assert otp_verify(user, totp_code(device.key)).ok


@pytest.mark.parametrize("secret", ["not base32!", "ABC18", "JBSWY3DP"])
def test_add_user_refuses_a_bad_otp_secret_in_korean_and_stores_nothing(secret):
    with pytest.raises(CommandError, match="OTP 비밀키"):
        add_user("robot", "--role", "evaluator", "--otp-secret", secret)
    assert not User.objects.filter(username="robot").exists()
    assert not TOTPDevice.objects.exists()


def test_the_demo_prints_how_each_official_signs_in_and_it_works():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    secret = re.search(r"2단계 인증: 비밀키 (\S+) \((otpauth://\S+)\)", printed)
    assert secret is not None, printed[-2000:]
    for username in ("admin", "staff", "staff-kbiz", "ministry", "sponsor-ls"):
        assert re.search(rf"otpauth://totp/[^?]*{re.escape(username)}\?secret=", printed), username
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.key == hex_key_from_base32(secret.group(1))
    assert "demo0001–demo0010" in printed
    # Optional roles have no device and no line of their own.
    assert not TOTPDevice.objects.filter(user__username__in=["applicant", "evaluator1", "mentor1"]).exists()

    # A newcomer signs in as staff with a recovery code, then with the app's code.
    client = Client()
    client.post("/accounts/login/", {"username": "staff", "password": "demo-pass-2026"})
    assert client.post("/account/two-factor/verify/", {"code": "demo0001"}).status_code == 302
    assert client.get("/staff/applications/").status_code == 200
    assert not StaticToken.objects.filter(device__user__username="staff", token="demo0001").exists()

    # Run again: the demo's codes are whole again and nothing else changed.
    devices = list(TOTPDevice.objects.order_by("pk").values_list("pk", "key"))
    call_command("seed_demo", stdout=io.StringIO())
    assert list(TOTPDevice.objects.order_by("pk").values_list("pk", "key")) == devices
    assert StaticToken.objects.filter(device__user__username="staff").count() == 10
