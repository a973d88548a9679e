"""Django admin: every model is there, for superusers only, and its lists do not grow N+1 queries."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, Consent, Role, User
from accounts.tokens import api_token_issue
from applicants.models import (
    Application,
    Attachment,
    Company,
    Evaluation,
    EvaluatorAssignment,
    Message,
    MessageAttachment,
    ParticipationBan,
    ReminderSent,
    SubmissionDeclaration,
    Supplier,
    SupportRecord,
)
from execution.models import Clawback, ClawbackCollection, Deposit, Settlement, SpendingLine
from funds.models import Contribution, CostShare, CostShareRequest, Disbursement, LedgerEntry, Pot, PotTotal
from imports.models import ImportRun
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from program.models import (
    Agency,
    AuditEvent,
    Notification,
    OutgoingEmail,
    Program,
    ProgramFaq,
    ProgramFile,
    Sponsor,
)
from projects.models import Agreement, AgreementChange, AgreementSignature, Inspection
from reports.models import Outcome, Report
from tests.factories import (
    DECLARATIONS,
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    ContributionFactory,
    DepositFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    ImportRunFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    ParticipationBanFactory,
    ProgramFactory,
    SpendingLineFactory,
    SponsorFactory,
    SupplierFactory,
    SupportRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = (
    "accounts", "program", "funds", "applicants", "mentoring", "projects", "execution", "imports", "reports",
)  # fmt: skip
MODELS = [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]
# Money and the audit trail are written by services only.
READ_ONLY = {
    AuditEvent,
    LedgerEntry,
    PotTotal,
    Contribution,
    Disbursement,
    CostShare,
    CostShareRequest,
    OutgoingEmail,
    Notification,
    ReminderSent,
    AgreementSignature,
    SubmissionDeclaration,
    # Bans count strikes and are audited; spending, deposits, settlements and clawbacks move money.
    ParticipationBan,
    SpendingLine,
    Deposit,
    Settlement,
    Clawback,
    ClawbackCollection,
    # Imports are started, checked, confirmed and written by imports' services (issue 21, part B).
    ImportRun,
    # part h4 of issue 22: API tokens are issued and revoked by accounts/tokens.py (audited).
    ApiToken,
    # ---- part h6: the consent record is written by accounts/consent.py only (SPEC §20)
    Consent,
}
_n = itertools.count()
MARCH_1 = datetime.date(2026, 3, 1)


def _audit_event():
    application = ApplicationFactory()
    return AuditEvent.objects.create(
        actor=UserFactory(),
        action="submit",
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
        after={"status": "submitted"},
    )


def _ledger_entry():
    application = ApplicationFactory(selected=True)
    return LedgerEntry.objects.create(
        program=application.program,
        pot=Pot.GOVERNMENT,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=30_000_000,
        application=application,
        actor=UserFactory(),
    )


# One fresh row of each model, with its own related rows, so that an N+1 would show.
BUILDERS = {
    CostShareRequest: lambda: CostShareRequest.objects.create(
        application=ApplicationFactory(), created_at=timezone.now()
    ),
    User: lambda: UserFactory(applicant=True),
    OutgoingEmail: lambda: OutgoingEmail.objects.create(
        to=f"ceo{next(_n)}@sme.kr", subject="[상생형 스마트공장] 신청서가 제출되었습니다", body="본문"
    ),
    Notification: lambda: Notification.objects.create(
        user=UserFactory(applicant=True), kind="application.status", title="보완요청", url="/my/"
    ),
    Agency: lambda: AgencyFactory(name=f"협업기관{next(_n)}"),
    ProgramFaq: lambda: ProgramFaq.objects.create(
        program=ProgramFactory(), question="자부담은?", answer="40 %입니다."
    ),
    ProgramFile: lambda: ProgramFile.objects.create(
        program=ProgramFactory(),
        title="공고문",
        file="public/programs/notice.pdf",
        original_name="공고문.pdf",
        content_type="application/pdf",
        size=1024,
    ),
    ReminderSent: lambda: ReminderSent.objects.create(
        kind="changes_requested.due_today", object_id=next(_n), day=MARCH_1, sent_at=timezone.now()
    ),
    Sponsor: SponsorFactory,
    Program: ProgramFactory,
    SubmissionDeclaration: lambda: SubmissionDeclaration.objects.create(
        application=ApplicationFactory(), user=UserFactory(applicant=True), **DECLARATIONS
    ),
    SupportRecord: SupportRecordFactory,
    ParticipationBan: ParticipationBanFactory,
    SpendingLine: lambda: SpendingLineFactory(),
    Deposit: lambda: DepositFactory(),
    Settlement: lambda: Settlement.objects.create(
        application=ApplicationFactory(selected=True),
        agreed_total=100,
        approved=100,
        disallowed=0,
        eligible=100,
        government=30,
        sponsor=30,
        sme=40,
        paid_government=0,
        paid_sponsor=0,
        confirmed_by=UserFactory(),
        confirmed_at=timezone.now(),
    ),
    Clawback: lambda: Clawback.objects.create(
        application=ApplicationFactory(selected=True),
        reason="non_use",
        government=1_000,
        sponsor=0,
        due_on=MARCH_1,
    ),
    ClawbackCollection: lambda: ClawbackCollection.objects.create(
        clawback=Clawback.objects.create(
            application=ApplicationFactory(selected=True),
            reason="non_use",
            government=1_000,
            sponsor=0,
            due_on=MARCH_1,
        ),
        amount=500,
        gov_part=500,
        sponsor_part=0,
        collected_on=MARCH_1,
        recorded_by=UserFactory(),
    ),
    AuditEvent: _audit_event,
    Contribution: lambda: ContributionFactory(recorded_by=UserFactory()),
    LedgerEntry: _ledger_entry,
    # Kept by the ledger's trigger: a new entry's running total is the row.
    PotTotal: lambda: PotTotal.objects.get(program=_ledger_entry().program),
    Disbursement: lambda: Disbursement.objects.create(
        application=ApplicationFactory(selected=True),
        kind="advance",
        amount=1_000,
        gov_part=500,
        sponsor_part=500,
        paid_on=MARCH_1,
        recorded_by=UserFactory(),
    ),
    CostShare: lambda: CostShare.objects.create(
        application=ApplicationFactory(selected=True),
        total=100,
        government=30,
        sponsor=30,
        sme=40,
        computed_at=timezone.now(),
    ),
    Company: lambda: CompanyFactory(partner_of=SponsorFactory()),
    Supplier: SupplierFactory,
    Application: lambda: ApplicationFactory(submitted=True, supplier=SupplierFactory()),
    Attachment: lambda: Attachment.objects.create(
        application=ApplicationFactory(),
        kind=Attachment.Kind.QUOTE,
        file="private/quote.pdf",
        original_name="견적서.pdf",
        content_type="application/pdf",
        size=1024,
        uploaded_by=UserFactory(),
    ),
    EvaluatorAssignment: lambda: EvaluatorAssignmentFactory(assigned_by=UserFactory()),
    Message: lambda: Message.objects.create(
        application=ApplicationFactory(), author=UserFactory(), author_name="김담당", body="문의드립니다."
    ),
    MessageAttachment: lambda: MessageAttachment.objects.create(
        message=Message.objects.create(application=ApplicationFactory(), author_name="김담당", body="첨부"),
        file="private/messages/answer.pdf",
        original_name="답변.pdf",
        content_type="application/pdf",
        size=1024,
    ),
    Evaluation: EvaluationFactory,
    Agreement: lambda: Agreement.objects.create(
        application=ApplicationFactory(selected=True, supplier=SupplierFactory()),
        supplier=SupplierFactory(),
        created_by=UserFactory(),
    ),
    AgreementSignature: lambda: AgreementSignature.objects.create(
        agreement=Agreement.objects.create(application=ApplicationFactory(selected=True)),
        party=AgreementSignature.Party.SME,
        user=UserFactory(applicant=True),
        ip_address="10.0.0.1",
        document_sha256="0" * 64,
    ),
    AgreementChange: lambda: AgreementChange.objects.create(
        application=ApplicationFactory(selected=True),
        kind=AgreementChange.Kind.SUPPLIER,
        cause_on=MARCH_1,
        reason="공급기업 폐업",
        new_supplier=SupplierFactory(),
        requested_by=UserFactory(applicant=True),
    ),
    Inspection: lambda: Inspection.objects.create(
        application=ApplicationFactory(selected=True),
        installed=True,
        operating=True,
        data_collected=True,
        result=Inspection.Result.PASS,
        inspected_by=UserFactory(),
    ),
    Mentor: lambda: MentorFactory(sponsor=SponsorFactory()),
    MentoringAssignment: lambda: MentoringAssignmentFactory(assigned_by=UserFactory()),
    MentoringSession: lambda: MentoringSession.objects.create(
        assignment=MentoringAssignmentFactory(),
        held_on=MARCH_1,
        hours=Decimal("2.0"),
        logged_by=UserFactory(),
    ),
    Outcome: lambda: Outcome.objects.create(
        application=ApplicationFactory(status="completed"),
        kpi="defect_rate",
        baseline=5,
        result=3,
        measured_on=MARCH_1,
        entered_by=UserFactory(),
    ),
    Report: lambda: Report.objects.create(
        kind="fund_status",
        format="xlsx",
        program=ProgramFactory(),
        sponsor=SponsorFactory(),
        requested_by=UserFactory(),
        status="done",
        progress=100,
        file="private/reports/fund.xlsx",
    ),
    ImportRun: lambda: ImportRunFactory(),
    # part h4 of issue 22: an API token as the token endpoint issues it
    ApiToken: lambda: api_token_issue(user=UserFactory(), name="스크립트")[0],
    # ---- part h6
    Consent: lambda: Consent.objects.create(
        user=UserFactory(applicant=True), kind="privacy", version="2026-12-01", agreed=True
    ),
}


def build(model, count):
    return [BUILDERS[model]() for _ in range(count)]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def model_id(model):
    return model._meta.label


def test_every_model_has_a_builder_here():
    # A new model must be added to BUILDERS, and so to every admin test below.
    assert set(BUILDERS) == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_every_model_is_registered(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_superuser_sees_the_changelist(admin_client, model):
    build(model, 2)

    response = admin_client.get(url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count() >= 2


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_superuser_opens_a_row(admin_client, model):
    [row] = build(model, 1)

    response = admin_client.get(url(model, "change", row.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("model", [m for m in MODELS if m not in READ_ONLY], ids=model_id)
def test_superuser_opens_the_add_page(admin_client, model):
    response = admin_client.get(url(model, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_changelist_queries_do_not_grow_with_rows(admin_client, django_assert_max_num_queries, model):
    changelist = url(model, "changelist")
    build(model, 2)
    admin_client.get(changelist)  # warm caches (content types, session) out of the count
    with CaptureQueriesContext(connection) as two_rows:
        assert admin_client.get(changelist).status_code == 200

    build(model, 8)
    with django_assert_max_num_queries(len(two_rows)):
        response = admin_client.get(changelist)

    assert response.context["cl"].result_count >= 10


@pytest.mark.parametrize("model", sorted(READ_ONLY, key=model_id), ids=model_id)
def test_read_only_models_cannot_be_added_changed_or_deleted(admin_client, model):
    [row] = build(model, 1)
    before = model.objects.filter(pk=row.pk).values().get()

    page = admin_client.get(url(model, "change", row.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(url(model, "change", row.pk), {"note": "고침"}).status_code == 403
    assert admin_client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert admin_client.get(url(model, "add")).status_code == 403

    assert model.objects.filter(pk=row.pk).values().get() == before


def test_user_admin_creates_a_sponsor_user_with_its_sponsor(admin_client):
    sponsor = SponsorFactory()

    response = admin_client.post(
        url(User, "add"),
        {
            "username": "lsec-contact",
            "usable_password": "true",
            "password1": "correct-horse-42",
            "password2": "correct-horse-42",
            "role": Role.SPONSOR,
            "sponsor": sponsor.pk,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="lsec-contact").sponsor == sponsor


def test_user_admin_shows_role_and_affiliation(admin_client):
    member = UserFactory(applicant=True)

    page = admin_client.get(url(User, "change", member.pk)).content.decode()

    for field in ("role", "company", "sponsor"):
        assert f'name="{field}"' in page


def test_anonymous_is_sent_to_the_admin_login(client):
    for path in (reverse("admin:index"), url(Application, "changelist")):
        response = client.get(path)

        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "traits",
    [{}, {"evaluator": True}, {"applicant": True}, {"sponsor_user": True}, {"mentor": True}],
    ids=["staff", "evaluator", "applicant", "sponsor", "mentor"],
)
def test_staff_flag_without_superuser_is_refused(client, traits):
    # is_staff would let them into a stock admin; this one asks for a superuser.
    client.force_login(UserFactory(is_staff=True, **traits))

    for path in (reverse("admin:index"), url(Application, "changelist"), url(User, "add")):
        response = client.get(path)

        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_superuser_is_let_in(admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200
