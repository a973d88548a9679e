"""The demo's spending, deposits, settlements, clawbacks and bans (SPEC §18, §15.2; issue 20 item 7),
walked through the services as staff and the SMEs would, so every rule holds on the demo data:

- the SME's share is deposited before building starts (half) and before the final payment (the rest),
  so every payment passes the deposit rule (§18.2);
- projects being built, in completion review, and the settled sample of the completed ones have 5–8
  spending lines each with a PDF as evidence and unique 24-digit invoice numbers; one line is from a
  supplier that is not the agreement's, one is a credit note (세금계산서 취소);
- the settled projects' lines are reviewed (a few disallowed, with the reason), the settlement is
  confirmed and the final payment pays exactly the balances; one of them spent less than it was paid
  and owes a refund (a `settlement` clawback);
- the terminated project owes what it was paid: a collusion clawback with a ban on the company,
  partly collected;
- one supplier is banned.

Completed projects of the older programs beyond a sample of each are left as they were paid, before
spending was recorded. Everything is deterministic and done once: a second run finds it done.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.models import Application, ParticipationBan, Supplier
from applicants.services.bans import ban_record
from execution.models import Clawback, Deposit, Settlement, SpendingLine
from execution.services.clawbacks import clawable, clawback_collect, clawback_open
from execution.services.deposits import deposit_record
from execution.services.settlement import settlement_confirm
from execution.services.spending import spending_record, spending_review
from execution.settlement import settlement_figures
from funds.models import CostShare, Disbursement
from funds.services import disbursement_record
from ops.demo import DAY, S, rng_for
from ops.projects_demo import completion_pdf
from projects.models import Agreement

SETTLED_PER_PROGRAM = 3  # completed projects of each program that went through spending and settlement
REFUND_SHARE = 0.4  # the refund project spent 40 % of its total, less than the half it was paid
SPENDING_PDF = completion_pdf(
    ["전자세금계산서 (공급받는자 보관용)", "스마트공장 구축 설비·용역", "(데모용 가상 증빙)"]
)
ITEMS = [
    "MES 구축 용역",
    "POP 단말기",
    "PLC 제어반",
    "비전 검사 카메라",
    "산업용 PC·서버",
    "센서·배선 공사",
    "ERP 연동 개발",
    "작업자 교육",
]
DISALLOWED_REASON = "구축 범위와 무관한 사무용 비품 구입으로 불인정합니다. (데모)"
COLLUSION_NOTE = "공급기업과 공모하여 기업부담금을 돌려받은 사실이 확인되어 환수합니다. (데모)"
SUPPLIER_BAN_REASON = "허위 세금계산서 발행 (데모)"
SUPPLIER_BAN_BASIS = "중소기업 스마트제조혁신 지원사업 세부관리기준 제40조 (데모)"


@contextmanager
def status_as(application: Application, status: str) -> Iterator[None]:
    """The application in `status` for the services, then back where the demo keeps it: the demo
    stores each application's final status, and the services act only in the state they belong to
    (a completed project was being built when its SME spent and paid in its share)."""
    kept = application.status
    Application.objects.filter(pk=application.pk).update(status=status)
    application.status = status
    try:
        yield
    finally:
        Application.objects.filter(pk=application.pk).update(status=kept)
        application.status = kept


def sme_share(application: Application) -> int:
    return CostShare.objects.filter(application=application).values_list("sme", flat=True).first() or 0


def deposit_first_half(application: Application, *, actor, before: datetime.date) -> None:
    """The first deposit, half the SME's share rounded up (the advance pays at most half the funders'
    shares), before building starts. Once; none when the SME pays nothing (유형2)."""
    sme = sme_share(application)
    if sme <= 0 or Deposit.objects.filter(application=application).exists():
        return
    with status_as(application, S.BUILDING):
        deposit_record(
            actor=actor, application=application, amount=sme - sme // 2, deposited_on=before - 3 * DAY
        )


def deposit_rest(application: Application, *, actor, on: datetime.date) -> None:
    """The rest of the SME's share, before the final payment (made in completion review)."""
    sme = sme_share(application)
    deposited = sum(Deposit.objects.filter(application=application).values_list("amount", flat=True))
    if sme - deposited > 0:
        with status_as(application, S.COMPLETION_REVIEW):
            deposit_record(actor=actor, application=application, amount=sme - deposited, deposited_on=on)


def settled_sample(applications: list[Application], demo_company: str) -> set[int]:
    """The completed projects that went through spending and settlement: the first few of each
    program, and the demo company's (its register shows a settled project)."""
    chosen: dict[int, list[int]] = {}
    ours = set()
    for application in sorted(applications, key=lambda a: a.pk):
        if application.status == S.COMPLETED:
            chosen.setdefault(application.program_id, []).append(application.pk)
            if application.company.business_number == demo_company:
                ours.add(application.pk)
    return ours | {pk for pks in chosen.values() for pk in pks[:SETTLED_PER_PROGRAM]}


class ExecutionSeeder:
    """Spending, reviews, settlement and the final payment of the demo's projects (see the module)."""

    def __init__(self, *, actors: dict, owner_of: Callable, today: datetime.date, demo_company: str):
        self.actors = actors  # program id → its staff user
        self.owner_of = owner_of  # application → the company's owner user, who records the spending
        self.today = today
        self.demo_company = demo_company
        self.rng = rng_for("execution")
        self.flagged = {"supplier_mismatch": False, "credit_note": False}
        self.refund_done = False

    def run(self, applications: list[Application]) -> None:
        settled = settled_sample(applications, self.demo_company)
        running = (S.BUILDING, S.COMPLETION_REVIEW)
        for application in sorted(applications, key=lambda a: a.pk):
            if application.status in running or application.pk in settled:
                self.project(application, settle=application.pk in settled)

    def project(self, application: Application, *, settle: bool) -> None:
        agreement = Agreement.objects.filter(application=application).select_related("supplier").first()
        if agreement is None or SpendingLine.objects.filter(application=application).exists():
            return
        total = CostShare.objects.get(application=application).total
        refund = settle and not self.refund_done and application.company.business_number != self.demo_company
        with status_as(application, S.BUILDING):
            share = _share(self, application, settle, refund)
            lines = self.spend(application, agreement, total, share=share, running=not settle)
        if settle:
            self.refund_done |= refund
            self.review(application, lines)
            self.settle(application, agreement)

    def spend(self, application, agreement, total: int, *, share: float, running: bool) -> list[SpendingLine]:
        """5–8 lines over the agreement's period; on projects still running (their lines await review,
        flagged first in staff's queue), one from a supplier not the agreement's and a credit note."""
        rng, owner = self.rng, self.owner_of(application)
        count = rng.randint(5, 8)
        starts_on: datetime.date = agreement.starts_on or self.today - 30 * DAY
        last: datetime.date = min(agreement.ends_on or self.today, self.today - DAY)
        span = max(1, (last - starts_on).days)
        amounts = _amounts(rng, round(total * share), count)
        supplier = agreement.supplier.business_number if agreement.supplier else None
        lines = []
        for i, amount in enumerate(amounts):
            spent_on = starts_on + (span * (i + 1) // (count + 1)) * DAY
            number, evidence, item = supplier, "tax_invoice", ITEMS[(i + count) % len(ITEMS)]
            if running and i == 1 and not self.flagged["supplier_mismatch"] and supplier:
                number = _other_supplier(supplier)  # a supplier that is not the agreement's
                self.flagged["supplier_mismatch"] = True
            if i == count - 1 and rng.random() < 0.25:
                evidence = "card"
            lines.append(self.line(application, owner, spent_on, number, item, amount, evidence, i))
        if running and not self.flagged["credit_note"] and not lines[1].supplier_mismatch:
            self.flagged["credit_note"] = True  # an invoice cancelled by a minus one (세금계산서 취소)
            lines.append(
                self.line(application, owner, last, supplier, ITEMS[0], -amounts[0] // 10, "tax_invoice", 9)
            )
        return lines

    def line(self, application, owner, spent_on, supplier, item, amount, evidence, i) -> SpendingLine:
        bn = application.company.business_number
        return spending_record(
            actor=owner,
            application=application,
            spent_on=spent_on,
            supplier_business_number=supplier or bn,
            item=item,
            amount=amount,
            evidence=evidence,
            # 24 digits, unique: the day, the company's business number, the program's year, the line
            invoice_number=f"{spent_on:%Y%m%d}{bn}{application.program.year % 100:02d}{i:04d}"
            if evidence == "tax_invoice"
            else None,
            document=SimpleUploadedFile("세금계산서.pdf", SPENDING_PDF, content_type="application/pdf"),
        )

    def review(self, application: Application, lines: list[SpendingLine]) -> None:
        """Staff approve every line but a mismatched supplier's and, in a few projects, one more."""
        staff = self.actors[application.program_id]
        odd = self.rng.random() < 0.3
        for i, line in enumerate(lines):
            disallow = line.supplier_mismatch or (odd and i == len(lines) - 1 and line.amount > 0)
            if disallow:
                spending_review(actor=staff, line=line, decision="disallowed", reason=DISALLOWED_REASON)
            else:
                spending_review(actor=staff, line=line, decision="approved")

    def settle(self, application: Application, agreement: Agreement) -> None:
        """Confirm the settlement (in completion review), then the rest of the SME's share and the
        final payment of exactly the balances; a refund opens its clawback in the service."""
        if Settlement.objects.filter(application=application).exists():
            return
        staff = self.actors[application.program_id]
        ends_on: datetime.date = agreement.ends_on or self.today
        on: datetime.date = min(ends_on + 20 * DAY, self.today - DAY)
        with status_as(application, S.COMPLETION_REVIEW):
            settlement_confirm(actor=staff, application=application)
            due = sum(settlement_figures(application=application).final_due.values())
            if due > 0:
                deposit_rest(application, actor=staff, on=on - DAY)
                disbursement_record(
                    actor=staff, application=application, amount=due, kind=Disbursement.Kind.FINAL, paid_on=on
                )


def _share(seeder: ExecutionSeeder, application: Application, settle: bool, refund: bool) -> float:
    """How much of its total a project has spent: the refund project less than it was paid, a settled
    one all of it, one being built part of it."""
    if refund:
        return REFUND_SHARE
    if settle or application.status == S.COMPLETION_REVIEW:
        return 1.0
    return seeder.rng.uniform(0.3, 0.7)


def _amounts(rng, total: int, count: int) -> list[int]:
    """`count` amounts in whole thousands summing to `total` rounded down to a thousand."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
    thousands = total // 1000
    amounts = [max(1, int(thousands * w / sum(weights))) for w in weights]
    amounts[0] += thousands - sum(amounts)
    return [a * 1000 for a in amounts]


def _other_supplier(business_number: str) -> str:
    return (
        Supplier.objects.exclude(business_number=business_number)
        .order_by("business_number")
        .values_list("business_number", flat=True)
        .first()
        or business_number
    )


def terminated_clawback(application: Application, *, actor, today: datetime.date) -> None:
    """The terminated project owes back what it was paid (SPEC §4 `terminate`, §18.4): collusion with
    its supplier, with a ban on the company, a third collected so far. Once."""
    if Clawback.objects.filter(application=application).exists():
        return
    owed = clawable(application_id=application.pk)
    if not any(owed.values()):
        return
    clawback = clawback_open(
        actor=actor,
        application=application,
        reason=Clawback.Reason.COLLUSION,
        government=owed["government"],
        sponsor=owed["sponsor"],
        due_on=today + 30 * DAY,
        ban=True,
        note=COLLUSION_NOTE,
    )
    clawback_collect(
        actor=actor, clawback=clawback, amount=clawback.amount // 3, collected_on=today - 5 * DAY
    )


def supplier_ban(application: Application, *, actor, today: datetime.date) -> None:
    """The supplier of the terminated project's collusion is banned too (SPEC §15.2): live applications
    that chose it are flagged on staff's pages. Once."""
    supplier = application.supplier
    if supplier is None or ParticipationBan.objects.filter(subject_type="supplier").exists():
        return
    ban_record(
        actor=actor,
        subject_type="supplier",
        business_number=supplier.business_number,
        reason=SUPPLIER_BAN_REASON,
        basis=SUPPLIER_BAN_BASIS,
        starts_on=today - 30 * DAY,
    )
