"""The demo after selection (issue 19 item 4, SPEC §16–§17): seed_demo walks projects through the
agreement, its changes, the completion report and the inspection."""

import hashlib
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from accounts.models import User
from applicants.models import Application, Attachment
from config.dates import add_months
from funds.models import LedgerEntry
from funds.selectors import application_outstanding
from ops.projects_demo import BUILD_MONTHS, MAX_EXTENSION_MONTHS, completion_pdf
from program.choices import KPI_LOWER_IS_BETTER, Kpi
from program.models import AuditEvent, Program
from projects.models import Agreement, AgreementChange, AgreementSignature, Inspection
from reports.models import Outcome

pytestmark = pytest.mark.django_db
SIGNED = ("agreement", "building", "completion_review", "completed", "terminated")


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_every_project_has_its_agreement_at_the_right_stage(seeded):
    signed = Application.objects.filter(status__in=SIGNED)
    assert signed.exists() and not signed.filter(agreement__isnull=True).exists()
    assert not signed.exclude(agreement__status="countersigned").exists()
    stages = Counter(
        Agreement.objects.filter(application__status="selected").values_list("status", flat=True)
    )
    assert stages["sent"] == 1 and stages["signed_by_sme"] == 1 and stages["draft"] >= 2
    sent = Agreement.objects.get(status="sent")
    assert User.objects.get(username="applicant").company_id == sent.application.company_id  # demo login
    waiting = Agreement.objects.get(status="signed_by_sme")
    assert waiting.application.program.agency.name == "대·중소기업·농어업협력재단"  # the `staff` login's
    demo_company = User.objects.get(username="applicant").company_id
    for agreement in Agreement.objects.select_related("application__program", "application"):
        application = agreement.application
        assert agreement.supplier_id == application.supplier_id
        # The PDF and its hash, made by the agreement's own generator, for every sent agreement of a running
        # program and of the demo company; archived programs' were signed on paper (no document, no hash).
        on_paper = agreement.status == "draft" or (
            application.program.status == Program.Status.ARCHIVED and application.company_id != demo_company
        )
        if on_paper:
            assert agreement.document_sha256 == "" and not agreement.document
        else:
            with agreement.document.open("rb") as document:
                assert hashlib.sha256(document.read()).hexdigest() == agreement.document_sha256
            hashes = set(agreement.signatures.values_list("document_sha256", flat=True))
            assert hashes <= {agreement.document_sha256}
        assert (
            agreement.starts_on < agreement.original_ends_on <= add_months(agreement.starts_on, BUILD_MONTHS)
        )
        assert agreement.original_ends_on <= agreement.ends_on
        assert agreement.ends_on <= add_months(agreement.original_ends_on, MAX_EXTENSION_MONTHS)
        assert len(agreement.kpi_targets) >= 3
        for target in agreement.kpi_targets:
            baseline, goal = Decimal(target["baseline"]), Decimal(target["target"])
            assert target["kpi"] in Kpi.values
            assert goal < baseline if target["kpi"] in KPI_LOWER_IS_BETTER else goal > baseline, target
        if agreement.status != "draft":
            assert agreement.sent_at is not None


def test_signatures_are_by_the_right_parties_in_order(seeded):
    for agreement in Agreement.objects.exclude(status__in=("draft", "sent")).prefetch_related(
        "signatures__user"
    ):
        parties = {signature.party: signature for signature in agreement.signatures.all()}
        expected = {"sme", "agency"} if agreement.status == "countersigned" else {"sme"}
        assert set(parties) == expected
        sme = parties["sme"]
        assert sme.user.role == "applicant" and sme.user.company_id == agreement.application.company_id
        assert sme.ip_address and agreement.sent_at < sme.signed_at
        if "agency" in parties:
            agency = parties["agency"]
            assert agency.user.role == "staff"
            assert agency.user.agency_id in (None, agreement.application.program.agency_id)
            assert sme.signed_at < agency.signed_at == agreement.countersigned_at
    sme_users = AgreementSignature.objects.filter(party="sme").exclude(user__username="applicant")
    assert sme_users.exists() and not any(s.user.has_usable_password() for s in sme_users)


def test_changes_follow_the_rules(seeded):
    kinds = Counter(AgreementChange.objects.values_list("kind", "status"))
    assert kinds[("extension", "approved")] == 1
    assert kinds[("plan", "rejected")] == 1 and kinds[("supplier", "pending")] == 1
    kind = ContentType.objects.get_for_model(AgreementChange)
    for change in AgreementChange.objects.select_related("application__agreement", "requested_by"):
        agreement = change.application.agreement
        assert change.requested_by.company_id == change.application.company_id
        late = (change.requested_at.date() - change.cause_on).days > 15
        assert late == (change.status == "rejected")
        if late:
            assert "기한 경과" in change.note
        else:
            assert (agreement.original_ends_on - change.requested_at.date()).days >= 31
        if change.status != "pending":
            assert change.decided_by.role == "staff" and change.decided_at > change.requested_at
        actions = set(
            AuditEvent.objects.filter(content_type=kind, object_id=change.pk).values_list("action", flat=True)
        )
        done = {"approved": {"agreement_change.approve"}, "rejected": {"agreement_change.reject"}}
        assert actions == {"agreement_change.request", *done.get(change.status, set())}
    extension = AgreementChange.objects.get(kind="extension")
    agreement = extension.application.agreement
    assert agreement.ends_on == extension.new_ends_on > agreement.original_ends_on
    assert extension.previous == {"ends_on": agreement.original_ends_on.isoformat()}


def test_completion_reports_and_inspections(seeded):
    kind = ContentType.objects.get_for_model(Application)
    submitted = Application.objects.filter(status__in=("completion_review", "completed", "terminated"))
    reworked = Application.objects.get(status="building", inspections__result="rework")
    for application in [*submitted, reworked]:
        report = Attachment.objects.get(application=application, kind="completion_report")
        assert report.file.read().startswith(b"%PDF-") and report.size == report.file.size
        targets = {target["kpi"] for target in application.agreement.kpi_targets}
        assert targets <= set(Outcome.objects.filter(application=application).values_list("kpi", flat=True))
    for application in Application.objects.filter(status="completed"):
        last_submit = AuditEvent.objects.filter(
            content_type=kind, object_id=application.pk, action="application.submit_completion"
        ).latest("created_at")
        passed = application.inspections.get(result="pass")
        assert passed.created_at > last_submit.created_at
        assert all(passed.kpis.values()) and set(passed.kpis) == {
            t["kpi"] for t in application.agreement.kpi_targets
        }
    assert Application.objects.filter(status="completion_review", inspections__isnull=True).exists()
    rework = reworked.inspections.get()
    assert rework.note and rework.rework_due == reworked.changes_due_on is not None
    terminated = Application.objects.get(status="terminated")
    assert terminated.inspections.get().result == "fail"
    assert LedgerEntry.objects.filter(application=terminated, kind="release").exists()
    assert sum(application_outstanding(application_id=terminated.pk).values()) == 0
    assert terminated.disbursements.exists()  # what was paid is owed back (ops/tests/test_demo_execution.py)
    assert Inspection.objects.filter(inspected_by__role="staff").count() == Inspection.objects.count()


def test_the_completion_report_pdf_is_one_page_of_korean_text():
    pdf = completion_pdf(["완료보고서", "데모"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert "완료보고서".encode("utf-16-be").hex().upper().encode() in pdf
    assert b"/ToUnicode" in pdf and b"/Count 1" in pdf
