"""Sign-up (`/apply/signup/`) answers alike whoever has an account; the mail says the rest
(issue 13, item 6), and it is rate-limited per client address."""

import datetime
import re

import pytest
from django.core import mail

from accounts.models import Role, User
from applicants.services.signup import signup_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/apply/signup/activate/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks, eager_tasks):
    def post(ip="10.1.0.1", forwarded=None, **overrides):
        data = {
            "username": "hanbit",
            "first_name": "김한빛",
            "email": "kim@hanbit.example",
            "password1": "sturdy-gear-2026",
            "password2": "sturdy-gear-2026",
            "privacy": "on",  # 개인정보 수집·이용 동의 (SPEC §20)
            **overrides,
        }
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/apply/signup/", data, REMOTE_ADDR=ip, **headers)

    return post


def _answer(response):
    return response.status_code, response.get("Location"), response.content


def _only_mail_to(address):
    assert [m.to for m in mail.outbox] == [[address]]
    return mail.outbox[0].body


def test_the_page_answers_alike_for_a_new_a_taken_username_and_a_taken_address(sign_up):
    UserFactory(username="taken-name", email="someone@else.example")
    UserFactory(username="other", email="taken@address.example")
    new = sign_up(username="brand-new", email="new@sme.example")
    taken_name = sign_up(username="taken-name", email="second@sme.example")
    taken_address = sign_up(username="fresh-name", email="taken@address.example")
    assert _answer(new) == _answer(taken_name) == _answer(taken_address) == (302, "/apply/signup/sent/", b"")


def test_a_new_sme_confirms_by_the_mailed_link_and_goes_on_to_its_company(client, sign_up):
    assert sign_up().status_code == 302
    user = User.objects.get(username="hanbit")
    assert not user.is_active and user.role == Role.APPLICANT and user.first_name == "김한빛"
    page = client.get("/apply/signup/sent/").content.decode()
    assert "확인 메일을 보냈습니다" in page and "kim@hanbit.example" not in page
    # Not signed in until the link is followed.
    credentials = {"username": "hanbit", "password": "sturdy-gear-2026"}
    assert client.post("/accounts/login/", credentials).status_code == 200

    link = LINK.search(_only_mail_to("kim@hanbit.example")).group(1)
    page = client.get(link)  # a mail scanner's GET uses nothing up
    assert page.status_code == 200 and "hanbit" in page.content.decode()
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response["Location"] == "/apply/company/"
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.is_active and user.check_password("sturdy-gear-2026")  # what was typed is kept
    client.logout()
    assert client.post(link).status_code == 400  # once only
    assert client.post("/accounts/login/", credentials).status_code == 302


def test_an_address_with_an_account_is_told_so_in_its_own_mailbox(sign_up):
    existing = UserFactory(username="kim", email="kim@hanbit.example")
    secret = "new-secret-77x"
    sign_up(username="another-kim", email="KIM@hanbit.example", password1=secret, password2=secret)
    body = _only_mail_to("kim@hanbit.example")
    assert "이미 계정이 있습니다" in body and "사용자 이름: kim)" in body and "/activate/" not in body
    assert not User.objects.filter(username="another-kim").exists()
    existing.refresh_from_db()
    assert existing.check_password("correct-horse-42")  # nothing changed


def test_a_taken_username_is_told_to_the_typed_address_only(sign_up):
    UserFactory(username="hanbit", email="first@hanbit.example")
    sign_up(username="HANBIT", email="second@sme.example")
    body = _only_mail_to("second@sme.example")
    assert "이미 쓰이고 있어" in body and "/activate/" not in body
    assert User.objects.filter(username__iexact="hanbit").count() == 1


def test_an_unconfirmed_sign_up_gets_its_link_again(client, sign_up):
    sign_up()
    mail.outbox.clear()
    sign_up(username="typo-name")  # the same address again
    link = LINK.search(_only_mail_to("kim@hanbit.example")).group(1)
    assert client.post(link)["Location"] == "/apply/company/"
    assert not User.objects.filter(username="typo-name").exists()


def test_a_deactivated_account_is_not_reactivated_by_signing_up_again(sign_up):
    gone = UserFactory(
        username="gone", email="kim@hanbit.example", is_active=False, last_login="2026-01-05T09:00Z"
    )
    sign_up()
    assert "이미 계정이 있습니다" in _only_mail_to("kim@hanbit.example")
    gone.refresh_from_db()
    assert not gone.is_active


def test_a_forged_or_expired_link_is_refused(client, sign_up, monkeypatch):
    sign_up()
    link = LINK.search(mail.outbox[0].body).group(1)
    uid, token = link.split("/")[-3:-1]
    assert client.post(f"/apply/signup/activate/{uid}/{token[:-1]}x/").status_code == 400
    assert client.post(f"/apply/signup/activate/%%%/{token}/").status_code == 400
    monkeypatch.setattr(signup_token, "_now", lambda: datetime.datetime(2099, 1, 1))
    response = client.post(link)
    assert response.status_code == 400 and "만료" in response.content.decode()
    assert not User.objects.get(username="hanbit").is_active


def test_errors_that_tell_nothing_of_other_accounts_stay_on_their_field(sign_up):
    UserFactory(username="hanbit")
    response = sign_up(email="not-an-address")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"email"}  # not "username": that one is taken, and the page does not say so
    assert not mail.outbox


def test_sign_up_is_rate_limited_per_client_address(sign_up):
    """Counted per address as the lock-out sees it: a rotated X-Forwarded-For is not an address."""
    answers = [
        sign_up(username=f"sme{n}", email=f"sme{n}@example.kr", forwarded=f"198.51.100.{n}").status_code
        for n in range(12)
    ]
    assert answers[:10] == [302] * 10
    assert answers[10:] == [429, 429]
    assert User.objects.filter(username__startswith="sme").count() == 10
    refused = sign_up(username="patient", email="patient@example.kr")
    page = refused.content.decode()
    assert refused.status_code == 429 and "잠시 후 다시 시도해 주세요" in page
    assert 'value="patient@example.kr"' in page  # what was typed is still there
    assert sign_up(ip="10.1.0.2").status_code == 302  # another address
