"""Retention (SPEC §20, issue 22 item 5): companies whose applications all ended rejected or withdrawn
more than RETENTION_YEARS ago, and whose users have not signed in since, are anonymised, once; the
dry run shows it first and changes nothing. The clock is the `today` argument / `--today`."""

import datetime
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Consent, User
from applicants import retention
from applicants.models import Application, Attachment, Company, Message
from applicants.tasks import anonymise_expired
from program.models import AuditEvent, Notification, OutgoingEmail
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2032, 6, 1)  # five years before: 2027-06-01


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day))


def ended(company, status: str, day: str, **fields) -> Application:
    """An application of `company` that ended `status` on `day`, as the workflow records it."""
    application = ApplicationFactory(company=company, status=status, **fields)
    event = AuditEvent.objects.create(
        action="application.reject" if status == "rejected" else "application.withdraw",
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
        after={"status": status},
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=at(day))
    return application


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RETENTION_YEARS = 5


def company_with_user(last_login="2026-01-10", registered="2025-01-01"):
    user = UserFactory(applicant=True, first_name="김한빛", last_name="김", email="kim@old.example")
    User.objects.filter(pk=user.pk).update(last_login=at(last_login) if last_login else None)
    Company.objects.filter(pk=user.company_id).update(created_at=at(registered))
    return user.company, user


def due(today=TODAY) -> set[int]:
    return {company.pk for company in retention.companies_due(today=today)}


def test_a_company_rejected_long_ago_without_sign_in_since_is_due():
    company, _ = company_with_user()
    ended(company, "rejected", "2026-03-01")
    assert due() == {company.pk}


def test_one_ended_within_the_retention_years_is_not():
    company, _ = company_with_user()
    ended(company, "rejected", "2027-07-01")
    assert due() == set()
    assert due(today=datetime.date(2032, 7, 2)) == {company.pk}  # a year later it is


def test_a_company_with_a_selected_or_live_application_is_not():
    for status in ("selected", "completed", "terminated", "submitted", "draft"):
        company, _ = company_with_user()
        ended(company, "rejected", "2026-03-01")
        ApplicationFactory(company=company, status=status, decided_at=at("2026-03-01"))
    assert due() == set()


def test_a_user_who_signed_in_within_the_years_keeps_the_company():
    company, _ = company_with_user(last_login="2028-01-01")
    ended(company, "rejected", "2026-03-01")
    other, _ = company_with_user(last_login=None)  # never signed in
    ended(other, "rejected", "2026-03-01")
    assert due() == {other.pk}


def test_rejected_and_withdrawn_together_count_from_the_last_end():
    company, _ = company_with_user()
    ended(company, "rejected", "2025-03-01")
    ended(company, "withdrawn", "2026-09-01")
    late, _ = company_with_user()
    ended(late, "rejected", "2025-03-01")
    # decided (selected) long ago, withdrawn only recently: the audit trail's date counts
    ended(late, "withdrawn", "2029-01-01", decided_at=at("2025-01-01"))
    assert due() == {company.pk}


def test_without_an_audit_event_the_decision_date_or_last_change_counts():
    company, _ = company_with_user()
    application = ApplicationFactory(company=company, status="rejected", decided_at=at("2026-01-01"))
    assert due() == {company.pk}
    Application.objects.filter(pk=application.pk).update(decided_at=None, updated_at=at("2030-01-01"))
    assert due() == set()


def test_a_company_that_never_applied_counts_from_its_registration():
    old, _ = company_with_user(registered="2026-01-01")
    recent, _ = company_with_user(registered="2028-01-01")
    assert due() == {old.pk}
    assert recent.pk not in due()


def _world():
    company, user = company_with_user()
    application = ended(
        company, "rejected", "2026-03-01", plan="대표 김한빛의 개인 사정", total_cost=120_000_000
    )
    attachment = Attachment(
        application=application,
        kind="quote",
        original_name="김한빛_견적서.pdf",
        content_type="application/pdf",
        size=9,
    )
    attachment.file.save("quote.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    staff = UserFactory()
    Message.objects.create(
        application=application, author=user, author_name="김한빛", body="제 전화는 010-1234-5678"
    )
    Message.objects.create(application=application, author=staff, author_name="담당", body="확인했습니다")
    Notification.objects.create(user=user, title="김한빛님", body="...")
    OutgoingEmail.objects.create(to="kim@old.example", subject="s", body="b")
    Consent.objects.create(user=user, kind="privacy", version="2026-12-01", agreed=True)
    return company, user, application, attachment


def test_anonymising_blanks_the_personal_data_and_keeps_the_figures(django_capture_on_commit_callbacks):
    company, user, application, attachment = _world()
    name = attachment.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        (done,) = retention.anonymise_expired(today=TODAY)

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert user.username == f"탈퇴-{user.pk}" and not user.is_active and not user.has_usable_password()
    company.refresh_from_db()
    assert company.representative == "" and company.business_number and company.annual_revenue
    application.refresh_from_db()
    assert (
        application.plan == "" and application.total_cost == 120_000_000 and application.status == "rejected"
    )
    bodies = dict(Message.objects.values_list("author_name", "body"))
    assert bodies == {f"탈퇴-{user.pk}": "", "담당": "확인했습니다"}
    attachment.refresh_from_db()
    assert attachment.file.name == "" and attachment.original_name == "" and not default_storage.exists(name)
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()
    assert Consent.objects.filter(user=user).exists()  # the record of what was agreed stays
    event = AuditEvent.objects.get(action="company.anonymise")
    assert event.object_id == company.pk and event.after["users"] == [user.pk] and event.after["files"] == 1
    assert done.messages == 1 and done.applications == 1


def test_a_second_run_changes_nothing():
    _world()
    retention.anonymise_expired(today=TODAY)
    before = (list(User.objects.values()), list(Company.objects.values()), AuditEvent.objects.count())
    assert retention.anonymise_expired(today=TODAY) == []
    assert retention.anonymise_expired(today=datetime.date(2040, 1, 1)) == []
    assert (list(User.objects.values()), list(Company.objects.values()), AuditEvent.objects.count()) == before
    assert AuditEvent.objects.filter(action="company.anonymise").count() == 1


def test_the_dry_run_shows_what_it_would_do_and_changes_nothing():
    company, *_ = _world()
    before = (list(User.objects.values()), list(Company.objects.values()), list(Message.objects.values()))
    out = StringIO()
    call_command("retention", "--today", "2032-06-01", stdout=out)
    text = out.getvalue()
    assert f"#{company.pk} {company.name}" in text
    assert "사용자 1명, 신청서 1건, 메시지 1건, 서류 1건" in text and "미리보기" in text
    assert (
        list(User.objects.values()),
        list(Company.objects.values()),
        list(Message.objects.values()),
    ) == before
    assert not AuditEvent.objects.filter(action="company.anonymise").exists()


def test_the_command_commits_when_told():
    _company, user, *_ = _world()
    out = StringIO()
    call_command("retention", "--commit", "--today", "2032-06-01", stdout=out)
    assert "1곳의 개인정보를 익명화했습니다." in out.getvalue()
    user.refresh_from_db()
    assert user.username.startswith("탈퇴-")


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention", "--today", "June 1st")


def test_today_nothing_is_due_for_a_recent_company():
    company, _ = company_with_user(last_login=None, registered="2026-11-01")
    call_command("retention", "--commit", stdout=StringIO())  # today's clock
    company.refresh_from_db()
    assert company.representative == "홍길동"


def test_the_beat_task_anonymises(eager_tasks):
    _world()
    assert anonymise_expired.delay("2032-06-01").get() == 1
    assert anonymise_expired.delay("2032-06-01").get() == 0


def test_the_beat_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "applicants.anonymise_expired" in tasks


def test_the_selection_is_one_query(django_assert_num_queries):
    for _ in range(3):
        _world()
    ContentType.objects.get_for_model(Application)
    ContentType.objects.get_for_model(Company)
    with django_assert_num_queries(1):
        companies = list(retention.companies_due(today=TODAY))
    assert [c.user_count for c in companies] == [1, 1, 1]
    assert [c.document_count for c in companies] == [1, 1, 1]
