"""Spending lines (집행, SPEC §18.1): recorded by the SME's owner while `building`, with evidence and
flags computed when recorded; reviewed by staff.

An invoice number is spent once in the whole system. The service looks first (an indexed lookup, the
common case answered fast) and the database's unique constraint decides a race: the second of two
concurrent inserts fails inside a savepoint and answers the same 409 `duplicate_invoice`.
"""

import datetime
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.selectors import application_lock
from applicants.services.applications import require_in_agency
from config.errors import Conflict, NotAllowed
from config.uploads import check_file, file_extension
from execution.models import INVOICE_DIGITS, Settlement, SpendingLine
from execution.permissions import can_manage_execution, can_record_spending
from execution.selectors import agreed_total, spending_sums
from program.business_number import normalize_business_number
from program.cost_share import MAX_TOTAL
from program.notifications import notify
from program.services import audit_event_record
from program.validators import check_field
from projects.models import Agreement

Status = SpendingLine.Status
Evidence = SpendingLine.Evidence
# Evidence is a scanned or issued document: PDF or a picture, at most 20 MB (an application's limit).
EVIDENCE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")
EVIDENCE_MAX_SIZE = 20 * 1024 * 1024
_INVOICE = re.compile(rf"^[0-9]{{{INVOICE_DIGITS}}}$")


def evidence_check(upload, *, field: str) -> str:
    """The stored name's extension for an acceptable evidence file (PDF or image, by its bytes), or a
    ValidationError at `field`."""
    try:
        check_file(upload, extensions=EVIDENCE_EXTENSIONS, max_size=EVIDENCE_MAX_SIZE)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return file_extension(upload.name)


def evidence_rename(upload, extension: str) -> None:
    """Stored under a random name: the SME's file name says nothing on disk or in a signed URL."""
    upload.name = f"{uuid.uuid4().hex}.{extension}"


def evidence_discard(stored) -> None:
    """Delete the file that save() wrote for a row that then rolled back (no file without its row)."""
    if stored and getattr(stored, "_committed", False):
        stored.storage.delete(stored.name)


def _duplicate_invoice() -> Conflict:
    return Conflict(_("이미 등록된 세금계산서 승인번호입니다."), code="duplicate_invoice")


def invoice_taken(invoice_number: str) -> bool:
    """Whether the invoice number is recorded anywhere (the unique index answers)."""
    return SpendingLine.objects.filter(invoice_number=invoice_number).exists()


def _clean_invoice(evidence: str, invoice_number: str | None) -> str | None:
    number = (invoice_number or "").strip().replace("-", "")
    if not number:
        if evidence == Evidence.TAX_INVOICE:
            raise ValidationError(
                {"invoice_number": _("전자세금계산서는 승인번호(숫자 24자리)를 입력해 주세요.")}
            )
        return None
    if not _INVOICE.match(number):
        raise ValidationError({"invoice_number": _("세금계산서 승인번호는 숫자 24자리입니다.")})
    return number


def _clean_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
        raise ValidationError({"amount": _("금액을 0이 아닌 원 단위 정수로 입력해 주세요.")})
    if abs(amount) > MAX_TOTAL:
        raise ValidationError({"amount": _("금액은 100억 원(10,000,000,000원)을 넘을 수 없습니다.")})
    return amount


def _cleaned(*, spent_on, supplier_business_number, item, amount, evidence, invoice_number) -> dict:
    """The line's values checked, each refused at its field (400); nothing is saved before."""
    if not isinstance(spent_on, datetime.date) or isinstance(spent_on, datetime.datetime):
        raise ValidationError({"spent_on": _("집행일을 입력해 주세요.")})
    check_field(SpendingLine, "spent_on", spent_on)
    try:
        business_number = normalize_business_number(supplier_business_number)
    except ValidationError as error:
        raise ValidationError({"supplier_business_number": error.messages}) from None
    item = (item or "").strip()
    if not item:
        raise ValidationError({"item": _("집행 내용을 입력해 주세요.")})
    check_field(SpendingLine, "item", item)
    if evidence not in Evidence.values:
        raise ValidationError({"evidence": _("증빙 구분을 선택해 주세요.")})
    return {
        "spent_on": spent_on,
        "supplier_business_number": business_number,
        "item": item,
        "amount": _clean_amount(amount),
        "evidence": evidence,
        "invoice_number": _clean_invoice(evidence, invoice_number),
    }


def spending_flags(*, application: Application, spent_on, supplier_business_number: str, amount: int) -> dict:
    """The four flags of a line about to be recorded (SPEC §18.1), against the agreement as it stands
    and the application's lines so far; kept on the line, so staff review what was seen then."""
    agreement = Agreement.objects.filter(application=application).select_related("supplier").first()
    supplier = agreement.supplier if agreement else None
    starts_on = agreement.starts_on if agreement else None
    ends_on = agreement.ends_on if agreement else None
    counted = spending_sums(application_id=application.pk).counted + amount
    flags = {
        "supplier_mismatch": supplier is not None and supplier.business_number != supplier_business_number,
        "outside_period": bool((starts_on and spent_on < starts_on) or (ends_on and spent_on > ends_on)),
        "credit_note": amount < 0,
        "over_budget": counted > agreed_total(application=application),
    }
    return {**flags, "flagged": any(flags.values())}


def _recordable(actor, application: Application) -> Application:
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    if not can_record_spending(actor, application):
        raise NotAllowed()
    if application.status != Application.Status.BUILDING:
        raise Conflict(_("구축 중인 사업만 집행 내역을 등록할 수 있습니다."), code="not_building")
    return application


def _insert(line: SpendingLine) -> None:
    """Save in a savepoint: a concurrent request that recorded the same invoice number first makes
    the unique constraint fail here, which answers 409 like the check before it."""
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        if line.invoice_number and invoice_taken(line.invoice_number):
            raise _duplicate_invoice() from None
        raise


@transaction.atomic
def spending_record(
    *,
    actor,
    application,
    spent_on,
    supplier_business_number: str,
    item: str,
    amount: int,
    evidence: str,
    invoice_number: str | None,
    document,
) -> SpendingLine:
    """Record one line; 409 `duplicate_invoice` for an invoice number recorded anywhere.

    The application row is locked, so the `over_budget` sum counts every line recorded before this
    one. The evidence file is written with the row; if anything after fails, it is deleted again."""
    application = _recordable(actor, application)
    values = _cleaned(
        spent_on=spent_on,
        supplier_business_number=supplier_business_number,
        item=item,
        amount=amount,
        evidence=evidence,
        invoice_number=invoice_number,
    )
    if document is None:
        raise ValidationError({"document": _("증빙 파일을 올려 주세요.")})
    extension = evidence_check(document, field="document")
    if values["invoice_number"] and invoice_taken(values["invoice_number"]):
        raise _duplicate_invoice()
    flags = spending_flags(
        application=application,
        spent_on=values["spent_on"],
        supplier_business_number=values["supplier_business_number"],
        amount=values["amount"],
    )
    evidence_rename(document, extension)
    line = SpendingLine(application=application, document=document, recorded_by=actor, **values, **flags)
    try:
        _insert(line)
        audit_event_record(actor=actor, action="spending.record", target=line, after=_recorded(line))
    except BaseException:
        evidence_discard(line.document)
        raise
    return line


def _recorded(line: SpendingLine) -> dict:
    return {
        "application": line.application_id,
        "spent_on": line.spent_on.isoformat(),
        "supplier_business_number": line.supplier_business_number,
        "item": line.item,
        "amount": line.amount,
        "evidence": line.evidence,
        "invoice_number": line.invoice_number,
        "flags": line.flags,
    }


def _reviewable(actor, line: SpendingLine) -> tuple[Application, SpendingLine]:
    """The application locked first (the order of every write on it), then the line."""
    application = application_lock(application_id=line.application_id)
    require_in_agency(actor, application)
    if not can_manage_execution(actor, application):
        raise NotAllowed()
    # A confirmed settlement fixed the approved sum; changing a review now would unsettle it.
    if Settlement.objects.filter(application=application).exists():
        raise Conflict(_("정산이 확정되어 집행 내역을 다시 검토할 수 없습니다."), code="settlement_confirmed")
    return application, SpendingLine.objects.select_for_update().get(pk=line.pk)


@transaction.atomic
def spending_review(*, actor, line: SpendingLine, decision: str, reason: str = "") -> SpendingLine:
    """Staff approve or disallow (reason required) one line; a reviewed line may be reviewed again
    until the settlement is confirmed (409 `settlement_confirmed`). The SME's people are told of a
    disallowed line."""
    application, line = _reviewable(actor, line)
    if decision not in (Status.APPROVED, Status.DISALLOWED):
        raise ValidationError({"decision": _("인정 또는 불인정을 선택해 주세요.")})
    reason = (reason or "").strip()
    if decision == Status.DISALLOWED and not reason:
        raise ValidationError({"reason": _("불인정 사유를 입력해 주세요.")})
    check_field(SpendingLine, "reason", reason)
    before = {"status": line.status, "reason": line.reason}
    line.status, line.reason = decision, reason
    line.reviewed_by, line.reviewed_at = actor, timezone.now()
    line.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
    audit_event_record(
        actor=actor,
        action="spending.review",
        target=line,
        before=before,
        after={"status": line.status, "reason": line.reason},
        note=reason,
    )
    if decision == Status.DISALLOWED:
        _tell_disallowed(application, line)
    return line


def _tell_disallowed(application: Application, line: SpendingLine) -> None:
    notify(
        subject=_("[상생형 스마트공장] %(title)s: 집행 내역 불인정") % {"title": application.title},
        body=_(
            "'%(title)s'의 집행 내역(%(spent_on)s, %(item)s, %(amount)s원)이 불인정되었습니다."
            "\n\n사유: %(reason)s"
        )
        % {
            "title": application.title,
            "spent_on": line.spent_on.isoformat(),
            "item": line.item,
            "amount": f"{line.amount:,}",
            "reason": line.reason,
        },
        users=application.company.members.all(),
        url=reverse("applicants:my-detail", args=[application.pk]),
        kind="spending.review",
        target=application,
    )
