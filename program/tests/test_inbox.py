"""The inbox (SPEC §19, docs/domain.md "Inbox"): notices written by notify(), the page, the header's
count and the notifications API."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from program.models import Notification
from program.notifications import notify
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Application.Status


def _notices(user, count, *, read=False, start=None):
    start = start or timezone.now() - datetime.timedelta(days=1)
    return Notification.objects.bulk_create(
        Notification(
            user=user,
            kind="test",
            title=f"알림 {n}",
            url="/my/",
            created_at=start + datetime.timedelta(minutes=n),
            read_at=start if read else None,
        )
        for n in range(count)
    )


# ---- notify()


def test_notify_writes_one_notice_per_active_user_in_one_insert():
    users = [UserFactory(applicant=True) for _ in range(5)] + [UserFactory(is_active=False)]
    with CaptureQueriesContext(connection) as queries:
        notify(subject="[상생형 스마트공장] 보완요청", body="본문", users=users, url="/my/", kind="reminder")
    inserts = [q["sql"] for q in queries.captured_queries if "program_notification" in q["sql"]]
    assert len(inserts) == 1 and inserts[0].startswith("INSERT")
    notices = Notification.objects.order_by("user_id")
    assert [n.user for n in notices] == users[:5]  # not the inactive one
    assert {(n.title, n.body, n.url, n.kind, n.read_at) for n in notices} == {
        ("보완요청", "본문", "/my/", "reminder", None)
    }


def test_notify_rolls_back_with_the_event():
    user = UserFactory(applicant=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(subject="s", body="b", users=[user])
        raise RuntimeError
    assert not Notification.objects.exists()


def test_a_status_change_links_each_audience_to_its_own_page():
    application = ApplicationFactory(status=S.SUBMITTED)
    owner = UserFactory(applicant=True, company=application.company)
    agency_staff = UserFactory(agency=application.program.agency)
    application_transition(application=application, action="withdraw", actor=owner)
    assert Notification.objects.get(user=owner).url == f"/my/applications/{application.pk}/"
    notice = Notification.objects.get(user=agency_staff)
    assert notice.url == f"/staff/applications/{application.pk}/"
    assert notice.kind == "application.status" and notice.target == application
    assert not notice.title.startswith("[")


# ---- the page


def test_the_inbox_shows_unread_first_then_newest_20_a_page(client):
    user = UserFactory(applicant=True)
    read = _notices(user, 15, read=True, start=timezone.now() - datetime.timedelta(hours=1))
    unread = _notices(user, 10, start=timezone.now() - datetime.timedelta(days=2))
    _notices(UserFactory(applicant=True), 3)  # someone else's
    client.force_login(user)
    first = client.get("/inbox/").context["page"]
    assert [n.pk for n in first] == [n.pk for n in reversed(unread)] + [n.pk for n in reversed(read)][:10]
    second = client.get("/inbox/?page=2").context["page"]
    assert [n.pk for n in second] == [n.pk for n in reversed(read)][10:]


def test_opening_a_notice_marks_it_read_and_goes_to_its_object(client):
    user = UserFactory(applicant=True)
    [notice] = _notices(user, 1)
    client.force_login(user)
    assert client.get(f"/inbox/{notice.pk}/open/").status_code == 405  # a GET changes nothing
    response = client.post(f"/inbox/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/my/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_never_sends_anyone_off_the_site(client):
    user = UserFactory(applicant=True)
    notice = Notification.objects.create(user=user, title="t", url="//evil.example/")
    client.force_login(user)
    assert client.post(f"/inbox/{notice.pk}/open/")["Location"] == "/inbox/"


def test_another_users_notice_is_404(client):
    [notice] = _notices(UserFactory(applicant=True), 1)
    client.force_login(UserFactory(applicant=True))
    assert client.post(f"/inbox/{notice.pk}/open/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_read_all_marks_only_ones_own(client):
    user, other = UserFactory(applicant=True), UserFactory(applicant=True)
    _notices(user, 3)
    _notices(other, 2)
    client.force_login(user)
    assert client.post("/inbox/read-all/")["Location"] == "/inbox/"
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 2


def test_an_empty_inbox_says_so(client):
    client.force_login(UserFactory(evaluator=True))
    assert "알림이 없습니다" in client.get("/inbox/").content.decode()


def test_the_inbox_takes_the_same_queries_however_many_notices(client, django_assert_num_queries):
    user = UserFactory(applicant=True)
    client.force_login(user)
    _notices(user, 3)
    client.get("/inbox/")  # warm the session
    # session, user, company (the header's role line), the page's count and rows, the header's count
    with django_assert_num_queries(5) as captured:
        client.get("/inbox/")
    _notices(user, 60)
    _notices(user, 60, read=True)
    with django_assert_num_queries(len(captured)):
        client.get("/inbox/?page=2")


# ---- the header


def test_the_header_shows_the_unread_count(client):
    user = UserFactory(applicant=True)
    _notices(user, 3)
    _notices(user, 2, read=True)
    client.force_login(user)
    html = client.get("/inbox/").content.decode()
    assert "읽지 않은 알림 3건" in html


def test_the_header_counts_to_99_then_says_99_plus(client):
    user = UserFactory(applicant=True)
    _notices(user, 99)
    client.force_login(user)
    assert "읽지 않은 알림 99건" in client.get("/inbox/").content.decode()
    _notices(user, 5)
    assert "읽지 않은 알림 99+건" in client.get("/inbox/").content.decode()


def test_no_count_and_no_query_for_anonymous_visitors(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/accounts/login/").content.decode()
    assert "읽지 않은 알림" not in html
    assert not [q for q in queries.captured_queries if "program_notification" in q["sql"]]


# ---- the API


def test_the_api_lists_own_notices_unread_first(client):
    user = UserFactory(applicant=True)
    [read] = _notices(user, 1, read=True, start=timezone.now())
    [unread] = _notices(user, 1, start=timezone.now() - datetime.timedelta(days=3))
    _notices(UserFactory(applicant=True), 2)
    client.force_login(user)
    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [unread.pk, read.pk]
    assert set(body["results"][0]) == {"id", "kind", "title", "body", "url", "created_at", "read_at"}


def test_the_api_marks_one_and_all_read(client):
    user = UserFactory(applicant=True)
    first, *_rest = _notices(user, 3)
    client.force_login(user)
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert client.post("/api/v1/notifications/abc/read/").status_code == 404


def test_the_api_list_takes_the_same_queries_however_many_notices(client, django_assert_num_queries):
    user = UserFactory(applicant=True)
    client.force_login(user)
    _notices(user, 3)
    client.get("/api/v1/notifications/")
    # session, user, the count, the page
    with django_assert_num_queries(4) as captured:
        client.get("/api/v1/notifications/")
    _notices(user, 150)
    with django_assert_num_queries(len(captured)):
        client.get("/api/v1/notifications/?page=3")


def test_the_schema_describes_the_notifications_api(client):
    client.force_login(UserFactory())
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/notifications/{id}/read/" in schema and "/api/v1/notifications/read-all/" in schema
