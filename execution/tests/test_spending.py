"""Spending lines (SPEC §18.1): who records them and when, the checks, the four flags, duplicate
invoices, and staff review."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.models import Application
from applicants.services import application_transition
from config.errors import Conflict, NotAllowed
from execution.models import Settlement, SpendingLine
from execution.services.spending import spending_record, spending_review
from program.models import AuditEvent, Notification
from projects.models import Agreement
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ProgramFactory,
    SpendingLineFactory,
    SupplierFactory,
    UserFactory,
    fund_program,
    invoice_number,
    valid_business_number,
)

pytestmark = pytest.mark.django_db

S = Application.Status
STARTS, ENDS = datetime.date(2026, 3, 1), datetime.date(2026, 8, 31)
TOTAL = 100_000_000


def make_building(*, status=S.BUILDING, total_cost=TOTAL, supplier=True):
    """A selected project (split committed) under a countersigned agreement, put in `status`; returns
    (application, owner, staff)."""
    program = ProgramFactory()
    fund_program(program, sponsor=10**10, government=10**10)
    owner = UserFactory(applicant=True)
    staff = UserFactory(agency=program.agency)
    application = ApplicationFactory(
        evaluation=True, program=program, company=owner.company, total_cost=total_cost
    )
    application_transition(application=application, action="select", actor=staff)
    Agreement.objects.create(
        application=application,
        status=Agreement.Status.COUNTERSIGNED,
        starts_on=STARTS,
        original_ends_on=ENDS,
        ends_on=ENDS,
        kpi_targets=[{"kpi": "productivity", "baseline": "100", "target": "120"}],
        supplier=SupplierFactory() if supplier else None,
    )
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application, owner, staff


def pdf(name="invoice.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def supplier_number(application) -> str:
    supplier = Agreement.objects.get(application=application).supplier
    return supplier.business_number if supplier else valid_business_number()


def record(application, owner, **overrides):
    values = {
        "spent_on": datetime.date(2026, 4, 1),
        "supplier_business_number": supplier_number(application),
        "item": "MES 소프트웨어 1차",
        "amount": 10_000_000,
        "evidence": "tax_invoice",
        "invoice_number": invoice_number(),
        "document": pdf(),
    }
    return spending_record(actor=owner, application=application, **(values | overrides))


@pytest.fixture
def project():
    return make_building()


def test_the_owner_records_a_line_with_its_evidence(project):
    application, owner, _ = project

    line = record(application, owner)

    assert line.status == "pending" and line.flags == [] and not line.flagged
    assert line.recorded_by == owner
    assert line.document.name.startswith(f"private/spending/{application.pk}/")
    assert line.document.name.endswith(".pdf") and "invoice" not in line.document.name
    event = AuditEvent.objects.get(action="spending.record")
    assert event.after["amount"] == 10_000_000 and event.after["flags"] == []
    assert not Notification.objects.filter(kind__startswith="spending").exists()  # the weekly digest only


def test_a_hyphenated_business_number_and_invoice_are_stored_as_digits(project):
    application, owner, _ = project
    digits = supplier_number(application)
    number = invoice_number()

    line = record(
        application,
        owner,
        supplier_business_number=f"{digits[:3]}-{digits[3:5]}-{digits[5:]}",
        invoice_number=f"{number[:8]}-{number[8:16]}-{number[16:]}",
    )

    assert line.supplier_business_number == digits and line.invoice_number == number
    assert not line.supplier_mismatch


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("spent_on", None),
        ("spent_on", "2026-04-01"),
        ("spent_on", datetime.date(1990, 1, 1)),
        ("supplier_business_number", "1234567890"),
        ("supplier_business_number", "12345"),
        ("item", "   "),
        ("amount", 0),
        ("amount", "100"),
        ("amount", True),
        ("amount", 10_000_000_001),
        ("amount", -10_000_000_001),
        ("evidence", "cash"),
        ("invoice_number", "1234"),
        ("invoice_number", "a" * 24),
        ("invoice_number", ""),
        ("document", None),
        ("document", SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")),
        ("document", SimpleUploadedFile("sheet.xlsx", b"PK\x03\x04", content_type="application/zip")),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(project, field, value):
    application, owner, _ = project

    with pytest.raises(ValidationError) as error:
        record(application, owner, **{field: value})

    assert field in error.value.message_dict
    assert not SpendingLine.objects.exists()
    assert not AuditEvent.objects.filter(action="spending.record").exists()


def test_card_and_other_evidence_need_no_invoice_number(project):
    application, owner, _ = project

    card = record(application, owner, evidence="card", invoice_number="")
    other = record(application, owner, evidence="other", invoice_number=None)

    assert card.invoice_number is None and other.invoice_number is None


def test_an_invoice_number_recorded_anywhere_answers_duplicate_invoice(project):
    application, owner, _ = project
    taken = SpendingLineFactory().invoice_number  # another project's

    with pytest.raises(Conflict) as error:
        record(application, owner, invoice_number=taken)

    assert error.value.code == "duplicate_invoice"
    assert SpendingLine.objects.count() == 1


def test_a_card_slip_may_carry_an_invoice_number_but_not_a_taken_one(project):
    application, owner, _ = project
    line = record(application, owner)

    with pytest.raises(Conflict) as error:
        record(application, owner, evidence="card", invoice_number=line.invoice_number)

    assert error.value.code == "duplicate_invoice"


@pytest.mark.parametrize("status", [S.SELECTED, S.AGREEMENT, S.COMPLETION_REVIEW, S.COMPLETED, S.TERMINATED])
def test_lines_are_recorded_only_while_building(status):
    application, owner, _ = make_building(status=status)

    with pytest.raises(Conflict) as error:
        record(application, owner)

    assert error.value.code == "not_building"


@pytest.mark.parametrize("who", ["staff", "ministry", "member_of_other_company", "sponsor"])
def test_only_the_owner_records(project, who):
    application, _, staff = project
    user = {
        "staff": staff,
        "ministry": UserFactory(role="ministry"),
        "member_of_other_company": UserFactory(applicant=True),
        "sponsor": UserFactory(role="sponsor", sponsor=application.program.sponsor),
    }[who]

    with pytest.raises(NotAllowed):
        record(application, user)


def test_another_agency_staff_get_404(project):
    from django.http import Http404

    application, _, _ = project

    with pytest.raises(Http404):
        record(application, UserFactory(agency=AgencyFactory(name="중소기업중앙회")))


def test_a_line_from_another_supplier_is_flagged(project):
    application, owner, _ = project

    line = record(application, owner, supplier_business_number=valid_business_number())

    assert line.flags == ["supplier_mismatch"] and line.flagged


def test_without_an_agreed_supplier_no_line_is_a_mismatch():
    application, owner, _ = make_building(supplier=False)

    line = record(application, owner, supplier_business_number=valid_business_number())

    assert not line.supplier_mismatch and not line.flagged


@pytest.mark.parametrize(
    ("spent_on", "outside"),
    [
        (STARTS - datetime.timedelta(days=1), True),
        (STARTS, False),
        (ENDS, False),
        (ENDS + datetime.timedelta(days=1), True),
    ],
)
def test_a_line_outside_the_agreed_period_is_flagged(project, spent_on, outside):
    application, owner, _ = project

    line = record(application, owner, spent_on=spent_on)

    assert line.outside_period is outside and line.flagged is outside


def test_a_credit_note_is_flagged(project):
    application, owner, _ = project

    line = record(application, owner, amount=-2_000_000)

    assert line.flags == ["credit_note"] and line.amount == -2_000_000


def test_spending_past_the_agreed_total_is_flagged_disallowed_lines_left_out(project):
    application, owner, staff = project
    first = record(application, owner, amount=60_000_000)
    spending_review(actor=staff, line=first, decision="disallowed", reason="허위 증빙")
    second = record(application, owner, amount=TOTAL)  # the disallowed line counts for nothing
    third = record(application, owner, amount=1)

    assert not second.over_budget
    assert third.flags == ["over_budget"]


def test_the_agreed_total_follows_the_current_split(project):
    from funds.models import CostShare

    application, owner, _ = project
    CostShare.objects.filter(application=application).update(
        total=50_000_000, government=15_000_000, sponsor=15_000_000, sme=20_000_000
    )

    line = record(application, owner, amount=50_000_001)

    assert line.over_budget


def test_staff_approve_a_line(project):
    application, owner, staff = project
    line = record(application, owner)

    line = spending_review(actor=staff, line=line, decision="approved")

    assert line.status == "approved" and line.reviewed_by == staff and line.reviewed_at
    event = AuditEvent.objects.get(action="spending.review")
    assert event.before == {"status": "pending", "reason": ""}
    assert event.after == {"status": "approved", "reason": ""}
    assert not Notification.objects.filter(kind="spending.review").exists()


def test_a_disallowed_line_needs_a_reason_and_tells_the_company(project):
    application, owner, staff = project
    line = record(application, owner)

    with pytest.raises(ValidationError) as error:
        spending_review(actor=staff, line=line, decision="disallowed", reason=" ")
    line = spending_review(actor=staff, line=line, decision="disallowed", reason="공급기업과 공모")

    assert "reason" in error.value.message_dict
    assert line.status == "disallowed" and line.reason == "공급기업과 공모"
    told = Notification.objects.filter(kind="spending.review")
    assert list(told.values_list("user", flat=True)) == [owner.pk]


def test_an_unknown_decision_is_refused(project):
    application, owner, staff = project
    line = record(application, owner)

    with pytest.raises(ValidationError) as error:
        spending_review(actor=staff, line=line, decision="pending")

    assert "decision" in error.value.message_dict


def test_a_line_is_reviewed_again_until_the_settlement_is_confirmed(project):
    application, owner, staff = project
    line = record(application, owner)
    spending_review(actor=staff, line=line, decision="disallowed", reason="중복")
    line = spending_review(actor=staff, line=line, decision="approved")
    assert line.status == "approved" and line.reason == ""
    Settlement.objects.create(
        application=application, agreed_total=TOTAL, approved=10_000_000, disallowed=0, eligible=10_000_000,
        government=3_000_000, sponsor=3_000_000, sme=4_000_000, paid_government=0, paid_sponsor=0,
        confirmed_by=staff, confirmed_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC),
    )  # fmt: skip

    with pytest.raises(Conflict) as error:
        spending_review(actor=staff, line=line, decision="disallowed", reason="재검토")

    assert error.value.code == "settlement_confirmed"
    line.refresh_from_db()
    assert line.status == "approved"


@pytest.mark.parametrize("who", ["ministry", "owner", "sponsor"])
def test_only_the_agency_staff_review(project, who):
    application, owner, _ = project
    line = record(application, owner)
    user = {
        "ministry": UserFactory(role="ministry"),
        "owner": owner,
        "sponsor": UserFactory(role="sponsor", sponsor=application.program.sponsor),
    }[who]

    with pytest.raises(NotAllowed):
        spending_review(actor=user, line=line, decision="approved")
