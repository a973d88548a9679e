"""The profile (내 정보, `/account/`, SPEC §20): a signed-in user's own name, e-mail address and phone,
edited and audited; a new address needs the current password and is told to the old one."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.views.profile import ACCOUNT_PAGES
from program.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OLD = "correct-horse-42"
PHONE = "010-1234-5678"


@pytest.fixture
def kim():
    return UserFactory(username="kim", email="kim@factory.example", first_name="김담당", phone=PHONE)


@pytest.fixture
def signed_in(client, kim):
    client.force_login(kim)
    return client


@pytest.fixture
def save(signed_in, django_capture_on_commit_callbacks, eager_tasks):
    def post(**changes):
        data = {"first_name": "김담당", "email": "kim@factory.example", "phone": "010-1234-5678", **changes}
        with django_capture_on_commit_callbacks(execute=True):
            return signed_in.post(reverse("accounts:profile"), data)

    return post


def _row(user):
    return User.objects.filter(pk=user.pk).values().get()


def test_the_page_shows_the_account_and_links_its_pages(signed_in):
    page = signed_in.get(reverse("accounts:profile")).content.decode()
    assert "내 정보" in page and "kim" in page
    for value in ["김담당", "kim@factory.example", PHONE]:
        assert f'value="{value}"' in page
    assert reverse("accounts:password-change") in page
    for _label, name in ACCOUNT_PAGES:
        if name != "accounts:consent":
            assert reverse(name) in page
    # The consent page is applicants' only: others are not sent to a page that refuses them.
    assert reverse("accounts:consent") not in page


def test_an_applicant_is_linked_to_the_consent_page_too(client):
    applicant = UserFactory(role="applicant")
    client.force_login(applicant)

    page = client.get(reverse("accounts:profile")).content.decode()

    for _label, name in ACCOUNT_PAGES:
        assert reverse(name) in page


def test_the_header_links_to_it_when_signed_in(client, signed_in):
    home = signed_in.get(reverse("program:home")).content.decode()
    assert home.count(f'href="{reverse("accounts:profile")}"') == 2  # the utility list and the mobile menu
    signed_in.logout()
    assert reverse("accounts:profile") not in client.get(reverse("program:home")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_edit_is_saved_and_audited_before_and_after(save, kim):
    response = save(first_name="김한빛", phone="02-123-4567")
    assert response["Location"] == reverse("accounts:profile")
    kim.refresh_from_db()
    assert (kim.first_name, kim.phone, kim.email) == ("김한빛", "02-123-4567", "kim@factory.example")
    event = AuditEvent.objects.get(action="account.profile_update")
    assert event.actor == kim and event.target == kim
    assert event.before == {"first_name": "김담당", "phone": "010-1234-5678"}
    assert event.after == {"first_name": "김한빛", "phone": "02-123-4567"}
    assert not mail.outbox


def test_nothing_changed_writes_nothing(save):
    assert save().status_code == 302
    assert not AuditEvent.objects.exists()


BAD_PHONES = ["010-1234-567a", "phone", "010 1234 5678", "010-١٢٣٤-5678", "12-34", "0" * 21]


@pytest.mark.parametrize("phone", BAD_PHONES)
def test_a_bad_phone_is_refused_in_korean_and_changes_nothing(save, kim, phone):
    before = _row(kim)
    response = save(phone=phone, first_name="바뀐이름")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["phone"]
    assert "전화번호" in errors["phone"][0] or "최대" in errors["phone"][0]
    assert "전화번호" in response.content.decode()
    assert _row(kim) == before
    assert not AuditEvent.objects.exists()


def test_a_phone_may_be_left_blank(save, kim):
    assert save(phone="").status_code == 302
    kim.refresh_from_db()
    assert kim.phone == ""


def test_the_name_and_address_are_required(save, kim):
    before = _row(kim)
    response = save(first_name="", email="")
    assert response.status_code == 400 and set(response.context["form"].errors) == {"first_name", "email"}
    assert _row(kim) == before


def test_a_new_address_needs_the_current_password(save, kim):
    before = _row(kim)
    response = save(email="new@factory.example")
    assert response.status_code == 400
    assert "현재 비밀번호" in response.context["form"].errors["current_password"][0]
    assert save(email="new@factory.example", current_password="wrong").status_code == 400
    assert _row(kim) == before and not mail.outbox


def test_a_new_address_is_told_to_the_old_one(save, kim):
    assert save(email="new@factory.example", current_password=OLD).status_code == 302
    kim.refresh_from_db()
    assert kim.email == "new@factory.example"
    assert [m.to for m in mail.outbox] == [["kim@factory.example"]]
    assert "new@factory.example" in mail.outbox[0].body and "사용자 이름: kim" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="account.profile_update")
    assert event.before == {"email": "kim@factory.example"}
    assert event.after == {"email": "new@factory.example"}
    assert OLD not in str(event.after)


def test_wrong_passwords_for_a_new_address_are_limited_per_account(save, kim, settings):
    settings.PASSWORD_CHECK_RATE = "2/hour"
    wrong = [save(email="x@factory.example", current_password="no").status_code for _n in range(2)]
    assert wrong == [400, 400]
    refused = save(email="x@factory.example", current_password=OLD)
    assert refused.status_code == 429 and "잠시 후 다시 시도해 주세요" in refused.content.decode()
    kim.refresh_from_db()
    assert kim.email == "kim@factory.example"
    assert save(phone="02-987-6543").status_code == 302  # other edits are not held up


def test_the_page_query_count(signed_in, django_assert_num_queries):
    # the session, the user with its agency, the header's unread count
    with django_assert_num_queries(3):
        assert signed_in.get(reverse("accounts:profile")).status_code == 200


def test_each_user_edits_only_itself(client, kim):
    lee = UserFactory(applicant=True, email="lee@sme.example")
    client.force_login(lee)
    client.post(reverse("accounts:profile"), {"first_name": "이", "email": "lee@sme.example", "phone": ""})
    kim.refresh_from_db()
    assert kim.first_name == "김담당"
    assert User.objects.get(pk=lee.pk).first_name == "이"


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("account.profile_update", "내 정보 수정"),
        ("account.password_change", "비밀번호 변경"),
        ("account.password_reset", "비밀번호 재설정(메일 링크)"),
    ],
)
def test_the_audit_trail_names_the_account_events(action, label):
    from program.audit import audit_label

    assert str(audit_label(action)) == label
