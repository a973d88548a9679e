"""The management commands of docs/domain.md §12: seed_demo and add_user."""

import io
import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from accounts.models import Role, User
from applicants.models import (
    Application,
    Company,
    Evaluation,
    EvaluatorAssignment,
    Message,
    SubmissionDeclaration,
    Supplier,
)
from applicants.selectors import application_split
from funds.models import Contribution, CostShare, LedgerEntry, Pot
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from program.business_number import check_digit, format_business_number, normalize_business_number
from program.choices import Region
from program.models import DEFAULT_RUBRIC, Notification, Program, Sponsor
from reports.models import Outcome
from tests.factories import AgencyFactory, CompanyFactory, SponsorFactory, UserFactory

pytestmark = pytest.mark.django_db

EOK = 100_000_000
PASSWORD = "demo-pass-2026"
FUNDED = ("selected", "agreement", "building", "completion_review", "completed", "terminated")
PROJECT_APPS = ("accounts", "program", "funds", "applicants", "mentoring", "projects", "execution", "reports")
NOT_COMPARED = {"password", "last_login"}


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def add_user(*args) -> str:
    out = io.StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return seed_demo()


def snapshot() -> tuple[dict, dict]:
    """Row counts of every model, and every field of every row of the project's own models."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    rows = {}
    for config in PROJECT_APPS:
        for model in apps.get_app_config(config).get_models():
            fields = [f.attname for f in model._meta.concrete_fields if f.attname not in NOT_COMPARED]
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return counts, rows


# --- seed_demo ---------------------------------------------------------------------------------


def test_it_prints_every_working_login_with_its_role(seeded):
    applicant = User.objects.get(username="applicant")
    company = f"{applicant.company.name} {format_business_number(applicant.company.business_number)}"
    assert "데모 로그인 (비밀번호는 모두 demo-pass-2026):" in seeded
    password = re.search(r"비밀번호는 모두 (\S+)\):", seeded).group(1)
    printed = seeded.splitlines()
    demo_users = User.objects.filter(email__endswith="@demo.example")
    # admin, staff of two agencies, the ministry, 5 evaluators, applicant, sponsor, 3 mentors
    assert demo_users.count() == 14
    for user in demo_users:
        line = next((line for line in printed if re.search(rf"\s{re.escape(user.username)}\s", line)), None)
        assert line is not None, f"{user.username} is not printed"
        label = "관리자(superuser)" if user.is_superuser else user.role
        assert label in line, line
        assert authenticate(username=user.username, password=password) is not None, user.username
    assert f"기업: {company}" in seeded and "LS ELECTRIC" in seeded


def test_the_demo_logins_have_their_roles_and_something_to_do(seeded):
    users = {user.username: user for user in User.objects.select_related("company", "sponsor")}
    assert users["admin"].is_superuser and users["admin"].role == Role.STAFF
    assert users["staff"].role == Role.STAFF and not users["staff"].is_superuser
    assert users["sponsor-ls"].role == Role.SPONSOR and users["sponsor-ls"].sponsor.name == "LS ELECTRIC"
    open_program = Program.objects.get(status="open", opens_on__lte=timezone.localdate(),
                                       closes_on__gte=timezone.localdate())  # fmt: skip
    applicant = users["applicant"]
    assert applicant.role == Role.APPLICANT
    assert applicant.company.applications.filter(program=open_program, status="draft").exists()
    assert EvaluatorAssignment.objects.filter(evaluator=users["evaluator1"], application__status="evaluation")
    assert users["mentor1"].role == Role.MENTOR
    assert (
        users["mentor1"].mentor_profile.assignments.filter(status="active", sessions__isnull=False).exists()
    )
    assert User.objects.filter(role=Role.EVALUATOR).count() == 5


def test_each_agency_runs_programs_and_each_staff_login_has_work_in_its_own(seeded):
    """The demo's programs spread across the agencies (docs/domain.md §1): each staff login finds
    applications waiting in its own agency's programs, and the ministry sees them all."""
    from program.models import Agency

    running = Agency.objects.filter(programs__isnull=False).distinct().values_list("name", flat=True)
    assert set(running) == {"대·중소기업·농어업협력재단", "중소기업중앙회", "대한상공회의소"}
    for username, agency in (("staff", "대·중소기업·농어업협력재단"), ("staff-kbiz", "중소기업중앙회")):
        staff = User.objects.get(username=username)
        assert staff.role == Role.STAFF and staff.agency.name == agency
        own = Application.objects.filter(program__agency=staff.agency)
        assert own.filter(status="evaluation").exists(), username
        assert own.filter(status__in=("submitted", "screening", "selected", "building")).exists(), username
    ministry = User.objects.get(username="ministry")
    assert ministry.role == Role.MINISTRY and ministry.agency is None


def test_what_staff_did_in_the_demo_was_done_by_the_programs_own_agency(seeded):
    """Assignments, contributions and workflow steps are by the staff of the program's agency (the
    agency-less superuser for an agency without a demo login), never by another agency's staff."""
    from program.models import AuditEvent

    def foreign(rows, agency_path, actor_path):
        staff = {actor_path + "__role": Role.STAFF, actor_path + "__agency__isnull": False}
        return rows.filter(**staff).exclude(**{actor_path + "__agency": F(agency_path)})

    assert not foreign(EvaluatorAssignment.objects, "application__program__agency", "assigned_by").exists()
    assert not foreign(MentoringAssignment.objects, "application__program__agency", "assigned_by").exists()
    assert not foreign(Contribution.objects, "program__agency", "recorded_by").exists()
    steps = AuditEvent.objects.filter(action__startswith="application.", actor__role=Role.STAFF)
    by_agency = dict(User.objects.filter(role=Role.STAFF).values_list("pk", "agency_id"))
    programs = dict(Application.objects.values_list("pk", "program__agency_id"))
    assert steps.exists()
    for actor, target in steps.values_list("actor_id", "object_id"):
        assert by_agency[actor] in (None, programs[int(target)])
    assert MentoringAssignment.objects.filter(assigned_by__username="staff-kbiz").exists()


def test_it_has_applications_in_every_status(seeded):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)


def test_it_has_about_200_valid_companies(seeded):
    companies = list(Company.objects.all())
    assert len(companies) == 200
    for company in companies:
        company.full_clean()  # business number check digit, KSIC manufacturing code, region, …
        assert normalize_business_number(company.business_number_display) == company.business_number
        assert 10 <= int(company.industry_code[:2]) <= 34
    regions = Counter(company.region for company in companies)
    assert set(regions) <= set(Region.values)
    assert sum(regions[r] for r in ("경기", "경북", "경남", "충북")) > len(companies) / 2
    partners = [company for company in companies if company.is_sponsor_partner]
    assert partners and all(company.partner_of_id for company in partners)
    assert not Company.objects.filter(is_sponsor_partner=False, partner_of__isnull=False).exists()
    for model in (Supplier, Sponsor):
        for organisation in model.objects.all():
            organisation.full_clean()
    assert 8 <= Supplier.objects.count() <= 12
    assert 12 <= Mentor.objects.count() <= 18 and Mentor.objects.filter(user__isnull=False).count() >= 3


def test_ls_electric_contributions_are_the_published_ones(seeded):
    by_year = (
        Contribution.objects.filter(sponsor__name="LS ELECTRIC")
        .values_list("program__year")
        .annotate(total=Sum("amount"))
    )
    published = by_year.filter(program__year__lte=2022)
    assert dict(published) == {2020: 30 * EOK, 2021: 33 * EOK, 2022: 30 * EOK}
    samsung = Contribution.objects.filter(sponsor__name="삼성전자", program__year=2022)
    assert sorted(samsung.values_list("purpose", "amount")) == [("build", 500 * EOK), ("market", 100 * EOK)]
    # No invented amount is attributed to a real company as a fact.
    for contribution in Contribution.objects.exclude(sponsor__name__in=["LS ELECTRIC", "삼성전자"]):
        assert "데모용 가상 금액" in contribution.note
    for contribution in Contribution.objects.filter(sponsor__name__in=["LS ELECTRIC", "삼성전자"]):
        assert "출처: seeds/" in contribution.note or "데모용 가상 금액" in contribution.note
        assert ("출처: seeds/" in contribution.note) == (contribution.program.year <= 2022)


def test_every_contribution_and_budget_is_in_the_ledger_once(seeded):
    for contribution in Contribution.objects.all():
        entries = LedgerEntry.objects.filter(contribution=contribution)
        assert list(entries.values_list("kind", "pot", "amount")) == [
            ("contribution", "sponsor", contribution.amount)
        ]
    for program in Program.objects.all():
        government = LedgerEntry.objects.filter(program=program, pot=Pot.GOVERNMENT, kind="contribution")
        assert program.gov_budget > 0
        assert government.aggregate(total=Sum("amount"))["total"] == program.gov_budget


def test_the_programs_follow_the_published_policies(seeded):
    today = timezone.localdate()
    programs = list(Program.objects.all())
    assert {p.status for p in programs} == {"draft", "open", "closed", "archived"}
    assert any(p.status == "open" and p.opens_on <= today <= p.closes_on for p in programs)
    policies = {(p.gov_ratio, p.sponsor_ratio, p.sme_ratio, p.gov_cap_basic, p.gov_cap_advanced1,
                 p.gov_cap_advanced2, p.cap_excess_to) for p in programs}  # fmt: skip
    assert (30, 30, 40, None, None, None, "sme") in policies
    assert (30, 30, 40, 42_000_000, 120_000_000, 240_000_000, "sponsor") in policies
    type2 = Program.objects.get(track="유형2")
    assert (type2.gov_ratio, type2.sponsor_ratio, type2.sme_ratio, type2.gov_cap_basic) == (
        50,
        50,
        0,
        10_000_000,
    )
    assert set(type2.applications.values_list("level", flat=True)) == {"basic"}


def test_a_company_holds_at_most_one_live_application_per_program(seeded):
    live = Application.objects.exclude(status__in=Application.ENDED)
    doubles = live.values("company", "program").annotate(n=Count("id")).filter(n__gt=1)
    assert not doubles.exists()


def test_every_cost_share_sums_to_its_total_and_is_committed_once(seeded):
    funded = Application.objects.filter(status__in=FUNDED).select_related("program", "cost_share")
    assert funded.count() == CostShare.objects.count() > 0
    for application in funded:
        share = application.cost_share
        assert share.government + share.sponsor + share.sme == share.total == application.total_cost
        split = application_split(application)  # the level cap and the §15.3 repeat cap
        assert (share.government, share.sponsor, share.sme) == (split.government, split.sponsor, split.sme)
        committed = dict(application.ledger_entries.filter(kind="commitment").values_list("pot", "amount"))
        expected = {Pot.GOVERNMENT: share.government, Pot.SPONSOR: share.sponsor}
        assert committed == {pot: amount for pot, amount in expected.items() if amount > 0}
    assert not LedgerEntry.objects.filter(kind="commitment").exclude(application__status__in=FUNDED).exists()


def test_no_pot_is_over_committed(seeded):
    sums = defaultdict(int)
    for program_id, pot, kind, amount in LedgerEntry.objects.values_list("program", "pot", "kind", "amount"):
        sums[program_id, pot, kind] += amount
    for program_id, pot, _kind in list(sums):
        assert sums[program_id, pot, "commitment"] <= sums[program_id, pot, "contribution"]


def test_evaluations_score_over_the_rubric(seeded):
    maxima = {item["key"]: item["max_points"] for item in DEFAULT_RUBRIC}
    for evaluation in Evaluation.objects.all():
        if evaluation.conflict_of_interest:
            assert evaluation.total is None and evaluation.bonus == 0
            continue
        assert set(evaluation.scores) == set(maxima)
        assert all(0 <= points <= maxima[key] for key, points in evaluation.scores.items())
        assert evaluation.total == sum(evaluation.scores.values()) + evaluation.bonus
    decided = Application.objects.filter(
        Q(status__in=FUNDED) | Q(evaluations__isnull=False, status="rejected")
    )
    for application in decided.distinct():
        totals = sorted(application.evaluations.exclude(total=None).values_list("total", flat=True))
        kept = totals[1:-1] if len(totals) >= 5 else totals
        mean = (Decimal(sum(kept)) / len(kept)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert application.score == mean


def test_mentoring_respects_the_rules(seeded):
    assignments = MentoringAssignment.objects.select_related("mentor", "application")
    assert assignments.exists() and MentoringSession.objects.exists()
    for assignment in assignments:
        assert assignment.application.status in ("selected", "agreement", "building")
        assert 28 <= (assignment.ends_on - assignment.starts_on).days <= 183
        assert (
            assignment.mentor.supplier_id is None
            or assignment.mentor.supplier_id != assignment.application.supplier_id
        )
        for session in assignment.sessions.all():
            assert assignment.starts_on <= session.held_on <= assignment.ends_on
            assert Decimal("0.5") <= session.hours <= 12
    for mentor in Mentor.objects.annotate(
        active=Count("assignments", filter=Q(assignments__status="active"))
    ):
        assert mentor.active <= mentor.capacity
    assert not Application.objects.annotate(n=Count("mentoring_assignments")).filter(n__gt=3).exists()


def test_outcomes_cover_completed_projects_and_a_comparison_group(seeded):
    completed = Application.objects.filter(status="completed")
    assert completed.exists() and not completed.filter(outcomes__isnull=True).exists()
    statuses = set(Outcome.objects.values_list("application__status", flat=True))
    # and the results filed with a completion report (SPEC §17): under review, being reworked, terminated
    assert {"completed", "rejected", "withdrawn", "completion_review", "terminated"} <= statuses
    assert statuses <= {"completed", "rejected", "withdrawn", "completion_review", "terminated", "building"}
    for outcome in Outcome.objects.filter(kpi__in=sorted(Outcome.PERCENT_KPIS)):
        assert 0 <= outcome.baseline <= 100 and 0 <= outcome.result <= 100


def test_open_programs_have_their_announcement_and_people_have_something_to_read(client, seeded):
    """SPEC §19 in the demo: the open program's 공고 with FAQ, the threads of applications waiting for
    보완 (some answered), the demo company's own thread with an internal note it never sees, inboxes."""
    open_program = Program.objects.get(status=Program.Status.OPEN)
    assert (
        open_program.announcement.startswith("## ")
        and open_program.contact
        and open_program.faqs.count() >= 3
    )
    page = client.get(f"/programs/{open_program.pk}/")
    assert page.status_code == 200 and re.search(r"<h\d[^>]*>사업 목적</h\d>", page.content.decode())
    waiting = Application.objects.filter(status="changes_requested")
    assert waiting.exists() and not waiting.filter(messages__isnull=True).exists()
    answered = waiting.filter(messages__author__role=Role.APPLICANT).distinct().count()
    assert 0 < answered < waiting.count()
    own = Message.objects.filter(application__company=User.objects.get(username="applicant").company)
    assert {"applicant", "internal"} == set(own.values_list("visibility", flat=True))
    for username in ("applicant", "staff"):
        notices = Notification.objects.filter(user__username=username)
        assert notices.filter(read_at__isnull=True).exists(), username
        assert all(notice.url.startswith("/") for notice in notices)
    client.force_login(User.objects.get(username="applicant"))
    mine = own.first().application
    page = client.get(f"/my/applications/{mine.pk}/").content.decode()
    assert "측정 기준이 궁금합니다" in page and "[내부]" not in page


def test_running_it_twice_leaves_the_same_data(seeded):
    first = snapshot()
    again = seed_demo()
    assert snapshot() == first
    changes = re.findall(r"새로 (\d+), 고침 (\d+)", again)
    assert changes and set(changes) == {("0", "0")}


def test_it_restores_a_demo_password_that_was_changed(seeded):
    admin = User.objects.get(username="admin")
    admin.set_password("something-else-entirely")
    admin.save()
    seed_demo()
    assert authenticate(username="admin", password=PASSWORD) is not None


# --- add_user ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        ("staff", ["--agency", "AGENCY"]),
        ("ministry", []),
        ("evaluator", []),
        ("applicant", []),
        ("applicant", ["--company", "COMPANY"]),
        ("sponsor", ["--sponsor", "SPONSOR"]),
        ("mentor", []),
    ],
)
def test_add_user_creates_each_role(role, extra):
    company, sponsor, agency = CompanyFactory(), SponsorFactory(name="LS ELECTRIC"), AgencyFactory()
    names = {"COMPANY": company.business_number_display, "SPONSOR": sponsor.name, "AGENCY": agency.name}
    extra = [names.get(a, a) for a in extra]
    output = add_user("kim", "--role", role, "--password", "correct-horse-42", *extra)
    user = User.objects.get(username="kim")
    assert user.role == role and "kim" in output
    assert authenticate(username="kim", password="correct-horse-42") == user
    assert user.sponsor == (sponsor if role == "sponsor" else None)
    assert user.company == (company if "--company" in extra else None)
    assert user.agency == (agency if role == "staff" else None)
    assert Mentor.objects.filter(user=user).exists() == (role == "mentor")


def test_add_user_names_the_mentor_profile():
    add_user("kim", "--role", "mentor", "--password", "correct-horse-42")
    add_user("lee", "--role", "mentor", "--password", "correct-horse-42", "--name", "이멘토")
    assert Mentor.objects.get(user__username="kim").name == "kim"
    assert Mentor.objects.get(user__username="lee").name == "이멘토"


def test_add_user_accepts_a_business_number_without_hyphens():
    company = CompanyFactory()
    add_user(
        "kim", "--role", "applicant", "--company", company.business_number, "--password", "correct-horse-42"
    )
    assert User.objects.get(username="kim").company == company


def test_add_user_without_a_password_prints_one_that_works():
    output = add_user("kim", "--role", "evaluator")
    password = re.search(r"비밀번호: (\S+)", output).group(1)
    assert len(password) >= 16
    assert authenticate(username="kim", password=password) is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "알 수 없는 역할"),
        ([], "역할을 지정"),
        (["--role", "sponsor"], "--sponsor로 주관기관"),
        (["--role", "sponsor", "--sponsor", "없는기업"], "주관기관을 찾을 수 없습니다"),
        (["--role", "staff", "--sponsor", "LS ELECTRIC"], "역할 sponsor에만"),
        (["--role", "staff", "--company", "COMPANY"], "역할 applicant에만"),
        (["--role", "applicant", "--company", "WRONG"], "유효하지 않은 사업자등록번호"),
        (["--role", "applicant", "--company", "UNKNOWN"], "기업을 찾을 수 없습니다"),
        (["--role", "staff"], "--agency로 소속 협업기관"),
        (["--role", "staff", "--agency", "없는기관"], "협업기관을 찾을 수 없습니다"),
        (["--role", "evaluator", "--agency", "대·중소기업·농어업협력재단"], "역할 staff에만"),
        (
            ["--role", "staff", "--agency", "대·중소기업·농어업협력재단", "--password", "12345678"],
            "비밀번호가 안전하지 않습니다",
        ),
        (
            ["--role", "staff", "--agency", "대·중소기업·농어업협력재단", "--password", "password123"],
            "비밀번호가 안전하지 않습니다",
        ),
    ],
)
def test_add_user_refuses_bad_input_and_creates_nothing(args, message):
    company = CompanyFactory()
    AgencyFactory()
    SponsorFactory(name="LS ELECTRIC")
    unknown = "220816251" + str(check_digit("220816251"))  # valid, but no company has it
    wrong = company.business_number[:9] + str((int(company.business_number[9]) + 1) % 10)
    placeholders = {"COMPANY": company.business_number, "UNKNOWN": unknown, "WRONG": wrong}
    args = [placeholders.get(a, a) for a in args]
    with pytest.raises(CommandError, match=message) as error:
        add_user("kim", *args)
    assert re.search("[가-힣]", str(error.value))
    assert not User.objects.exists() and not Mentor.objects.exists()


def test_add_user_refuses_an_existing_username():
    UserFactory(username="kim")
    with pytest.raises(CommandError, match="이미 있는 아이디"):
        add_user(
            "Kim",
            "--role",
            "staff",
            "--agency",
            "대·중소기업·농어업협력재단",
            "--password",
            "correct-horse-42",
        )
    assert User.objects.count() == 1


# --- What a newcomer to the demo meets (issue 13 item 21) ---------------------------------------------


def test_every_non_draft_application_has_its_status_history(seeded):
    """The history shows the workflow's own events (as application_transition writes them), in order,
    from draft to the application's status, dated in the past."""
    from django.contrib.contenttypes.models import ContentType

    from applicants.workflow import TRANSITIONS
    from program.models import AuditEvent

    kind = ContentType.objects.get_for_model(Application)
    events = defaultdict(list)
    transitions = [f"application.{action}" for action in TRANSITIONS]
    for event in AuditEvent.objects.filter(content_type=kind, action__in=transitions).order_by(
        "created_at", "pk"
    ):
        events[event.object_id].append(event)
    now = timezone.now()
    for application in Application.objects.all():
        history = events[application.pk]
        if application.status == "draft":
            assert history == []
            continue
        assert history, f"{application} has no history"
        status = "draft"
        for event in history:
            action = event.action.removeprefix("application.")
            assert event.before == {"status": status} and status in TRANSITIONS[action].sources
            declared = (
                {"declarations": dict.fromkeys(SubmissionDeclaration.FIELDS, True)}
                if action == "submit"
                else {}
            )
            assert event.after == {"status": TRANSITIONS[action].target, **declared}  # SPEC §15.1 at submit
            assert bool(event.note) == TRANSITIONS[action].note_required
            assert event.created_at < now
            status = TRANSITIONS[action].target
        assert status == application.status
        assert history[0].action == "application.submit"
        if application.decided_at and application.status in ("selected", "rejected"):
            assert history[-1].created_at == application.decided_at


def test_the_staff_page_shows_the_history(client, seeded):
    application = Application.objects.filter(status="building").first()
    client.force_login(User.objects.get(role=Role.STAFF, agency=application.program.agency))  # its agency's
    page = client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert "<li>이력이 없습니다.</li>" not in page  # the timeline's empty state (not the support history's)
    assert page.count("<time datetime=") >= 6  # submit … start_build, and the ledger's events


def test_running_it_again_writes_no_second_history(seeded):
    from program.models import AuditEvent

    before = AuditEvent.objects.count()
    seed_demo()
    assert AuditEvent.objects.count() == before


def test_the_open_program_is_funded_so_a_newcomer_can_select(seeded):
    from applicants.services import application_transition
    from program.models import AuditEvent

    program = Program.objects.get(status="open")
    contribution = Contribution.objects.get(program=program)
    assert "데모용 가상 금액" in contribution.note
    assert LedgerEntry.objects.filter(contribution=contribution, pot=Pot.SPONSOR).count() == 1
    assert AuditEvent.objects.filter(action="ledger.contribution", object_id__in=LedgerEntry.objects.filter(
        contribution=contribution).values("pk")).exists()  # fmt: skip
    staff = User.objects.get(username="staff")
    candidate = Application.objects.filter(
        program=program, status="evaluation", total_cost__isnull=False
    ).first()
    selected = application_transition(application=candidate, action="select", actor=staff)
    assert selected.status == "selected"
    assert LedgerEntry.objects.filter(application=candidate, kind="commitment").exists()


@pytest.fixture
def demo_settings(settings):
    """The settings `make demo` serves with (config/settings/demo.py) over the test settings."""
    import importlib

    demo_module = importlib.import_module("config.settings.demo")
    settings.DEBUG = demo_module.DEBUG
    settings.DEMO_MODE = demo_module.DEMO_MODE
    settings.TEMPLATES = demo_module.TEMPLATES
    return settings


def test_a_wrong_address_in_the_demo_is_the_404_page_not_the_debug_page(client, demo_settings):
    assert demo_settings.DEBUG is False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "페이지를 찾을 수 없습니다" in body and "첫 화면으로" in body
    assert "URLconf" not in body and "api/v1/" not in body and "DEBUG = True" not in body


def test_every_demo_page_says_it_shows_demo_data(client, seeded, demo_settings):
    client.force_login(User.objects.get(username="sponsor-ls"))
    for url in ("/", "/sponsor/", "/no-such-page/"):
        body = client.get(url).content.decode()
        assert 'class="demo-notice"' in body and "데모 데이터" in body, url
        assert "실제 기업의 실적이나 출연액이 아닙니다" in body


def test_outside_the_demo_no_page_says_demo(client, seeded):
    """The test settings, like production, come from base.py: no notice, even over demo data."""
    client.force_login(User.objects.get(username="sponsor-ls"))
    assert 'class="demo-notice"' not in client.get("/sponsor/").content.decode()


def test_the_production_settings_never_turn_the_demo_notice_on():
    import os
    import subprocess
    import sys

    from tests.test_settings import PRODUCTION_ENV

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(getattr(settings, 'DEMO_MODE', False), settings.TEMPLATES[0]['OPTIONS']['context_processors'])"
    )
    env = {**os.environ, **PRODUCTION_ENV}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.startswith("False") and "demo_mode" not in result.stdout


@pytest.mark.parametrize(("status", "text"), [(403, "접근할 수 없습니다"), (500, "일시적인 오류")])
def test_the_error_pages_are_korean_pages_of_the_site(status, text):
    from django.template.loader import render_to_string

    page = render_to_string(f"{status}.html")
    assert text in page and "상생형 스마트공장" in page
