"""`imports/` of SPEC §15.5: upload (202), read, confirm (202); another agency's run is 404, the ministry
reads and writes nothing; Korean 400s for bad files; the list's query count."""

import pytest

from applicants.models import SupportRecord
from imports.models import ImportRun
from imports.tests.helpers import csv_bytes, support_row, upload
from tests.factories import AgencyFactory, ImportRunFactory, UserFactory, api_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
URL = "/api/v1/imports/"


@pytest.fixture
def staff():
    return UserFactory(role="staff")


def _post(client, content: bytes, name="지원이력.csv", kind="support_records"):
    return client.post(URL, {"file": upload(content, name), "kind": kind}, format="multipart")


def test_it_uploads_checks_and_confirms(staff, django_capture_on_commit_callbacks):
    client = api_client(staff)
    rows = [support_row(), support_row(연도="20")]
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, csv_bytes(rows))
    assert response.status_code == 202
    run_id = response.json()["id"]
    body = client.get(f"{URL}{run_id}/").json()
    assert {k: body[k] for k in ("status", "progress", "rows", "valid", "error_count")} == {
        "status": "checked", "progress": 100, "rows": 2, "valid": 1, "error_count": 1,
    }  # fmt: skip
    assert body["errors"] == [
        {"row": 3, "column": "연도", "message": "연도는 2000부터 2100 사이의 정수로 입력해 주세요."}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}{run_id}/confirm/")
    assert response.status_code == 202
    body = client.get(f"{URL}{run_id}/").json()
    assert (body["status"], body["created"], body["updated"], body["unchanged"]) == ("done", 1, 0, 0)
    assert SupportRecord.objects.count() == 1
    assert client.post(f"{URL}{run_id}/confirm/").json()["code"] == "import_not_checked"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "support_records"}, "file", "가져올 파일을 골라 주세요."),
        ({"kind": "x", "file": b"a"}, "kind", None),
        (
            {"kind": "bans", "file": b""},
            "file",
            "빈 파일입니다. 내용이 있는 XLSX 또는 CSV 파일을 올려 주세요.",
        ),
        ({"kind": "bans", "file": b"\x89PNG\r\n\x1a\n" + bytes(64)}, "file", None),
        ({"kind": "bans", "file": "가,나\n1,2\n".encode()}, "file", None),
    ],
)
def test_bad_uploads_answer_400_in_korean_and_keep_nothing(staff, data, field, message):
    if "file" in data:
        data = dict(data, file=upload(data["file"], "사진.xlsx"))
    response = api_client(staff).post(URL, data, format="multipart")
    assert response.status_code == 400
    errors = response.json()
    assert field in str(errors)
    if message:
        assert message in str(errors)
    assert ImportRun.objects.count() == 0


def test_a_too_large_file_says_the_limit(staff, settings, monkeypatch):
    from imports import reading

    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    response = _post(api_client(staff), csv_bytes([support_row(), support_row()]))
    assert response.status_code == 400
    assert "100\xa0바이트 이하의 파일만" in response.json()["file"][0]


def test_another_agencys_staff_get_404_and_the_ministry_reads():
    run = ImportRunFactory(valid=1)
    other = UserFactory(role="staff", agency=AgencyFactory(name="중소기업중앙회"))
    assert api_client(other).get(f"{URL}{run.pk}/").status_code == 404
    assert api_client(other).post(f"{URL}{run.pk}/confirm/").status_code == 404
    assert api_client(other).get(URL).json()["count"] == 0
    ministry = UserFactory(ministry=True)
    assert api_client(ministry).get(f"{URL}{run.pk}/").status_code == 200
    assert api_client(ministry).post(f"{URL}{run.pk}/confirm/").status_code == 403
    assert api_client(UserFactory(applicant=True)).get(f"{URL}{run.pk}/").status_code == 404


def test_the_list_takes_three_queries_whatever_its_length(staff, django_assert_num_queries):
    for _ in range(5):
        ImportRunFactory(created_by=staff, confirmed_by=staff)
    client = api_client(staff)
    # the user's agency comes with the user (forced auth): the count, the page
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert response.json()["count"] == 5


def test_the_detail_takes_one_query(staff, django_assert_num_queries):
    run = ImportRunFactory(created_by=staff)
    client = api_client(staff)
    with django_assert_num_queries(1):
        assert client.get(f"{URL}{run.pk}/").status_code == 200


def test_the_schema_documents_the_endpoints(client):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert {"/api/v1/imports/", "/api/v1/imports/{run_id}/", "/api/v1/imports/{run_id}/confirm/"} <= set(
        paths
    )
