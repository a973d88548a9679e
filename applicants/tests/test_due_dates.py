"""보완 기한 on change requests (SPEC §19, issue 18 item 4): set by staff, shown to both sides."""

import datetime

import pytest
from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from applicants.templatetags.due import due_state
from config.errors import DomainError
from program.models import AuditEvent, OutgoingEmail
from tests.factories import DECLARATIONS, ApplicationFactory, UserFactory, api_client

pytestmark = pytest.mark.django_db
S = Application.Status


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def staff():
    return UserFactory(role="staff")


@pytest.fixture
def owner():
    return UserFactory(applicant=True, email="ceo@sme.kr")


@pytest.fixture
def screening(owner):
    return ApplicationFactory(
        company=owner.company, status=S.SCREENING, documents=True, submitted_at=timezone.now()
    )


def _request_changes(application, staff, **kwargs):
    return application_transition(
        application=application,
        action="request_changes",
        actor=staff,
        note="견적서를 다시 올려 주세요.",
        **kwargs,
    )


def test_it_defaults_to_fourteen_days_and_is_audited_and_mailed(screening, staff):
    application = _request_changes(screening, staff)
    assert application.changes_due_on == _days(14)
    event = AuditEvent.objects.get(action="application.request_changes")
    assert event.after == {"status": "changes_requested", "changes_due_on": _days(14).isoformat()}
    assert "보완 기한:" in OutgoingEmail.objects.get(to="ceo@sme.kr").body


def test_it_takes_a_date_from_today_to_sixty_days(screening, staff):
    assert _request_changes(screening, staff, due_on=_days(0)).changes_due_on == _days(0)


@pytest.mark.parametrize(
    "days,message",
    [(-1, "보완 기한은 오늘 이후 날짜여야 합니다."), (61, "보완 기한은 오늘부터 60일 안으로 정해 주세요.")],
)
def test_it_refuses_a_date_out_of_range_and_changes_nothing(screening, staff, days, message):
    with pytest.raises(DomainError) as refused:
        _request_changes(screening, staff, due_on=_days(days))
    assert (refused.value.code, str(refused.value.message)) == ("due_on_invalid", message)
    screening.refresh_from_db()
    assert (screening.status, screening.changes_due_on) == (S.SCREENING, None)
    assert not AuditEvent.objects.filter(action="application.request_changes").exists()


def test_resubmitting_clears_it(screening, staff, owner):
    _request_changes(screening, staff, due_on=_days(5))
    application = application_transition(
        application=screening, action="submit", actor=owner, declarations=DECLARATIONS
    )
    assert application.changes_due_on is None
    event = AuditEvent.objects.filter(action="application.submit").latest("pk")
    assert event.before["changes_due_on"] == _days(5).isoformat() and event.after["changes_due_on"] is None


@pytest.mark.parametrize(
    "days,label,tone",
    [
        (5, "5일 남음", "bg-light-warning"),
        (0, "오늘 마감", "bg-light-warning"),
        (-2, "기한 지남 (2일)", "bg-light-danger"),
    ],
)
def test_the_due_state_reads_as_people_say_it(days, label, tone):
    today = datetime.date(2026, 12, 10)
    due = due_state(today + datetime.timedelta(days=days), today)
    assert (due.days_left, due.label, due.tone) == (days, label, tone)
    assert due_state(None) is None


@pytest.mark.parametrize("days,label", [(5, "5일 남음"), (0, "오늘 마감"), (-2, "기한 지남 (2일)")])
def test_the_sme_sees_the_due_date_on_its_page_and_home(client, owner, screening, staff, days, label):
    _request_changes(screening, staff)
    Application.objects.filter(pk=screening.pk).update(changes_due_on=_days(days))
    client.force_login(owner)
    page = client.get(f"/my/applications/{screening.pk}/").content.decode()
    home = client.get("/").content.decode()
    for html in (page, home):
        assert "보완 기한" in html and f">{label}</span>" in html
        assert f'<time datetime="{_days(days).isoformat()}">' in html


def test_staff_set_it_on_the_page_and_see_it_in_the_header(client, staff, screening):
    client.force_login(staff)
    url = f"/staff/applications/{screening.pk}/"
    form = client.get(url).content.decode()
    assert f'name="due_on" value="{_days(14).isoformat()}"' in form
    response = client.post(
        f"{url}transition/", {"action": "request_changes", "note": "보완", "due_on": _days(7).isoformat()}
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.changes_due_on == _days(7)
    assert ">7일 남음</span>" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "typed,message",
    [
        ("2026-13-01", "보완 기한을 YYYY-MM-DD 형식의 날짜로 입력해 주세요."),
        ("2000-01-01", "보완 기한은 오늘 이후 날짜여야 합니다."),
    ],
)
def test_a_bad_date_on_the_page_is_shown_at_the_field(client, staff, screening, typed, message):
    client.force_login(staff)
    response = client.post(
        f"/staff/applications/{screening.pk}/transition/",
        {"action": "request_changes", "note": "보완 <메모>", "due_on": typed},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<p class="field-error form-hint-invalid" id="due-error">{message}</p>' in page
    assert (
        f'value="{typed}"' in page
        and ">보완 &lt;메모&gt;</textarea>" in page
        and 'id="note-error"' not in page
    )
    screening.refresh_from_db()
    assert (screening.status, screening.changes_due_on) == (S.SCREENING, None)


def test_other_actions_ignore_the_date_field(client, staff, screening):
    client.force_login(staff)
    client.post(
        f"/staff/applications/{screening.pk}/transition/", {"action": "start_evaluation", "due_on": "x"}
    )
    screening.refresh_from_db()
    assert (screening.status, screening.changes_due_on) == (S.EVALUATION, None)


def test_the_api_takes_and_shows_it(staff, screening):
    url = f"/api/v1/applications/{screening.pk}/transitions/"
    bad = api_client(staff).post(
        url, {"action": "request_changes", "note": "보완", "due_on": "tomorrow"}, format="json"
    )
    assert bad.status_code == 400 and "due_on" in bad.json()
    late = api_client(staff).post(
        url, {"action": "request_changes", "note": "보완", "due_on": _days(90).isoformat()}, format="json"
    )
    assert late.status_code == 400 and late.json()["code"] == "due_on_invalid"
    response = api_client(staff).post(
        url, {"action": "request_changes", "note": "보완", "due_on": _days(10).isoformat()}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["changes_due_on"] == _days(10).isoformat()
