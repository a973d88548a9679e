"""Two-factor sign-in in tests (SPEC §20): a confirmed TOTP device with a known secret, the code an
authenticator app would show for it now, and the browser's second step after the password
(tests/browser/conftest.py's `login` calls `browser_second_factor`)."""

import binascii
import time
from urllib.parse import parse_qs, urlencode, urlparse

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, as hex
STEP = 30


def totp_device(user, key: str = KEY) -> TOTPDevice:
    """The user's confirmed TOTP device (made with `key` when it has none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", key=key, confirmed=True)


def code_at(key: str, step: int) -> str:
    totp = TOTP(binascii.unhexlify(key), step=STEP, t0=0, digits=6)
    totp.time = step * STEP
    return f"{totp.token():06d}"


def current_step() -> int:
    return int(time.time()) // STEP


def totp_code(key: str = KEY) -> str:
    """The code an app shows now for `key`."""
    return code_at(key, current_step())


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: a device refuses a code of a time step it already accepted, so a
    second sign-in in the same 30 seconds uses the next step's code (one step of tolerance), and a
    third waits for the clock."""
    device.refresh_from_db()
    while device.last_t + 1 > current_step() + 1:
        time.sleep(1)
    return code_at(device.key, max(current_step(), device.last_t + 1))


def past_the_wait(user) -> None:
    """As if django-otp's wait after a wrong code (a second, then two…) were over, on all the user's
    devices (the count of wrong codes stays)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=None)


def browser_second_factor(page, username: str) -> None:
    """After the password, on the two-factor pages: a user without a device is given one (as if set up
    on the setup page), and the code is typed on the code page."""
    path = urlparse(page.url).path
    if not path.startswith("/account/two-factor/"):
        return
    user = User.objects.get(username=username)
    device = totp_device(user)
    if path != "/account/two-factor/verify/":
        target = parse_qs(urlparse(page.url).query).get("next", ["/"])[0]
        page.goto("/account/two-factor/verify/?" + urlencode({"next": target}))
    page.fill("#id_code", next_code(device))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
