"""Every status change and every money movement leaves its AuditEvent: applications walked through
every workflow action, money contributed, committed, released and paid, and then the trail checked
as a whole — not one assertion per service, but the invariant over everything that happened."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from applicants.models import Application
from applicants.services import application_transition
from applicants.workflow import STAFF, TRANSITIONS
from funds.models import Disbursement, LedgerEntry
from funds.services import contribution_record, disbursement_record, fund_budget_sync
from program.models import AuditEvent
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, countersigned_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
PAID_ON = datetime.date(2026, 3, 2)
PAY = "pay"  # a step of a path that is a payment, not a workflow action
PATHS = [
    # every action at least once, with a round of changes requested, both payments
    ["submit", "start_screening", "request_changes", "submit", "start_screening", "start_evaluation",
     "select", PAY, "sign_agreement", "start_build", "submit_completion", PAY, "complete"],
    ["submit", "start_screening", "reject"],
    ["submit", "start_screening", "start_evaluation", "reject"],
    ["submit", "start_screening", "start_evaluation", "select", "sign_agreement", PAY, "withdraw"],
    ["withdraw"],
]  # fmt: skip


def _walk(application, path, owner, staff) -> None:
    for step in path:
        if step == PAY:
            disbursement_record(
                actor=staff, application=application, amount=10_000_000, kind="advance", paid_on=PAID_ON
            )
            continue
        if step == "sign_agreement":
            countersigned_agreement(application)  # its precondition (SPEC §16)
        transition = TRANSITIONS[step]
        actor = staff if STAFF in transition.by else owner
        note = "사유" if transition.note_required else ""
        application = application_transition(application=application, action=step, actor=actor, note=note)


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
    assert {step for path in PATHS for step in path} - {PAY} == set(TRANSITIONS)

    # Status: one event per action, chained before → after from draft to where it stands now.
    for application, path in walked:
        events = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id=application.pk,
            action__in=[f"application.{action}" for action in TRANSITIONS],
        ).order_by("pk")
        assert [e.action for e in events] == [f"application.{step}" for step in path if step != PAY]
        status = Application.Status.DRAFT
        for event in events:
            # A change request's 보완 기한 goes along (set, then cleared on resubmission).
            assert set(event.before) <= {"status", "changes_due_on"}
            assert event.before["status"] == status and event.actor_id is not None
            status = event.after["status"]
        application.refresh_from_db()
        assert status == application.status

    # Money: every ledger entry has exactly one event naming it, of its kind; every payment one too.
    entries = LedgerEntry.objects.filter(program=program)
    kinds = set(entries.values_list("kind", flat=True))
    assert kinds == set(LedgerEntry.Kind.values)  # contribution, commitment, release, disbursement
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
