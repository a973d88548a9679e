"""The agreement (협약, SPEC §16): drafted by staff after selection, sent as a PDF whose SHA-256 is kept,
signed by the SME's owner (password re-entered), countersigned by staff, which performs the
`sign_agreement` transition. A document whose bytes no longer hash to what was sent cannot be signed."""

import datetime
import hashlib
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application, Supplier
from applicants.selectors import application_lock
from applicants.services import application_transition as workflow_transition
from applicants.services.applications import require_in_agency
from applicants.services.bans import supplier_check
from config.dates import add_months
from config.errors import Conflict, DomainError, NotAllowed
from program.choices import KPI_LOWER_IS_BETTER, KPI_PERCENT, Kpi
from program.notifications import notify, staff_users
from program.services import audit_event_record
from projects.models import Agreement, AgreementSignature
from projects.permissions import can_edit_agreement, can_sign_agreement
from projects.selectors import agreement_lock, agreement_split

MIN_KPI_TARGETS = 3
KPI_VALUE_MAX = Decimal(10) ** 15
AGREEMENT_SIGN_DAYS = 14  # the SME signs within this many days of the sending (reminders, §16)
S = Application.Status


def _plain(agreement: Agreement) -> dict:
    return {
        "status": agreement.status,
        "starts_on": agreement.starts_on.isoformat() if agreement.starts_on else None,
        "ends_on": agreement.ends_on.isoformat() if agreement.ends_on else None,
        "kpi_targets": agreement.kpi_targets,
        "supplier": agreement.supplier_id,
    }


# --- reading and drafting ------------------------------------------------------------------------


def agreement_for(*, application: Application) -> Agreement | None:
    """The application's agreement; its draft is made when the application is selected and has none.
    None before selection (or after an end without one)."""
    agreement = Agreement.objects.select_related("supplier").filter(application_id=application.pk).first()
    if agreement is None and application.status == S.SELECTED:
        agreement, _created = Agreement.objects.get_or_create(
            application_id=application.pk, defaults={"supplier_id": application.supplier_id}
        )
    return agreement


def _locked(actor, application: Application, *, edit: bool) -> tuple[Application, Agreement]:
    """The application and its agreement locked, the actor checked: 404 outside the agency, 403 for a
    role that may not act, 409 when there is no agreement to act on."""
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    allowed = can_edit_agreement if edit else can_sign_agreement
    if not allowed(actor, application):
        raise NotAllowed()
    if application.status != S.SELECTED:
        raise Conflict(_("선정된 신청서에서만 협약을 진행할 수 있습니다."), code="agreement_unavailable")
    agreement_for(application=application)
    agreement = agreement_lock(application_id=application.pk)
    assert agreement is not None  # noqa: S101 — made just above for a selected application
    return application, agreement


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 <= number <= KPI_VALUE_MAX else None


def _check_kpi_row(row, labels: dict, seen: set) -> tuple[dict | None, ValidationError | None]:
    """One KPI target, normalised, or the reason it is refused."""
    kpi = row.get("kpi") if isinstance(row, dict) else None
    if kpi not in labels:
        return None, ValidationError(_("성과지표를 목록에서 골라 주세요."), code="kpi_unknown")
    label = labels[kpi]
    if kpi in seen:
        return None, ValidationError(_("성과지표 '%s'이(가) 두 번 있습니다.") % label, code="kpi_duplicate")
    seen.add(kpi)
    baseline, target = _decimal(row.get("baseline")), _decimal(row.get("target"))
    if baseline is None or target is None:
        return None, ValidationError(
            _("'%s'의 기준값과 목표값을 0 이상의 숫자로 입력해 주세요.") % label, code="kpi_value_invalid"
        )
    if kpi in KPI_PERCENT and max(baseline, target) > 100:
        return None, ValidationError(
            _("'%s'은(는) 100%% 이하로 입력해 주세요.") % label, code="kpi_percent_over"
        )
    better = target < baseline if kpi in KPI_LOWER_IS_BETTER else target > baseline
    if not better:
        message = (
            _("'%s'의 목표값은 기준값보다 낮아야 합니다(낮을수록 개선).")
            if kpi in KPI_LOWER_IS_BETTER
            else _("'%s'의 목표값은 기준값보다 높아야 합니다.")
        )
        return None, ValidationError(message % label, code="kpi_not_better")
    return {
        "kpi": kpi,
        "baseline": format(baseline.normalize(), "f"),
        "target": format(target.normalize(), "f"),
    }, None


def clean_kpi_targets(kpi_targets) -> list[dict]:
    """At least MIN_KPI_TARGETS distinct KPIs (§8), each target better than its baseline in the KPI's
    direction, percents at most 100; raises ValidationError on `kpi_targets` with each reason's code."""
    rows = kpi_targets if isinstance(kpi_targets, list) else []
    labels = dict(Kpi.choices)
    seen: set[str] = set()
    cleaned: list[dict] = []
    errors: list[ValidationError] = []
    for row in rows:
        value, error = _check_kpi_row(row, labels, seen)
        if error is not None:
            errors.append(error)
        elif value is not None:
            cleaned.append(value)
    if not errors and len(cleaned) < MIN_KPI_TARGETS:
        errors.append(
            ValidationError(
                _("성과목표는 서로 다른 성과지표로 %d개 이상 정해 주세요.") % MIN_KPI_TARGETS,
                code="kpi_targets_too_few",
            )
        )
    if errors:
        raise ValidationError({"kpi_targets": errors})
    return cleaned


def _check_period(program, starts_on, ends_on) -> dict[str, ValidationError]:
    errors = {}
    if starts_on is None:
        errors["starts_on"] = ValidationError(_("협약 시작일을 입력해 주세요."), code="starts_on_required")
    if ends_on is None:
        errors["ends_on"] = ValidationError(_("협약 종료일을 입력해 주세요."), code="ends_on_required")
    if starts_on is None or ends_on is None:
        return errors
    if ends_on <= starts_on:
        errors["ends_on"] = ValidationError(
            _("협약 종료일은 시작일보다 뒤여야 합니다."), code="ends_on_before_start"
        )
    elif ends_on > add_months(starts_on, program.build_months):
        errors["ends_on"] = ValidationError(
            _("구축 기간은 %(months)d개월을 넘을 수 없습니다(종료일 %(latest)s까지).")
            % {
                "months": program.build_months,
                "latest": add_months(starts_on, program.build_months).isoformat(),
            },
            code="period_too_long",
        )
    return errors


def _check(program, *, starts_on, ends_on, kpi_targets, supplier) -> list[dict]:
    """Every field of a complete agreement; ValidationError with each field's reasons."""
    errors = _check_period(program, starts_on, ends_on)
    if supplier is None:
        errors["supplier"] = ValidationError(_("공급기업을 선택해 주세요."), code="supplier_required")
    else:
        try:  # 참여제한 (SPEC §15.2): a supplier banned today cannot be the agreement's
            supplier_check(supplier, field="supplier")
        except ValidationError as error:
            errors["supplier"] = ValidationError(error.message_dict["supplier"])
    cleaned: list[dict] = []
    try:
        cleaned = clean_kpi_targets(kpi_targets)
    except ValidationError as error:
        errors["kpi_targets"] = error.error_dict["kpi_targets"]  # type: ignore[assignment]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def agreement_update(
    *,
    actor,
    application: Application,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    kpi_targets: list,
    supplier: Supplier | None,
) -> Agreement:
    """Staff of the agency write the draft (SPEC §16): the period within `program.build_months`, at
    least three KPI targets, the supplier. 409 once sent; 400 with each field's reasons; audited."""
    application, agreement = _locked(actor, application, edit=True)
    if agreement.status != Agreement.Status.DRAFT:
        raise Conflict(_("발송한 협약서는 고칠 수 없습니다."), code="agreement_not_draft")
    cleaned = _check(
        application.program, starts_on=starts_on, ends_on=ends_on, kpi_targets=kpi_targets, supplier=supplier
    )
    before = _plain(agreement)
    agreement.starts_on, agreement.ends_on, agreement.kpi_targets = starts_on, ends_on, cleaned
    agreement.supplier = supplier
    if agreement.created_by_id is None:
        agreement.created_by = actor
    agreement.save()
    audit_event_record(
        actor=actor, action="agreement.update", target=application, before=before, after=_plain(agreement)
    )
    return agreement


# --- sending, signing, countersigning ------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _next_name(agreement: Agreement) -> str:
    """agreement-<application>-<n>.pdf, n counting the sendings of this agreement."""
    found = re.search(r"agreement-\d+-(\d+)", agreement.document.name or "")
    number = int(found.group(1)) + 1 if found else 1
    return f"agreement-{agreement.application_id}-{number}.pdf"


@transaction.atomic
def agreement_send(*, actor, application: Application) -> Agreement:
    """Staff send the complete draft: the PDF is generated and stored with its SHA-256, the end date
    agreed is kept, the SME's people are told to sign. 409 unless a draft with a computed split."""
    from projects.agreement_pdf import agreement_pdf  # WeasyPrint: only where a PDF is made

    application, agreement = _locked(actor, application, edit=True)
    if agreement.status != Agreement.Status.DRAFT:
        raise Conflict(_("작성중인 협약서만 발송할 수 있습니다."), code="agreement_not_draft")
    _check(
        application.program,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        kpi_targets=agreement.kpi_targets,
        supplier=agreement.supplier,
    )
    if agreement_split(application) is None:
        raise Conflict(_("사업비 분담이 아직 계산되지 않았습니다."), code="cost_share_missing")
    before = _plain(agreement)
    data = agreement_pdf(agreement=agreement, application=application)
    agreement.document.save(_next_name(agreement), ContentFile(data), save=False)
    agreement.document_sha256 = _sha256(data)
    agreement.status = Agreement.Status.SENT
    agreement.sent_at = timezone.now()
    agreement.original_ends_on = agreement.ends_on
    agreement.save()
    audit_event_record(
        actor=actor,
        action="agreement.send",
        target=application,
        before=before,
        after={**_plain(agreement), "document_sha256": agreement.document_sha256},
    )
    notify(
        subject=_("[상생형 스마트공장] %s: 협약서 서명 요청") % application.title,
        body=_("'%(title)s'의 협약서가 발송되었습니다. %(days)d일 안에 내용을 확인하고 서명해 주세요.")
        % {"title": application.title, "days": AGREEMENT_SIGN_DAYS},
        users=application.company.members.filter(is_active=True),
        url=reverse("projects:my-agreement", args=[application.pk]),
        kind="agreement.send",
        target=application,
    )
    return agreement


def _check_document(agreement: Agreement) -> str:
    """The stored document's SHA-256, which must still be the one sent; 409 `document_changed` else."""
    try:
        with agreement.document.open("rb") as document:
            digest = _sha256(document.read())
    except (OSError, ValueError):
        digest = ""
    if not agreement.document_sha256 or digest != agreement.document_sha256:
        raise Conflict(
            _("협약서 파일이 발송된 문서와 다릅니다. 전담기관에 다시 발송을 요청해 주세요."),
            code="document_changed",
        )
    return digest


def _sign(agreement: Agreement, *, party: str, actor, ip: str | None) -> AgreementSignature:
    digest = _check_document(agreement)
    return AgreementSignature.objects.create(
        agreement=agreement, party=party, user=actor, ip_address=ip or None, document_sha256=digest
    )


@transaction.atomic
def agreement_sign(*, actor, application: Application, password: str, ip: str | None) -> Agreement:
    """The SME's owner signs the sent agreement by re-entering its password (SPEC §16). 400
    `password_invalid`, 409 `agreement_not_sent` / `document_changed`; nothing changes then."""
    application, agreement = _locked(actor, application, edit=False)
    if agreement.status != Agreement.Status.SENT:
        raise Conflict(_("서명을 요청받은 협약서가 없습니다."), code="agreement_not_sent")
    if not password or not actor.check_password(password):
        raise DomainError(_("비밀번호가 맞지 않습니다."), code="password_invalid")
    before = _plain(agreement)
    signature = _sign(agreement, party=AgreementSignature.Party.SME, actor=actor, ip=ip)
    agreement.status = Agreement.Status.SIGNED_BY_SME
    agreement.save(update_fields=["status", "updated_at"])
    audit_event_record(
        actor=actor,
        action="agreement.sign",
        target=application,
        before=before,
        after={**_plain(agreement), "document_sha256": signature.document_sha256, "ip_address": ip},
    )
    notify(
        subject=_("[상생형 스마트공장] %s: 협약서 기업 서명") % application.title,
        body=_("%(company)s이(가) '%(title)s'의 협약서에 서명했습니다. 확인하고 협약을 체결해 주세요.")
        % {"company": application.company.name, "title": application.title},
        users=staff_users(agency_id=application.program.agency_id),
        url=reverse("applicants:staff-detail", args=[application.pk]) + "#tab-agreement",
        kind="agreement.sign",
        target=application,
    )
    return agreement


@transaction.atomic
def agreement_countersign(*, actor, application: Application, ip: str | None) -> Agreement:
    """Staff countersign what the SME signed, which performs `sign_agreement` (SPEC §16). 409
    `agreement_not_signed` / `document_changed`."""
    application, agreement = _locked(actor, application, edit=True)
    if agreement.status != Agreement.Status.SIGNED_BY_SME:
        raise Conflict(_("기업이 서명한 협약서만 체결할 수 있습니다."), code="agreement_not_signed")
    before = _plain(agreement)
    signature = _sign(agreement, party=AgreementSignature.Party.AGENCY, actor=actor, ip=ip)
    agreement.status = Agreement.Status.COUNTERSIGNED
    agreement.countersigned_at = timezone.now()
    agreement.save(update_fields=["status", "countersigned_at", "updated_at"])
    audit_event_record(
        actor=actor,
        action="agreement.countersign",
        target=application,
        before=before,
        after={**_plain(agreement), "document_sha256": signature.document_sha256, "ip_address": ip},
    )
    workflow_transition(application=application, action="sign_agreement", actor=actor)
    return agreement


@transaction.atomic
def agreement_recall(*, actor, application: Application) -> Agreement:
    """Staff take a sent agreement back to draft before the SME signs (to correct it and send again)."""
    application, agreement = _locked(actor, application, edit=True)
    if agreement.status != Agreement.Status.SENT:
        raise Conflict(_("서명 전인 발송 협약서만 회수할 수 있습니다."), code="agreement_not_sent")
    before = _plain(agreement)
    agreement.status = Agreement.Status.DRAFT
    agreement.save(update_fields=["status", "updated_at"])
    audit_event_record(
        actor=actor, action="agreement.recall", target=application, before=before, after=_plain(agreement)
    )
    return agreement


# --- the workflow's guard --------------------------------------------------------------------------


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """The `application_transition` extension point: `sign_agreement` only on a countersigned agreement."""
    if action != "sign_agreement":
        return
    signed = Agreement.objects.filter(application_id=application.pk, status=Agreement.Status.COUNTERSIGNED)
    if not signed.exists():
        raise Conflict(
            _("협약서에 기업 서명과 전담기관 확인이 끝나야 협약을 체결할 수 있습니다."),
            code="agreement_unsigned",
        )
