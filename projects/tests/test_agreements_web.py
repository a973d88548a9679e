"""The agreement's API (SPEC §16), its pages, its PDF and its reminders."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from applicants.models import Application, ReminderSent
from applicants.services import reminders
from applicants.tasks import send_due_reminders
from program.models import Notification, OutgoingEmail
from projects.models import Agreement, AgreementSignature
from projects.services.agreements import AGREEMENT_SIGN_DAYS, agreement_send, agreement_sign, agreement_update
from projects.tests.conftest import PASSWORD
from tests.factories import KPI_TARGETS, UserFactory, api_client

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
BODY = {
    "starts_on": "2026-03-01",
    "ends_on": "2026-08-31",
    "kpi_targets": KPI_TARGETS,
    "supplier": None,
}


def _url(application, tail=""):
    return f"/api/v1/applications/{application.pk}/agreement/{tail}"


def _draft(staff, application):
    return agreement_update(
        actor=staff,
        application=application,
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 8, 31),
        kpi_targets=[dict(row) for row in KPI_TARGETS],
        supplier=application.supplier,
    )


def _sent(staff, application):
    _draft(staff, application)
    return agreement_send(actor=staff, application=application)


# --- API ---------------------------------------------------------------------------------------------


def test_the_whole_path_through_the_api(staff, owner, selected):
    staff_api, owner_api = api_client(staff), api_client(owner)
    answer = staff_api.get(_url(selected))
    assert answer.status_code == 200
    assert answer.json()["status"] == "draft"
    assert answer.json()["amounts"]["total"] == 123_456_000
    assert not Agreement.objects.exists()  # reading writes nothing

    answer = staff_api.put(_url(selected), {**BODY, "supplier": selected.supplier_id}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["kpi_targets"][1] == {"kpi": "defect_rate", "baseline": "3.5", "target": "2"}

    answer = staff_api.post(_url(selected, "send/"))
    assert answer.status_code == 200
    sha = answer.json()["document_sha256"]
    assert len(sha) == 64 and answer.json()["status"] == "sent"

    answer = owner_api.post(_url(selected, "sign/"), {"password": "wrong"}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (400, "password_invalid")
    answer = owner_api.post(_url(selected, "sign/"), {"password": PASSWORD}, format="json")
    assert answer.status_code == 200
    assert answer.json()["status"] == "signed_by_sme"

    answer = staff_api.post(_url(selected, "countersign/"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "countersigned"
    assert [s["party"] for s in body["signatures"]] == ["sme", "agency"]
    assert {s["document_sha256"] for s in body["signatures"]} == {sha}
    assert Application.objects.get(pk=selected.pk).status == Application.Status.AGREEMENT

    document = owner_api.get(_url(selected, "document/"))
    assert document.status_code == 200
    assert b"".join(document.streaming_content).startswith(b"%PDF")


def test_put_answers_field_errors(staff, selected):
    body = {**BODY, "ends_on": "2026-09-02", "kpi_targets": KPI_TARGETS[:2], "supplier": selected.supplier_id}
    answer = api_client(staff).put(_url(selected), body, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) >= {"ends_on", "kpi_targets"}


def test_sign_agreement_through_the_transitions_endpoint_answers_409(staff, selected):
    answer = api_client(staff).post(
        f"/api/v1/applications/{selected.pk}/transitions/", {"action": "sign_agreement"}, format="json"
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "agreement_unsigned")


def test_a_state_refusal_answers_409_with_its_code(staff, selected):
    answer = api_client(staff).post(_url(selected, "countersign/"))
    assert (answer.status_code, answer.json()["code"]) == (409, "agreement_not_signed")


@pytest.mark.parametrize(
    ("who", "status"),
    [("evaluator", 404), ("mentor", 404), ("outsider", 404), ("sponsor", 200), ("ministry", 200)],
)
def test_who_reads_the_agreement(selected, who, status):
    users = {
        "evaluator": lambda: UserFactory(evaluator=True),
        "mentor": lambda: UserFactory(mentor=True),
        "outsider": lambda: UserFactory(applicant=True),
        "sponsor": lambda: UserFactory(sponsor_user=True, sponsor=selected.program.sponsor),
        "ministry": lambda: UserFactory(ministry=True),
    }
    assert api_client(users[who]()).get(_url(selected)).status_code == status


def test_the_sponsor_and_the_ministry_may_not_write(selected):
    for user in (
        UserFactory(sponsor_user=True, sponsor=selected.program.sponsor),
        UserFactory(ministry=True),
    ):
        client = api_client(user)
        assert client.put(_url(selected), BODY, format="json").status_code == 403
        assert client.post(_url(selected, "send/")).status_code == 403
        assert client.post(_url(selected, "countersign/")).status_code == 403
        assert client.post(_url(selected, "sign/"), {"password": PASSWORD}, format="json").status_code == 403


def test_the_api_get_keeps_its_queries_flat(staff, owner, selected, django_assert_max_num_queries):
    _sent(staff, selected)
    agreement_sign(actor=owner, application=selected, password=PASSWORD, ip=None)
    client = api_client(staff)
    with django_assert_max_num_queries(6):
        assert client.get(_url(selected)).status_code == 200


# --- pages --------------------------------------------------------------------------------------------


def _form(application, **fields):
    data = {"starts_on": "2026-03-01", "ends_on": "2026-08-31", "supplier": application.supplier_id}
    for index, row in enumerate(KPI_TARGETS):
        data.update(
            {
                f"kpi_{index}": row["kpi"],
                f"baseline_{index}": row["baseline"],
                f"target_{index}": row["target"],
            }
        )
    return {**data, **fields}


def test_staff_draft_send_and_countersign_from_the_panel(client, staff, owner, selected):
    client.force_login(staff)
    page = client.get(f"/staff/applications/{selected.pk}/").content.decode()
    assert 'id="panel-agreement"' in page and "협약서 발송" not in page  # nothing saved yet to send
    answer = client.post(f"/staff/applications/{selected.pk}/agreement/", _form(selected))
    assert answer.status_code == 302
    assert Agreement.objects.get().kpi_targets[0]["kpi"] == "productivity"
    page = client.get(f"/staff/applications/{selected.pk}/panels/agreement/").content.decode()
    assert "협약서 발송" in page and 'data-confirm-title="협약서를 발송할까요?"' in page
    assert client.post(f"/staff/applications/{selected.pk}/agreement/send/").status_code == 302
    agreement_sign(actor=owner, application=selected, password=PASSWORD, ip="203.0.113.9")
    panel = client.get(f"/staff/applications/{selected.pk}/panels/agreement/").content.decode()
    assert "203.0.113.9" in panel and "서명 확인(협약 체결)" in panel
    assert client.post(f"/staff/applications/{selected.pk}/agreement/countersign/").status_code == 302
    assert Application.objects.get(pk=selected.pk).status == Application.Status.AGREEMENT


def test_a_refused_draft_shows_its_errors_at_the_fields(client, staff, selected):
    client.force_login(staff)
    data = _form(selected, ends_on="2026-09-02", kpi_2="", baseline_2="", target_2="")
    answer = client.post(f"/staff/applications/{selected.pk}/agreement/", data, **HTMX)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert html.startswith('<div id="panel-agreement"')
    assert "구축 기간은 6개월을 넘을 수 없습니다" in html
    assert "성과목표는 서로 다른 성과지표로 3개 이상" in html
    assert not Agreement.objects.exists()


def test_sending_an_incomplete_draft_answers_400_with_the_reason(client, staff, selected):
    client.force_login(staff)
    Agreement.objects.create(application=selected, supplier=selected.supplier)
    answer = client.post(f"/staff/applications/{selected.pk}/agreement/send/", **HTMX)
    assert answer.status_code == 400
    assert "협약 시작일을 입력해 주세요." in answer.content.decode()


def test_the_owner_signs_on_its_page(client, staff, owner, selected):
    _sent(staff, selected)
    client.force_login(owner)
    page = client.get(f"/my/applications/{selected.pk}/agreement/").content.decode()
    assert "협약 내용을 확인했습니다" in page and "123,456,000" in page
    url = f"/my/applications/{selected.pk}/agreement/"
    answer = client.post(url, {"password": PASSWORD})
    assert answer.status_code == 400 and "협약 내용을 확인했다는 데 표시해 주세요." in answer.content.decode()
    answer = client.post(url, {"password": "wrong", "confirmed": "on"})
    assert answer.status_code == 400 and "비밀번호가 맞지 않습니다." in answer.content.decode()
    assert client.post(url, {"password": PASSWORD, "confirmed": "on"}).status_code == 302
    signature = AgreementSignature.objects.get()
    assert (signature.party, signature.ip_address) == ("sme", "127.0.0.1")
    page = client.get(url).content.decode()
    assert "협약서 서명</h2>" not in page and signature.document_sha256[:10] in page


def test_the_sme_page_links_to_the_agreement(client, owner, selected):
    client.force_login(owner)
    page = client.get(f"/my/applications/{selected.pk}/").content.decode()
    assert f'href="/my/applications/{selected.pk}/agreement/"' in page


def test_the_pages_keep_their_queries_flat(client, staff, owner, selected, django_assert_max_num_queries):
    _sent(staff, selected)
    agreement_sign(actor=owner, application=selected, password=PASSWORD, ip=None)
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        assert client.get(f"/staff/applications/{selected.pk}/panels/agreement/").status_code == 200
    client.force_login(owner)
    with django_assert_max_num_queries(10):
        assert client.get(f"/my/applications/{selected.pk}/agreement/").status_code == 200


# --- the PDF ------------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext")
def test_the_pdf_reads_in_korean_with_the_amounts(staff, selected, tmp_path):
    agreement = _sent(staff, selected)
    path = tmp_path / "agreement.pdf"
    with agreement.document.open("rb") as document:
        path.write_bytes(document.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    for expected in (
        "스마트공장 구축 지원사업 협약서",
        "전담기관",
        selected.program.agency.name,
        selected.program.sponsor.name,
        selected.company.name,
        selected.supplier.name,
        selected.title,
        "2026. 3. 1. ~ 2026. 8. 31.",
        "123,456,000",
        "불량률",
        "협약변경",
        "15일",
    ):
        assert expected in text, expected
    share = selected.cost_share
    for amount in (share.government, share.sponsor, share.sme):
        assert f"{amount:,}" in text


# --- reminders ----------------------------------------------------------------------------------------


def test_the_sme_is_reminded_to_sign_three_days_before_and_on_the_day(staff, owner, selected):
    agreement = _sent(staff, selected)
    sent_on = timezone.localtime(agreement.sent_at).date()
    due = sent_on + datetime.timedelta(days=AGREEMENT_SIGN_DAYS)
    assert reminders.reminders_send(today=due - datetime.timedelta(days=4)) == 0
    assert send_due_reminders(today=(due - datetime.timedelta(days=3)).isoformat()) == 1
    assert send_due_reminders(today=(due - datetime.timedelta(days=3)).isoformat()) == 0  # once
    assert send_due_reminders(today=due.isoformat()) == 1
    kinds = sorted(ReminderSent.objects.values_list("kind", flat=True))
    assert kinds == ["agreement_sign.due_in_3_days", "agreement_sign.due_today"]
    notice = Notification.objects.filter(user=owner, kind="reminder.agreement_sign.due_today").get()
    assert notice.url == f"/my/applications/{selected.pk}/agreement/"
    assert OutgoingEmail.objects.filter(to=owner.email, subject__contains="오늘 협약서 서명 기한").exists()


def test_a_signed_agreement_is_not_reminded(staff, owner, selected):
    agreement = _sent(staff, selected)
    agreement_sign(actor=owner, application=selected, password=PASSWORD, ip=None)
    due = timezone.localtime(agreement.sent_at).date() + datetime.timedelta(days=AGREEMENT_SIGN_DAYS)
    assert reminders.reminders_send(today=due) == 0
