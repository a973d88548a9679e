import datetime

import pytest
from django.utils import timezone

from program.models import Program
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_lists_every_announced_program_open_first(client):
    today = timezone.localdate()
    past = ProgramFactory(
        title="지난 사업",
        status=Program.Status.CLOSED,
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=1),
    )
    open_later = ProgramFactory(title="늦게 마감 사업", closes_on=today + datetime.timedelta(days=20))
    open_soon = ProgramFactory(title="곧 마감 사업", closes_on=today + datetime.timedelta(days=5))
    ProgramFactory(title="준비중 사업", status=Program.Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "준비중 사업" not in body
    positions = [body.index(p.title) for p in (open_soon, open_later, past)]
    assert positions == sorted(positions)
    assert f'href="/programs/{open_soon.pk}/"' in body
    assert "마감까지 5일" in body
    assert 'lang="ko"' in body


def test_home_escapes_what_staff_typed(client):
    ProgramFactory(title="<script>alert(1)</script>")
    body = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_home_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    ProgramFactory.create_batch(2)
    with django_assert_num_queries(1):
        client.get("/")
    ProgramFactory.create_batch(8)
    with django_assert_num_queries(1):
        client.get("/")


def test_a_user_signs_in_and_out(client):
    # An evaluator: its password alone signs it in (staff give a second factor too: accounts/tests/
    # test_two_factor.py)
    UserFactory(username="officer", first_name="담당자", role="evaluator")
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    response = client.post("/accounts/login/", {"username": "officer", "password": "correct-horse-42"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "평가위원" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "로그아웃" not in client.get("/").content.decode()


def test_a_wrong_password_is_refused_in_korean(client):
    UserFactory(username="officer")
    response = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert "올바른" in response.content.decode()


def test_english_is_available(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
