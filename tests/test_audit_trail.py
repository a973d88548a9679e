"""Every status change and every money movement leaves its AuditEvent: applications walked through
every workflow action, money contributed, committed, released and paid, and then the trail checked
as a whole — not one assertion per service, but the invariant over everything that happened."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from applicants.workflow import STAFF, TRANSITIONS
from execution.models import Clawback
from execution.services.clawbacks import clawback_collect
from funds.models import Disbursement, LedgerEntry
from funds.services import contribution_record, disbursement_record, fund_budget_sync
from program.models import AuditEvent
from projects.services.inspections import inspection_record
from projects.tests.helpers import ready_for_inspection
from tests.factories import (
    ApplicationFactory,
    ProgramFactory,
    UserFactory,
    countersigned_agreement,
    deposit_sme_share,
    settle,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
PAID_ON = datetime.date(2026, 3, 2)
PAY = "pay"  # a step of a path that is a payment, not a workflow action
REPORT = "report"  # the completion report uploaded (SPEC §17)
INSPECT = "inspect"  # a passing completion inspection recorded (SPEC §17)
SETTLE = "settle"  # the settlement confirmed (SPEC §18.3)
COLLECT = "collect"  # the application's open clawback collected in full (SPEC §18.4)
NOT_ACTIONS = {PAY, REPORT, INSPECT, SETTLE, COLLECT}
PATHS = [
    # every action at least once, with a round of changes requested, a rework, both payments
    ["submit", "start_screening", "request_changes", "submit", "start_screening", "start_evaluation",
     "select", PAY, "sign_agreement", "start_build", REPORT, "submit_completion", "request_rework",
     "submit_completion", INSPECT, PAY, SETTLE, COLLECT, "complete"],
    ["submit", "start_screening", "reject"],
    ["submit", "start_screening", "start_evaluation", "reject"],
    ["submit", "start_screening", "start_evaluation", "select", "sign_agreement", PAY, "withdraw"],
    ["submit", "start_screening", "start_evaluation", "select", "sign_agreement", PAY, "terminate", COLLECT],
    ["withdraw"],
]  # fmt: skip


def _walk(application, path, owner, staff) -> None:
    for step in path:
        if step in (PAY, "start_build"):  # the SME's share first (SPEC §18.2)
            deposit_sme_share(application, recorded_by=staff)
        if step == PAY:
            disbursement_record(
                actor=staff, application=application, amount=10_000_000, kind="advance", paid_on=PAID_ON
            )
            continue
        if step == "sign_agreement":
            countersigned_agreement(application)  # its precondition (SPEC §16)
        if step == SETTLE:
            settle(application, staff)
            continue
        if step == COLLECT:
            clawback = Clawback.objects.get(application=application, status="open")
            clawback_collect(actor=staff, clawback=clawback, amount=clawback.remaining, collected_on=PAID_ON)
            continue
        if step == REPORT:
            ready_for_inspection(application)  # the completion report and a result per KPI target
            continue
        if step == INSPECT:
            checks = {"installed": True, "operating": True, "data_collected": True}
            kpis = {target["kpi"]: True for target in application.agreement.kpi_targets}
            inspection_record(
                actor=staff, application=application, **checks, kpis=kpis, audit_report=None, result="pass"
            )
            continue
        transition = TRANSITIONS[step]
        actor = staff if STAFF in transition.by else owner
        note = "사유" if transition.note_required else ""
        due_on = timezone.localdate() + datetime.timedelta(days=14) if transition.due_required else None
        application = application_transition(
            application=application, action=step, actor=actor, note=note, due_on=due_on
        )


def test_every_status_change_and_money_movement_has_its_audit_event():
    staff = UserFactory(role="staff")
    program = ProgramFactory(gov_budget=2_000_000_000)
    fund_budget_sync(program=program, actor=staff)
    contribution_record(
        actor=staff, program=program, amount=2_000_000_000, kind="cash", purpose="build", received_on=PAID_ON
    )
    walked = []
    for path in PATHS:
        owner = UserFactory(applicant=True)
        application = ApplicationFactory(
            program=program, company=owner.company, total_cost=100_000_000, documents=True
        )
        _walk(application, path, owner, staff)
        walked.append((application, path))
    assert {step for path in PATHS for step in path} - NOT_ACTIONS == set(TRANSITIONS)

    # Status: one event per action, chained before → after from draft to where it stands now.
    for application, path in walked:
        events = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id=application.pk,
            action__in=[f"application.{action}" for action in TRANSITIONS],
        ).order_by("pk")
        assert [e.action for e in events] == [
            f"application.{step}" for step in path if step not in NOT_ACTIONS
        ]
        status = Application.Status.DRAFT
        for event in events:
            # A change request's or a rework's 보완 기한 goes along (set, then cleared when asked again).
            assert set(event.before) <= {"status", "changes_due_on"}
            assert event.before["status"] == status and event.actor_id is not None
            status = event.after["status"]
        application.refresh_from_db()
        assert status == application.status

    # Money: every ledger entry has exactly one event naming it, of its kind; every payment one too.
    entries = LedgerEntry.objects.filter(program=program)
    kinds = set(entries.values_list("kind", flat=True))
    assert kinds == set(LedgerEntry.Kind.values)  # contribution, commitment, release, disbursement, recovery
    ledger_type = ContentType.objects.get_for_model(LedgerEntry)
    for entry in entries:
        events = AuditEvent.objects.filter(content_type=ledger_type, object_id=entry.pk)
        assert [e.action for e in events] == [f"ledger.{entry.kind}"], entry
        assert events[0].after["amount"] == entry.amount
    for payment in Disbursement.objects.filter(application__program=program):
        events = AuditEvent.objects.filter(
            action="application.disbursement", object_id=payment.application_id
        )
        assert payment.pk in [e.after["disbursement"] for e in events]
