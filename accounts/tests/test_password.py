"""Password reset by e-mail and password change on the app's own pages (SPEC §20, issue 22 item 3):
the mail through the outbox and the task queue, the same answer whoever has an account, rate limits
per client address and per address typed, links that work once, wrong current passwords counted."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from program.models import AuditEvent, OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")
OLD = "correct-horse-42"  # the factories' password
NEW = "sturdy-gear-2026"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks, eager_tasks):
    """POST the reset request page as a client at `ip`; the outbox's tasks run in-process on commit."""

    def post(email, ip="10.2.0.1", forwarded=None):
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        url = reverse("accounts:password-reset")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"email": email}, REMOTE_ADDR=ip, **headers)

    return post


@pytest.fixture
def kim():
    return UserFactory(username="kim", email="kim@factory.example", first_name="김담당")


def _link():
    assert len(mail.outbox) == 1
    return LINK.search(mail.outbox[0].body).group(1)


def _answer(response):
    return response.status_code, response.get("Location"), response.content


def _set_password(client, link, password=NEW, confirm=None):
    form_url = client.get(link)["Location"]  # the token moves into the session, out of the URL
    assert "set-password" in form_url
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": confirm or password})


def test_the_login_page_links_to_the_reset_page(client):
    page = client.get(reverse("login")).content.decode()
    assert "비밀번호를 잊으셨나요?" in page and reverse("accounts:password-reset") in page


def test_djangos_own_password_pages_are_gone(client, kim):
    client.force_login(kim)
    for path in [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
    ]:
        assert client.get(path).status_code == 404, path
    assert client.get(reverse("login")).status_code == 200  # sign-in itself is still served


def test_a_reset_goes_by_mail_through_the_outbox_and_the_link_sets_a_new_password(client, ask, kim):
    other = Client()
    other.force_login(kim)  # a session elsewhere, which the new password ends
    response = ask("KIM@factory.example")
    assert response["Location"] == reverse("accounts:password-reset-sent")
    sent = client.get(response["Location"]).content.decode()
    assert "재설정 링크를 메일로 보냈습니다" in sent and "kim@factory.example" not in sent
    row = OutgoingEmail.objects.get()
    assert row.to == "kim@factory.example" and row.status == OutgoingEmail.Status.SENT
    message = mail.outbox[0]
    assert message.to == ["kim@factory.example"] and "비밀번호 재설정" in message.subject
    assert "김담당님" in message.body and "사용자 이름: kim" in message.body

    done = _set_password(client, _link())

    assert done["Location"] == reverse("accounts:password-reset-done")
    kim.refresh_from_db()
    assert kim.check_password(NEW) and not kim.check_password(OLD)
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.actor == kim and event.target == kim and event.before == {} and event.after == {}
    assert "_auth_user_id" not in client.session  # not signed in by the link
    assert client.post(reverse("login"), {"username": "kim", "password": NEW}).status_code == 302
    assert other.get(reverse("accounts:profile")).status_code == 302  # signed out there


def test_a_link_works_once(client, ask, kim):
    ask("kim@factory.example")
    link = _link()
    assert _set_password(client, link).status_code == 302
    again = Client().get(link)
    assert again.status_code == 400 and "만료되었거나 이미 사용" in again.content.decode()
    assert AuditEvent.objects.filter(action="account.password_reset").count() == 1


def test_a_forged_or_expired_link_is_refused(client, ask, kim, monkeypatch):
    ask("kim@factory.example")
    link = _link()
    uid, token = link.split("/")[-3:-1]
    for forged in [f"{uid}/{token[:-1]}x", f"%%%/{token}", f"Mg/{token}", f"{uid}/set-password"]:
        response = client.get(f"/accounts/password/reset/{forged}/")
        assert response.status_code == 400, forged
        assert "재설정 링크 다시 받기" in response.content.decode()
    monkeypatch.setattr(default_token_generator, "_now", lambda: datetime.datetime(2099, 1, 1))
    assert client.get(link).status_code == 400
    kim.refresh_from_db()
    assert kim.check_password(OLD)


def test_a_new_password_that_breaks_the_rules_is_refused_at_its_field(client, ask, kim):
    ask("kim@factory.example")
    response = _set_password(client, _link(), password="12345678")
    assert response.status_code == 400
    assert response.context["form"].errors["new_password2"]
    mismatch = client.post(response.wsgi_request.path, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert mismatch.status_code == 400
    kim.refresh_from_db()
    assert kim.check_password(OLD)
    assert not AuditEvent.objects.filter(action="account.password_reset").exists()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(ask, kim):
    UserFactory(email="gone@factory.example", is_active=False)
    nopassword = UserFactory(email="sso@factory.example")
    nopassword.set_unusable_password()
    nopassword.save()
    known = ask("kim@factory.example")
    answers = [_answer(known)] + [
        _answer(ask(address))
        for address in ["nobody@factory.example", "gone@factory.example", "sso@factory.example"]
    ]
    assert len(set(answers)) == 1
    assert [m.to for m in mail.outbox] == [["kim@factory.example"]]
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["kim@factory.example"]


def test_a_malformed_address_stays_on_its_field(ask):
    response = ask("not-an-address")
    assert response.status_code == 400 and response.context["form"].errors["email"]
    assert not mail.outbox


def test_each_account_at_an_address_gets_its_own_link(client, ask):
    first = UserFactory(username="first", email="shared@factory.example")
    second = UserFactory(username="second", email="Shared@factory.example")
    ask("shared@factory.example")
    assert sorted(m.to[0] for m in mail.outbox) == ["Shared@factory.example", "shared@factory.example"]
    link = next(LINK.search(m.body).group(1) for m in mail.outbox if "사용자 이름: second" in m.body)
    _set_password(client, link)
    first.refresh_from_db(), second.refresh_from_db()
    assert second.check_password(NEW) and first.check_password(OLD)


def test_a_look_alike_address_gets_no_link(ask):
    UserFactory(email="mike@factory.example")
    ask("mıke@factory.example")  # a dotless ı: the database's case-insensitive match may take it
    assert not mail.outbox


def test_requests_are_limited_per_address_whoever_asks(ask, kim, settings):
    """PASSWORD_RESET_ADDRESS_RATE: the same answer beyond it, and no more mail to that mailbox."""
    settings.PASSWORD_RESET_ADDRESS_RATE = "3/hour"
    answers = [_answer(ask("kim@factory.example", ip=f"10.3.0.{n}")) for n in range(5)]
    assert len(set(answers)) == 1 and answers[0][0] == 302
    assert len(mail.outbox) == 3
    unknown = [_answer(ask("nobody@factory.example", ip=f"10.4.0.{n}")) for n in range(5)]
    assert set(unknown) == set(answers)  # an unknown address is counted and answered alike
    ask("other@factory.example")
    assert len(mail.outbox) == 3  # (no such account) — and kim's limit is kim's address's alone
    UserFactory(email="lee@factory.example")
    ask("lee@factory.example")
    assert mail.outbox[-1].to == ["lee@factory.example"]


def test_requests_are_limited_per_client_address(ask, kim, settings):
    """PASSWORD_RESET_IP_RATE, counted per address as the lock-out sees it: a rotated X-Forwarded-For
    is not an address. Over it: a Korean 429 page, and no mail."""
    settings.PASSWORD_RESET_IP_RATE = "4/hour"
    answers = [ask(f"sme{n}@factory.example", forwarded=f"198.51.100.{n}").status_code for n in range(4)]
    assert answers == [302] * 4
    refused = ask("kim@factory.example", forwarded="198.51.100.9")
    page = refused.content.decode()
    assert refused.status_code == 429 and "잠시 후 다시 시도해 주세요" in page
    assert 'value="kim@factory.example"' in page
    assert not mail.outbox
    assert ask("kim@factory.example", ip="10.2.0.2").status_code == 302  # another client
    assert len(mail.outbox) == 1


def test_the_reset_pages_query_counts(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(reverse("accounts:password-reset")).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(reverse("accounts:password-reset-sent")).status_code == 200


def test_a_reset_request_costs_a_query_and_a_mail_row(client, kim, django_assert_num_queries, eager_tasks):
    url = reverse("accounts:password-reset")
    # the accounts at the address, in the service's transaction (a savepoint in the test's)
    with django_assert_num_queries(3):
        client.post(url, {"email": "nobody@factory.example"})
    with django_assert_num_queries(4):  # and the outbox row (its mail is sent after the commit)
        client.post(url, {"email": "kim@factory.example"})


# ------------------------------------------------------------------------------------- change


@pytest.fixture
def signed_in(client, kim):
    client.force_login(kim)
    return client


def _change(client, old=OLD, new=NEW, confirm=None):
    data = {"old_password": old, "new_password1": new, "new_password2": confirm or new}
    return client.post(reverse("accounts:password-change"), data)


def test_a_signed_in_user_changes_its_password_and_stays_signed_in(signed_in, kim):
    other = Client()
    other.force_login(kim)
    response = _change(signed_in)
    assert response["Location"] == reverse("accounts:profile")
    kim.refresh_from_db()
    assert kim.check_password(NEW)
    assert signed_in.get(reverse("accounts:profile")).status_code == 200  # this session kept
    assert other.get(reverse("accounts:profile")).status_code == 302  # the others end
    event = AuditEvent.objects.get(action="account.password_change")
    assert event.actor == kim and event.target == kim
    assert OLD not in str(event.before) + str(event.after) and NEW not in str(event.after)


def test_a_wrong_current_password_changes_nothing(signed_in, kim):
    response = _change(signed_in, old="not-my-password")
    assert response.status_code == 400
    assert response.context["form"].errors["old_password"]
    assert "비밀번호" in response.content.decode()
    kim.refresh_from_db()
    assert kim.check_password(OLD)
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


def test_the_new_password_follows_the_rules(signed_in, kim):
    assert _change(signed_in, new="kimfactory").status_code == 400  # too short, like the username
    assert _change(signed_in, new=NEW, confirm=NEW + "x").status_code == 400
    kim.refresh_from_db()
    assert kim.check_password(OLD)


def test_wrong_current_passwords_are_limited_per_account(signed_in, kim, settings):
    """PASSWORD_CHECK_RATE: past it even the right password is refused (429) without being checked,
    from any session of the account; another account is not affected."""
    settings.PASSWORD_CHECK_RATE = "3/hour"
    assert [_change(signed_in, old=f"guess-{n}").status_code for n in range(3)] == [400] * 3
    refused = _change(signed_in)
    assert refused.status_code == 429 and "잠시 후 다시 시도해 주세요" in refused.content.decode()
    elsewhere = Client()
    elsewhere.force_login(kim)
    assert _change(elsewhere).status_code == 429
    kim.refresh_from_db()
    assert kim.check_password(OLD)
    lee = Client()
    lee.force_login(UserFactory())
    assert _change(lee).status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_change_page_query_count(signed_in, django_assert_num_queries):
    # the session, the user with its agency, the header's unread count
    with django_assert_num_queries(3):
        assert signed_in.get(reverse("accounts:password-change")).status_code == 200


def test_user_is_unchanged_by_a_refused_change(signed_in, kim):
    before = User.objects.filter(pk=kim.pk).values().get()
    _change(signed_in, old="nope")
    assert User.objects.filter(pk=kim.pk).values().get() == before
