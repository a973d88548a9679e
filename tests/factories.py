"""factory_boy factories for the whole domain, with traits for the common states."""

import datetime
import itertools

import factory
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User
from applicants.models import Application, Attachment, Company, Evaluation, EvaluatorAssignment, Supplier
from funds.models import Contribution
from mentoring.models import Mentor, MentoringAssignment
from program.business_number import check_digit
from program.models import Agency, Program, Sponsor

_numbers = itertools.count(100_000_001)


def valid_business_number() -> str:
    """A fresh, valid 10-digit 사업자등록번호."""
    first_nine = f"{next(_numbers):09d}"[-9:]
    return first_nine + str(check_digit(first_nine))


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor

    name = factory.Sequence(lambda n: f"주관기관{n}")
    business_number = factory.LazyFunction(valid_business_number)
    kind = Sponsor.Kind.LARGE


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = "대·중소기업·농어업협력재단"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    title = factory.Sequence(lambda n: f"상생형 스마트공장 구축사업 {n}")
    year = 2026
    sponsor = factory.SubFactory(SponsorFactory)
    agency = factory.SubFactory(AgencyFactory)
    gov_budget = 3_000_000_000
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    status = Program.Status.OPEN

    class Params:
        capped_2022 = factory.Trait(
            track="유형1",
            gov_cap_basic=42_000_000,
            gov_cap_advanced1=120_000_000,
            gov_cap_advanced2=240_000_000,
            cap_excess_to=Program.CapExcessTo.SPONSOR,
        )


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    business_number = factory.LazyFunction(valid_business_number)
    name = factory.Sequence(lambda n: f"테스트정밀{n}")
    representative = "홍길동"
    region = "경기"
    industry_code = "29199"
    employees = 40
    annual_revenue = 8_000_000_000
    founded_on = datetime.date(2010, 3, 1)


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"스마트솔루션{n}")
    business_number = factory.LazyFunction(valid_business_number)
    solution_areas = ["MES", "ERP"]
    region = "서울"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kr")
    role = Role.STAFF
    # Staff work for one agency (docs/domain.md §1): the factories' one agency unless given another.
    agency = factory.LazyAttribute(lambda user: AgencyFactory() if user.role == Role.STAFF else None)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-42")
    # Applicants have agreed to the current 개인정보 수집·이용 동의 (SPEC §20), so the consent page does
    # not stand in front of every page a test opens; tests of consent itself set "" or an old version.
    privacy_consent_version = factory.LazyAttribute(
        lambda user: settings.PRIVACY_CONSENT_VERSION if user.role == Role.APPLICANT else ""
    )

    class Params:
        applicant = factory.Trait(role=Role.APPLICANT, company=factory.SubFactory(CompanyFactory))
        evaluator = factory.Trait(role=Role.EVALUATOR)
        mentor = factory.Trait(role=Role.MENTOR)
        ministry = factory.Trait(role=Role.MINISTRY)
        sponsor_user = factory.Trait(role=Role.SPONSOR, sponsor=factory.SubFactory(SponsorFactory))

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    company = factory.SubFactory(CompanyFactory)
    level = "basic"
    title = factory.Sequence(lambda n: f"MES 도입을 통한 생산관리 고도화 {n}")
    plan = "생산실적 수집 자동화와 불량 추적."
    total_cost = 100_000_000
    status = Application.Status.DRAFT

    class Params:
        submitted = factory.Trait(
            status=Application.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        evaluation = factory.Trait(
            status=Application.Status.EVALUATION, submitted_at=factory.LazyFunction(timezone.now)
        )
        selected = factory.Trait(
            status=Application.Status.SELECTED, submitted_at=factory.LazyFunction(timezone.now)
        )

    @factory.post_generation
    def documents(obj, create, extracted, **kwargs):
        """`documents=True`: one document of each kind its program requires before `submit`."""
        if create and extracted:
            for kind in obj.program.required_documents:
                AttachmentFactory(application=obj, kind=kind)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    kind = Attachment.Kind.BUSINESS_PLAN
    file = factory.django.FileField(data=b"%PDF-1.4\n", filename="document.pdf")
    original_name = factory.LazyAttribute(lambda a: f"{a.kind}.pdf")
    content_type = "application/pdf"
    size = 9


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    program = factory.SubFactory(ProgramFactory)
    sponsor = factory.SelfAttribute("program.sponsor")
    amount = 1_000_000_000
    received_on = datetime.date(2026, 1, 15)


class EvaluatorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluatorAssignment

    application = factory.SubFactory(ApplicationFactory, evaluation=True)
    evaluator = factory.SubFactory(UserFactory, evaluator=True)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    application = factory.SubFactory(ApplicationFactory, evaluation=True)
    evaluator = factory.SubFactory(UserFactory, evaluator=True)
    scores = {"plan": 25, "capability": 20, "impact": 25, "partnership": 10}
    total = 80


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    user = factory.SubFactory(UserFactory, mentor=True)
    name = factory.Sequence(lambda n: f"멘토{n}")
    expertise = ["process", "mes"]
    ksic_divisions = ["29"]
    regions = ["경기"]


class MentoringAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringAssignment

    mentor = factory.SubFactory(MentorFactory)
    application = factory.SubFactory(ApplicationFactory, selected=True)
    starts_on = datetime.date(2026, 3, 2)
    ends_on = datetime.date(2026, 6, 1)


def user_with_role(role: str):
    """A user of `role` as the product has them: an applicant with its company, a sponsor user with
    its sponsor, any other role on its own."""
    if role == "applicant":
        return UserFactory(applicant=True)
    if role == "sponsor":
        return UserFactory(sponsor_user=True)
    return UserFactory(role=role)


def fund_program(program, *, sponsor: int = 0, government: int = 0) -> None:
    """Put money in a program's pots, as recorded contributions and the government budget would."""
    from funds.models import LedgerEntry, Pot

    for pot, amount in ((Pot.SPONSOR, sponsor), (Pot.GOVERNMENT, government)):
        if amount:
            LedgerEntry.objects.create(
                program=program, pot=pot, kind=LedgerEntry.Kind.CONTRIBUTION, amount=amount
            )


def api_client(user) -> APIClient:
    """An API client signed in as `user` (no session, no token: authentication forced)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def rubric_form_data(rubric: list[dict], *, extra: int = 0) -> dict:
    """The rubric builder's fields (program.forms.RubricFormSet, prefix `rubric`) holding `rubric`,
    as the program form posts them, with `extra` blank rows after."""
    rows = len(rubric) + extra
    data = {
        "rubric-TOTAL_FORMS": rows,
        "rubric-INITIAL_FORMS": 0,
        "rubric-MIN_NUM_FORMS": 0,
        "rubric-MAX_NUM_FORMS": 20,
    }
    for index, item in enumerate(rubric):
        prefix = f"rubric-{index}"
        data |= {
            f"{prefix}-key": item.get("key", ""),
            f"{prefix}-label": item["label"],
            f"{prefix}-max_points": item["max_points"],
            f"{prefix}-ORDER": index + 1,
        }
    return data


KPI_TARGETS = [
    {"kpi": "productivity", "baseline": "100", "target": "120"},
    {"kpi": "defect_rate", "baseline": "3.5", "target": "2"},
    {"kpi": "lead_time", "baseline": "10", "target": "7"},
]


class AgreementFactory(factory.django.DjangoModelFactory):
    """협약 (SPEC §16): a complete draft by default; `countersigned=True` as staff's countersignature
    leaves it (without the PDF), so that `sign_agreement` may follow."""

    class Meta:
        model = "projects.Agreement"

    application = factory.SubFactory(ApplicationFactory, selected=True)
    starts_on = datetime.date(2026, 3, 1)
    ends_on = datetime.date(2026, 8, 31)
    kpi_targets = factory.LazyFunction(lambda: [dict(row) for row in KPI_TARGETS])
    supplier = factory.SubFactory(SupplierFactory)

    class Params:
        countersigned = factory.Trait(
            status="countersigned",
            original_ends_on=datetime.date(2026, 8, 31),
            document_sha256="0" * 64,
            sent_at=factory.LazyFunction(timezone.now),
            countersigned_at=factory.LazyFunction(timezone.now),
        )


def countersigned_agreement(application):
    """A countersigned agreement for `application`, so that the `sign_agreement` transition passes."""
    return AgreementFactory(application=application, countersigned=True)


_invoice_numbers = itertools.count(1)


def invoice_number() -> str:
    """A fresh 24-digit 전자세금계산서 승인번호."""
    return f"20260301{next(_invoice_numbers):016d}"


class SpendingLineFactory(factory.django.DjangoModelFactory):
    """집행 내역 (SPEC §18.1): a pending tax-invoice line from the agreement's supplier by default
    (flags as stored; the service computes them, a factory does not)."""

    class Meta:
        model = "execution.SpendingLine"

    application = factory.SubFactory(ApplicationFactory, selected=True)
    spent_on = datetime.date(2026, 4, 1)
    supplier_business_number = factory.LazyFunction(valid_business_number)
    item = "MES 소프트웨어"
    amount = 10_000_000
    evidence = "tax_invoice"
    invoice_number = factory.LazyFunction(invoice_number)
    document = factory.django.FileField(data=b"%PDF-1.4\n", filename="invoice.pdf")
    recorded_by = factory.SubFactory(UserFactory, applicant=True)


class DepositFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "execution.Deposit"

    application = factory.SubFactory(ApplicationFactory, selected=True)
    amount = 10_000_000
    deposited_on = datetime.date(2026, 3, 10)
    recorded_by = factory.SubFactory(UserFactory)


class ParticipationBanFactory(factory.django.DjangoModelFactory):
    """참여제한 (SPEC §15.2): a company ban of three years from today by default."""

    class Meta:
        model = "applicants.ParticipationBan"

    subject_type = "company"
    business_number = factory.LazyFunction(valid_business_number)
    reason = "허위 세금계산서 제출"
    basis = "중소기업 기술혁신 촉진법 제31조"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda ban: ban.starts_on.replace(year=ban.starts_on.year + 3))


# ---- part A1 (SPEC §18.2): payments wait for the SME's share, `start_build` for a deposit
def deposit_sme_share(application, *, amount: int | None = None, recorded_by=None):
    """A deposit of the SME's whole share (the application's split, else 40 % of its total cost), so
    that `start_build` and any payment up to the committed amounts pass the §18.2 rules. Recorded by
    a staff user of the program's agency already there, so that no new user hears of anything."""
    from funds.models import CostShare

    if amount is None:
        share = CostShare.objects.filter(application_id=application.pk).values_list("sme", flat=True).first()
        amount = share if share is not None else (application.total_cost or 0) * 40 // 100
    if recorded_by is None:
        staff = User.objects.filter(role=Role.STAFF, agency_id=application.program.agency_id)
        recorded_by = staff.order_by("pk").first() or UserFactory(agency=application.program.agency)
    return DepositFactory(application=application, amount=max(amount, 1), recorded_by=recorded_by)


# ---- part A2: settlement (SPEC §18.3) -------------------------------------------------------------


def settle(application, actor):
    """Confirm `application`'s settlement as it stands (no spending line may be pending), so that
    `complete` passes (409 `settlement_open` otherwise)."""
    from execution.services.settlement import settlement_confirm

    return settlement_confirm(actor=actor, application=application)


# SPEC §15.1: the four declarations an applicant makes at submit, all given.
DECLARATIONS = {"not_closed": True, "no_tax_arrears": True, "not_insolvent": True, "info_true": True}


class SupportRecordFactory(factory.django.DjangoModelFactory):
    """지원 이력 (SPEC §15.3–§15.5): an imported record of a completed basic project by default."""

    class Meta:
        model = "applicants.SupportRecord"

    business_number = factory.LazyFunction(valid_business_number)
    company_name = "(주)한빛정밀"
    program_name = factory.Sequence(lambda n: f"스마트공장 보급확산 {n}")
    year = 2023
    level = "basic"
    government = 50_000_000
    status = "completed"


# The same ticked on a page's form (the /apply/ review step, the /my/ detail page's 제출 button).
DECLARATIONS_FORM = dict.fromkeys(DECLARATIONS, "on")


# ---- issue 21 (SPEC §15.5): an import run, as the task leaves it after the dry run
class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "imports.ImportRun"

    kind = "support_records"
    status = "checked"
    file = factory.django.FileField(
        filename="지원이력.csv", data="사업자등록번호,기업명,사업명,연도,지원수준,정부지원금,상태\n".encode()
    )
    original_name = "지원이력.csv"
    created_by = factory.SubFactory(UserFactory, role=Role.STAFF)
    agency = factory.LazyAttribute(lambda run: run.created_by.agency)


# ---- part h4 of issue 22 (SPEC §20): an API token, issued as the token endpoint issues one
def api_token_key(user: User, *, name: str = "테스트") -> str:
    """A new working token of `user`: its key, for `Authorization: Token <key>` (only the hash is kept)."""
    from accounts.tokens import api_token_issue

    return api_token_issue(user=user, name=name)[1]


def token_headers(user: User) -> dict[str, str]:
    """Headers that authenticate a request as `user` with a new API token."""
    return {"Authorization": f"Token {api_token_key(user)}"}
