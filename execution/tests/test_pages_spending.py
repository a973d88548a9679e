"""The SME's spending register and upload (`/my/applications/<pk>/spending/`) and staff's review queue
(`/staff/spending/`), SPEC §18.1: who sees them, what they show, and that their forms go through the
services (tests/test_access_matrix.py holds every role's answer)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applicants.models import Application
from execution.models import SpendingLine
from projects.tests.helpers import funded_project, owner_of
from tests.factories import (
    AgencyFactory,
    DepositFactory,
    SpendingLineFactory,
    UserFactory,
    invoice_number,
    valid_business_number,
)

pytestmark = pytest.mark.django_db
S = Application.Status
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def staff():
    return UserFactory(role="staff")


@pytest.fixture
def project(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return funded_project(staff)


def signed_in(client, user):
    client.force_login(user)
    return client


def upload(**overrides) -> dict:
    return {
        "spent_on": datetime.date.today().isoformat(),
        "supplier_business_number": valid_business_number(),
        "item": "MES 소프트웨어 라이선스",
        "amount": "12,000,000",
        "evidence": "tax_invoice",
        "invoice_number": invoice_number(),
        "document": SimpleUploadedFile("세금계산서.pdf", PDF, content_type="application/pdf"),
        **overrides,
    }


# --- the SME's register --------------------------------------------------------------------------------


def test_the_register_shows_lines_totals_and_deposits_without_flags(client, project):
    owner = owner_of(project)
    SpendingLineFactory(
        application=project, item="센서 설치", amount=5_000_000, supplier_mismatch=True, flagged=True
    )
    SpendingLineFactory(
        application=project,
        item="PLC 교체",
        amount=3_000_000,
        status="disallowed",
        reason="견적과 다른 품목",
        reviewed_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC),
    )
    DepositFactory(application=project, amount=7_000_000)

    response = signed_in(client, owner).get(reverse("execution:my-spending", args=[project.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "센서 설치" in text and "PLC 교체" in text
    assert "견적과 다른 품목" in text  # the reason of a disallowed line
    assert "협약 공급기업 아님" not in text  # flags are for staff
    assert "7,000,000" in text
    assert response.context["sums"].counted == 5_000_000
    assert response.context["remaining"] == project.cost_share.total - 5_000_000
    assert "집행 내역 등록" in text  # building: the upload form


def test_the_sme_records_a_line_through_the_service(client, project):
    owner = owner_of(project)
    data = upload()

    response = signed_in(client, owner).post(reverse("execution:my-spending", args=[project.pk]), data)

    assert response.status_code == 302
    line = SpendingLine.objects.get(application=project)
    assert (line.amount, line.invoice_number, line.recorded_by) == (12_000_000, data["invoice_number"], owner)


def test_a_credit_note_is_typed_with_a_minus(client, project):
    owner = owner_of(project)
    SpendingLineFactory(application=project, amount=5_000_000)

    response = signed_in(client, owner).post(
        reverse("execution:my-spending", args=[project.pk]), upload(amount="-1,000,000")
    )

    assert response.status_code == 302
    assert SpendingLine.objects.filter(application=project, amount=-1_000_000, credit_note=True).exists()


def test_a_duplicate_invoice_is_shown_on_its_field_and_keeps_what_was_typed(client, project):
    owner = owner_of(project)
    taken = SpendingLineFactory().invoice_number

    response = signed_in(client, owner).post(
        reverse("execution:my-spending", args=[project.pk]), upload(invoice_number=taken, item="로봇 팔")
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "이미 등록된 세금계산서 승인번호입니다." in form.errors["invoice_number"]
    assert 'value="로봇 팔"' in response.content.decode()
    assert not SpendingLine.objects.filter(application=project).exists()


def test_a_tax_invoice_needs_its_number(client, project):
    owner = owner_of(project)

    response = signed_in(client, owner).post(
        reverse("execution:my-spending", args=[project.pk]), upload(invoice_number="")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["invoice_number"]


def test_outside_building_the_register_reads_and_refuses_uploads(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = funded_project(staff, status=S.COMPLETION_REVIEW)
    owner = owner_of(project)
    url = reverse("execution:my-spending", args=[project.pk])

    page = signed_in(client, owner).get(url)
    refused = client.post(url, upload())

    assert page.status_code == 200
    assert "집행 내역은 구축 중인 사업만 등록할 수 있습니다." in page.content.decode()
    assert refused.status_code == 409
    assert not SpendingLine.objects.exists()


def test_the_register_is_not_for_another_company_or_before_selection(client, project):
    outsider = UserFactory(applicant=True)
    assert (
        signed_in(client, outsider).get(reverse("execution:my-spending", args=[project.pk])).status_code
        == 404
    )
    Application.objects.filter(pk=project.pk).update(status=S.EVALUATION)
    owner = owner_of(project)
    assert (
        signed_in(client, owner).get(reverse("execution:my-spending", args=[project.pk])).status_code == 404
    )


def test_the_register_runs_a_fixed_number_of_queries(client, project, django_assert_num_queries):
    owner = owner_of(project)
    signed_in(client, owner)
    url = reverse("execution:my-spending", args=[project.pk])
    client.get(url)  # warm caches (session, translations)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        SpendingLineFactory(application=project)
        DepositFactory(application=project)
    with django_assert_num_queries(few):
        client.get(url)


def test_the_evidence_file_is_for_the_owner_and_officials_in_scope(client, project, staff):
    line = SpendingLineFactory(application=project)
    url = reverse("execution:spending-document", args=[line.pk])

    assert signed_in(client, owner_of(project)).get(url).status_code == 200
    assert signed_in(client, staff).get(url).status_code == 200
    assert (
        signed_in(client, UserFactory(agency=AgencyFactory(name="중소기업중앙회"))).get(url).status_code
        == 404
    )
    assert signed_in(client, UserFactory(applicant=True)).get(url).status_code == 404


# --- staff's queue -------------------------------------------------------------------------------------


def test_the_queue_lists_pending_lines_flagged_first(client, staff, project):
    plain = SpendingLineFactory(application=project, item="평범한 집행")
    flagged = SpendingLineFactory(application=project, item="의심 집행", outside_period=True, flagged=True)
    kbiz = AgencyFactory(name="중소기업중앙회")
    SpendingLineFactory(item="다른 기관 집행", application__program__agency=kbiz)  # another agency's

    response = signed_in(client, staff).get(reverse("execution:spending-queue"))

    assert response.status_code == 200
    assert [row["line"].pk for row in response.context["rows"]] == [flagged.pk, plain.pk]
    text = response.content.decode()
    assert "협약기간 밖" in text and "다른 기관 집행" not in text


def test_the_queue_filters_by_flag_program_and_status(client, staff, project):
    SpendingLineFactory(application=project, item="평범한 집행")
    credit = SpendingLineFactory(application=project, amount=-10, credit_note=True, flagged=True)
    done = SpendingLineFactory(
        application=project, status="approved", reviewed_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    )
    signed_in(client, staff)
    url = reverse("execution:spending-queue")

    by_flag = client.get(url, {"flag": "credit_note"})
    by_status = client.get(url, {"status": "approved", "program": project.program_id})
    other_program = client.get(url, {"program": project.program_id + 1000})

    assert [row["line"].pk for row in by_flag.context["rows"]] == [credit.pk]
    assert [row["line"].pk for row in by_status.context["rows"]] == [done.pk]
    assert other_program.context["rows"] == []


def test_the_queue_runs_a_fixed_number_of_queries(client, staff, project, django_assert_num_queries):
    for _ in range(3):
        SpendingLineFactory(application=project)
    signed_in(client, staff)
    url = reverse("execution:spending-queue")
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(10):
        SpendingLineFactory(application=project, flagged=True, over_budget=True)
    with django_assert_num_queries(6):
        client.get(url)


def test_staff_approve_a_line_from_the_queue(client, staff, project):
    line = SpendingLineFactory(application=project)
    signed_in(client, staff)
    next_url = reverse("execution:spending-queue") + "?flag="

    response = client.post(
        reverse("execution:spending-review", args=[line.pk]), {"decision": "approved", "next": next_url}
    )

    assert response.status_code == 302 and response["Location"] == next_url
    line.refresh_from_db()
    assert (line.status, line.reviewed_by) == ("approved", staff)


def test_disallowing_needs_a_reason_and_htmx_gets_the_row(client, staff, project):
    line = SpendingLineFactory(application=project)
    signed_in(client, staff)
    url = reverse("execution:spending-review", args=[line.pk])

    refused = client.post(url, {"decision": "disallowed", "reason": ""}, HTTP_HX_REQUEST="true")
    done = client.post(url, {"decision": "disallowed", "reason": "증빙 불일치"}, HTTP_HX_REQUEST="true")

    assert refused.status_code == 400
    assert "불인정 사유를 적어 주세요." in refused.content.decode()
    assert done.status_code == 200
    assert f'id="line-{line.pk}"' in done.content.decode() and "증빙 불일치" in done.content.decode()
    line.refresh_from_db()
    assert (line.status, line.reason) == ("disallowed", "증빙 불일치")


def test_the_ministry_reads_the_queue_without_forms_and_may_not_review(client, project):
    line = SpendingLineFactory(application=project)
    ministry = UserFactory(ministry=True)
    signed_in(client, ministry)

    page = client.get(reverse("execution:spending-queue"))
    refused = client.post(reverse("execution:spending-review", args=[line.pk]), {"decision": "approved"})

    assert page.status_code == 200
    assert page.context["rows"][0]["form"] is None
    assert refused.status_code == 403


def test_staff_of_another_agency_get_404_on_a_line(client, project):
    line = SpendingLineFactory(application=project)
    other = UserFactory(agency=AgencyFactory(name="중소기업중앙회"))
    response = signed_in(client, other).post(
        reverse("execution:spending-review", args=[line.pk]), {"decision": "approved"}
    )
    assert response.status_code == 404
