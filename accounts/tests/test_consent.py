"""개인정보 수집·이용 동의 (SPEC §20, issue 22 item 4): at sign-up its own required box, stored with the
text's version and the time; an applicant who agreed to an older text (or none) is asked again."""

import pytest
from django.core import mail

from accounts.consent import consent_record
from accounts.models import Consent, User
from program.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OLD = "2025-01-01"  # a text before the current one
SIGNUP = {
    "username": "hanbit",
    "first_name": "김한빛",
    "email": "kim@hanbit.example",
    "password1": "sturdy-gear-2026",
    "password2": "sturdy-gear-2026",
}


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks, eager_tasks):
    def post(**data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/apply/signup/", {**SIGNUP, **data})

    return post


@pytest.fixture
def new_version(settings):
    settings.PRIVACY_CONSENT_VERSION = "2027-01-01"
    return settings.PRIVACY_CONSENT_VERSION


def test_the_signup_page_shows_the_text_and_an_unticked_box(client, settings):
    page = client.get("/apply/signup/").content.decode()
    for words in ("수집 항목", "수집·이용 목적", "보유·이용 기간", "동의를 거부할 권리", "가입할 수 없고"):
        assert words in page
    assert f"{settings.RETENTION_YEARS}년" in page and settings.PRIVACY_CONSENT_VERSION in page
    box = page[page.index('name="privacy"') - 200 : page.index('name="privacy"') + 200]
    assert 'type="checkbox"' in box and "checked" not in box
    assert 'name="marketing"' in page


def test_signing_up_without_the_box_is_refused_and_stores_nothing(sign_up):
    response = sign_up()
    assert response.status_code == 400
    assert "개인정보 수집·이용에 동의해야 가입할 수 있습니다." in response.content.decode()
    assert not User.objects.exists() and not Consent.objects.exists() and mail.outbox == []


def test_signing_up_with_the_box_stores_the_consent_with_its_version_and_time(sign_up, settings):
    assert sign_up(privacy="on").status_code == 302
    user = User.objects.get(username="hanbit")
    assert user.privacy_consent_version == settings.PRIVACY_CONSENT_VERSION
    rows = {row.kind: row for row in Consent.objects.filter(user=user)}
    assert rows["privacy"].agreed and rows["privacy"].version == settings.PRIVACY_CONSENT_VERSION
    assert rows["privacy"].created_at is not None
    assert rows["marketing"].agreed is False  # the optional one, left empty, is recorded as answered
    event = AuditEvent.objects.get(action="account.consent", object_id=user.pk)
    assert event.after == {"privacy": settings.PRIVACY_CONSENT_VERSION, "marketing": False}


def test_the_optional_consent_is_separate(sign_up):
    assert sign_up(privacy="on", marketing="on").status_code == 302
    assert Consent.objects.get(kind="marketing").agreed is True
    mail.outbox.clear()
    # The optional box alone is no consent to the required one.
    response = sign_up(username="other", email="other@sme.example", marketing="on")
    assert response.status_code == 400 and not User.objects.filter(username="other").exists()


def test_a_taken_address_stores_no_consent(sign_up):
    UserFactory(username="kim", email="kim@hanbit.example")
    assert sign_up(privacy="on").status_code == 302
    assert not Consent.objects.exists()


def test_an_applicant_who_agreed_to_an_older_text_is_sent_to_the_consent_page(client, new_version):
    user = UserFactory(applicant=True, privacy_consent_version=OLD)  # agreed to the text before
    client.force_login(user)
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"] == "/account/consent/?next=%2Fmy%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "동의하고 계속하기" in page.content.decode()


def test_refusing_again_keeps_them_there_and_changes_nothing(client, new_version):
    user = UserFactory(applicant=True, privacy_consent_version=OLD)
    client.force_login(user)
    response = client.post("/account/consent/", {"next": "/my/"})
    assert response.status_code == 400
    assert "개인정보 수집·이용에 동의해야 서비스를 계속 이용할 수 있습니다." in response.content.decode()
    assert not Consent.objects.exists() and not AuditEvent.objects.filter(action="account.consent").exists()
    assert client.get("/my/").status_code == 302


def test_agreeing_lets_them_through_to_where_they_were_going(client, new_version):
    user = UserFactory(applicant=True, privacy_consent_version=OLD)
    client.force_login(user)
    response = client.post("/account/consent/", {"privacy": "on", "next": "/my/"})
    assert response["Location"] == "/my/"
    user.refresh_from_db()
    assert user.privacy_consent_version == new_version
    assert Consent.objects.get(user=user, kind="privacy").version == new_version
    assert AuditEvent.objects.filter(action="account.consent", object_id=user.pk).count() == 1
    assert client.get("/my/").status_code == 200


def test_an_outside_next_is_not_followed(client, new_version):
    client.force_login(UserFactory(applicant=True, privacy_consent_version=OLD))
    response = client.post("/account/consent/", {"privacy": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_applicant_who_never_agreed_is_asked_too(client):
    user = UserFactory(applicant=True, privacy_consent_version="")  # signed up before consent was asked
    client.force_login(user)
    assert client.get("/")["Location"].startswith("/account/consent/")


@pytest.mark.parametrize(
    "path", ["/account/consent/", "/account/export/", "/api/v1/me/export/", "/i18n/setlang/"]
)
def test_what_stays_open_while_consent_is_owed(client, new_version, path):
    client.force_login(UserFactory(applicant=True, privacy_consent_version=OLD))
    response = client.get(path)
    assert not (response.status_code == 302 and response["Location"].startswith("/account/consent/"))


def test_signing_out_stays_open(client, new_version):
    client.force_login(UserFactory(applicant=True, privacy_consent_version=OLD))
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("traits", [{}, {"evaluator": True}, {"sponsor_user": True}, {"mentor": True}])
def test_other_roles_are_not_asked(client, new_version, traits):
    client.force_login(UserFactory(**traits))
    response = client.get("/")
    assert not response.get("Location", "").startswith("/account/consent/")


def test_the_consent_page_shows_what_was_agreed_and_when_and_withdraws_the_optional_one(client):
    user = UserFactory(applicant=True, privacy_consent_version="")
    consent_record(user=user, optional={"marketing": True})
    client.force_login(user)
    page = client.get("/account/consent/").content.decode()
    assert "사업 안내 메일 수신 동의(선택)" in page and user.privacy_consent_version in page
    assert "동의하고 계속하기" not in page  # nothing owed: the required box is not asked again

    response = client.post("/account/consent/", {})  # the optional box unticked: withdrawn
    assert response.status_code == 302
    latest = Consent.objects.filter(user=user, kind="marketing").order_by("-created_at", "-id").first()
    assert latest.agreed is False
    assert Consent.objects.filter(user=user, kind="marketing").count() == 2  # the record keeps both
    event = AuditEvent.objects.filter(action="account.consent", object_id=user.pk).latest("id")
    assert event.before["marketing"] is True and event.after["marketing"] is False
    # Saving the same answers again records nothing.
    client.post("/account/consent/", {})
    assert Consent.objects.filter(user=user).count() == 3


def test_the_database_refuses_a_refused_required_consent():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Consent.objects.create(user=UserFactory(applicant=True), kind="privacy", version="x", agreed=False)


def test_the_consent_page_is_the_applicants(client):
    assert client.get("/account/consent/")["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get("/account/consent/").status_code == 404


def test_the_consent_page_queries(client, django_assert_num_queries):
    user = UserFactory(applicant=True)
    consent_record(user=user, optional={"marketing": True})
    client.force_login(user)
    client.get("/account/consent/")
    # session, user, consent state, consent history, the header's unread count
    with django_assert_num_queries(5):
        assert client.get("/account/consent/").status_code == 200
