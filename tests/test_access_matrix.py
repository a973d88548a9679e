"""Who may open what (docs/domain.md §1, §4, §10, §11): every role × every page and API endpoint × objects
in and
out of scope, as one table.

docs/domain.md §1: everyone sees only what their role allows; an object outside a user's scope answers 404
(not
403) so that its existence does not leak; Django admin is for superusers only. Role pages send
anonymous visitors to the login page and answer 404 to other roles; the API answers 403 to anonymous
requests (session authentication comes first, so there is no 401 challenge).

The world (placeholders in URLs and bodies in braces). The `world` fixture builds it with the factories
once per module inside a transaction, and every test runs in a savepoint of it that is rolled back, so
each test starts from exactly this world, never from what another test wrote:
- sponsor A ({sponsor_a}) runs {program_a} (open, funded) and {program_draft}; sponsor B
  ({sponsor_b}) runs {program_b} (open).
- company A ({company_a}, its applicant is "applicant-owner") holds {app_a}: selected in {program_a},
  so sponsor A's money funds it. The evaluator was assigned to it and scored it ({eval_a}), the mentor
  is assigned to it, and it has one document ({attachment}).
- company B ({company_b}, its applicant is "applicant-outsider") holds {app_b}, in evaluation in
  {program_b} with another evaluator ({evaluator_b_username}, {eval_b}), and {app_c}, submitted to
  {program_a} and not funded yet, so sponsor A does not see it either.
- "sponsor" is sponsor A's user, "sponsor-outsider" sponsor B's; the superuser has the staff role, as
  `createsuperuser` gives it.
- Agencies (docs/domain.md §1, SPEC §14): every program above, and so everything under them, belongs to
  agency A ({agency}, 대·중소기업·농어업협력재단), the agency of "staff" and of the superuser. A second
  agency ({agency_kbiz}, 중소기업중앙회) owns only {program_kbiz}, a draft of sponsor A; "staff-other" is
  its staff user, so it answers 404 on agency A's objects, 200 on lists (which must not show agency A's
  rows: a row's `absent=` texts) and on the shared registers (sponsors, companies, suppliers, mentors,
  agencies). "ministry" reads what staff read in every agency and writes nothing (403), except report
  requests (any scope). Groups: `officials` is every official, `officials_a` those whose scope holds
  agency A (its staff and the ministry); a row that names any role names staff-other and the ministry.

Roles are named from {app_a}'s point of view. Every POST/PATCH case also checks that the data changed
exactly when the case says the request writes, so a refused request is shown to change nothing.
"""

import datetime
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from applicants import services
from applicants.models import (
    Application,
    Attachment,
    Company,
    Evaluation,
    EvaluatorAssignment,
    Message,
    MessageAttachment,
    Supplier,
)
from execution.models import Clawback
from funds.models import LedgerEntry
from funds.services import cost_share_compute
from mentoring.models import MentoringSession
from program.models import AuditEvent, Notification, Program, ProgramFile, Sponsor
from projects.models import Agreement, AgreementChange, AgreementSignature
from reports.models import Outcome, Report
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    ApplicationFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    ParticipationBanFactory,
    ProgramFactory,
    SponsorFactory,
    SupplierFactory,
    UserFactory,
    fund_program,
    valid_business_number,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "staff",
    "evaluator",
    "applicant-owner",
    "applicant-outsider",
    "sponsor",
    "sponsor-outsider",
    "mentor",
    "superuser",
    "staff-other",
    "ministry",
)
# Keyword names for the roles, and groups that set several at once: the larger group first, then the
# smaller, then a role's own keyword, so the most particular answer wins.
KEYWORDS = {role.replace("applicant-", "").replace("-", "_"): role for role in ROLES}
GROUPS = {
    "staffs": ("staff", "superuser"),
    # every official (docs/domain.md §1): the shared registers, the lists, and other roles' pages
    "officials": ("staff", "superuser", "staff-other", "ministry"),
    # the officials whose scope holds agency A's objects: its staff and the ministry (reads)
    "officials_a": ("staff", "superuser", "ministry"),
    "applicants": ("applicant-owner", "applicant-outsider"),
}
# A row that says anything about anyone says what these two get, so no row leaves them to a default.
MUST_NAME = ("staff-other", "ministry")
LOGIN = "302 /accounts/login/"
ADMIN_LOGIN = "302 /admin/login/"
XSS = "<script>alert(1)</script>"


@dataclass(frozen=True)
class Case:
    method: str
    url: str
    role: str
    expected: int | str  # a status, or "302 <where the redirect goes, a prefix>"
    body: dict | None = field(default=None, compare=False)
    note: str = ""
    writes: bool = False  # whether the request changes data (otherwise it must change nothing)
    explicit: bool = field(default=True, compare=False)  # the row named this role's answer
    absent: tuple[str, ...] = field(default=(), compare=False)  # texts the answer must not show

    @property
    def id(self) -> str:
        note = f" {self.note}" if self.note else ""
        return f"{self.method} {self.url}{note} as {self.role} -> {self.expected}"

    @property
    def url_name(self) -> str | None:
        """The name of the URL pattern the case opens ("app:name"), or None when no pattern matches."""
        return url_name_of(self.url)


def url_name_of(url: str) -> str | None:
    """The pattern name a matrix URL resolves to, its placeholders standing for any id."""
    path = _PLACEHOLDER.sub("1", url).split("?", 1)[0]
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _roles(key: str) -> tuple[str, ...]:
    return GROUPS.get(key) or (KEYWORDS[key],)


def row(method, url, default, *, body=None, note="", writes=(), absent=(), **expected) -> list[Case]:
    """One URL for every role: `default`, then groups (officials=, staffs=, …, the larger first), then
    single roles. A row that names any role names staff-other and the ministry too (MUST_NAME).
    `absent`: texts (placeholders allowed) staff-other's answer must not show: agency A's rows in a
    list it may open."""
    per_role = dict.fromkeys(ROLES, default)
    groups = sorted((k for k in expected if k in GROUPS), key=lambda k: -len(GROUPS[k]))
    for key in groups + [k for k in expected if k not in GROUPS]:
        per_role.update(dict.fromkeys(_roles(key), expected[key]))
    named = {role for key in expected for role in _roles(key)}
    unnamed = [role for role in MUST_NAME if expected and role not in named]
    assert not unnamed, f"{method} {url} {note}: say what {', '.join(unnamed)} get"
    writers = {role for key in writes for role in _roles(key)}
    return [
        Case(
            method,
            url,
            role,
            status,
            body,
            note,
            writes=role in writers,
            explicit=not expected or role in named,
            absent=tuple(absent) if role == "staff-other" else (),
        )
        for role, status in per_role.items()
    ]


def page(url, **expected) -> list[Case]:
    """A GET page behind a role: anonymous visitors are sent to sign in, other roles get 404."""
    return row("GET", url, 404, anonymous=LOGIN, **expected)


def api(method, url, default, **kwargs) -> list[Case]:
    """An API endpoint: anonymous requests answer 403 (session authentication, no challenge)."""
    kwargs.setdefault("anonymous", 403)
    return row(method, f"/api/v1/{url}", default, **kwargs)


# A passing inspection of a project without agreement KPI targets (SPEC §17), as the form and the API take it.
INSPECTION_FORM = {"installed": "on", "operating": "on", "data_collected": "on", "result": "pass"}
INSPECTION_BODY = {
    "installed": True,
    "operating": True,
    "data_collected": True,
    "kpis": {},
    "audit_report": None,
    "result": "pass",
}
COMPANY_BODY = {
    "business_number": "{new_bn}",
    "name": "새빛정밀",
    "representative": "김하늘",
    "region": "경북",
    "industry_code": "26299",
    "employees": 35,
    "annual_revenue": 6_200_000_000,
    "founded_on": "2008-05-01",
    "current_level": "basic",
    "is_sponsor_partner": False,
}
APPLICATION_BODY = {
    "program": "{program_b}",
    "company": "{company_a}",
    "level": "basic",
    "title": "새 신청서",
    "plan": "설비 데이터 수집",
    "total_cost": 50_000_000,
    "wants_mentoring": False,
}
PROGRAM_BODY = {
    "title": "새 상생형 사업",
    "year": 2026,
    "sponsor": "{sponsor_a}",
    "agency": "{agency}",
    "gov_budget": 0,
    "opens_on": "2026-01-01",
    "closes_on": "2026-12-31",
    "status": "draft",
}
SCORES = {"plan": 20, "capability": 20, "impact": 20, "partnership": 10}
EVALUATION_BODY = {"conflict_of_interest": False, "scores": SCORES, "bonus": 0, "comment": "검토함"}
EVALUATION_FORM = {"conflict_of_interest": "no", **{f"score_{k}": v for k, v in SCORES.items()}, "bonus": 0}
PREVIEW_BODY = {"level": "basic", "total_cost": 100_000_001}

AGREEMENT_BODY = {
    "starts_on": "2026-03-01",
    "ends_on": "2026-08-31",
    "kpi_targets": [
        {"kpi": "productivity", "baseline": "100", "target": "120"},
        {"kpi": "defect_rate", "baseline": "3", "target": "2"},
        {"kpi": "lead_time", "baseline": "10", "target": "7"},
    ],
    "supplier": "{supplier}",
}
AGREEMENT_FORM = {
    "starts_on": "2026-03-01",
    "ends_on": "2026-08-31",
    "supplier": "{supplier}",
    **{
        f"{name}_{i}": row[name]
        for i, row in enumerate(AGREEMENT_BODY["kpi_targets"])  # type: ignore[arg-type]
        for name in ("kpi", "baseline", "target")
    },
}

# part C: a ban to record (SPEC §15.2), by the form and by the API
BAN_BODY = {
    "subject_type": "supplier",
    "business_number": "{new_bn}",
    "reason": "허위 세금계산서",
    "basis": "",
}
BAN_FORM = {**BAN_BODY, "starts_on": "", "ends_on": ""}

A_ROWS = ("{app_a_title}", "{app_b_title}", "{app_c_title}")  # agency A's applications, by title
A_PROGRAMS = ("{program_a_title}", "{program_b_title}", "{program_draft_title}")
CASES: list[Case] = [
    # ---- public pages
    # signed in, the role's home (program/home.py): staff-other sees none of agency A's applications
    *row("GET", "/", 200, absent=A_ROWS),
    *row("GET", "/accounts/login/", 200),
    # a program's 공고 and its files (SPEC §19): public for every program but a draft, which nobody sees there
    *row("GET", "/programs/{program_a}/", 200),
    *row("GET", "/programs/{program_b}/", 200),
    *row("GET", "/programs/{program_draft}/", 404),
    *row("GET", "/programs/{program_kbiz}/", 404),
    *row("GET", "/programs/{missing}/", 404),
    *row("GET", "/programs/{program_a}/files/{notice_a}/", 200),
    *row("GET", "/programs/{program_b}/files/{notice_a}/", 404),  # another program's file
    *row("GET", "/programs/{program_draft}/files/{notice_draft}/", 404),
    *row("GET", "/health/", 200),
    # Prometheus's: without METRICS_TOKEN (here) it answers 404 to everyone (tests/test_operations.py)
    *row("GET", "/metrics/", 404),
    *row("POST", "/accounts/logout/", "302 /", writes=()),
    *row("POST", "/i18n/setlang/", "302 /my/", body={"language": "en", "next": "/my/"}),
    # ---- the SME's own pages (§11 /my/)
    *page("/my/", applicants=200, officials=404),
    *page("/my/applications/{app_a}/", owner=200, officials=404),
    *page("/my/applications/{app_c}/", outsider=200, officials=404),
    # the 접수증 of a submitted application: its owner's alone (staff have their own application page)
    *page("/my/applications/{app_a}/receipt/", owner=200, officials=404),
    *page("/my/applications/{app_c}/receipt/", outsider=200, officials=404),
    *row(
        "POST",
        "/my/applications/{app_a}/transition/",
        404,
        anonymous=LOGIN,
        owner="302 /my/applications/{app_a}/",
        officials=404,
        body={"action": "withdraw"},
        note="withdraw",
        writes=["owner"],
    ),
    # ---- /apply/: sign up, company, the application form
    *row("GET", "/apply/", 404, anonymous="302 /apply/signup/", applicants=200, officials=404),
    *row("GET", "/apply/signup/", "302 /apply/", anonymous=200, officials="302 /apply/"),
    *row("GET", "/apply/signup/sent/", "302 /apply/", anonymous=200, officials="302 /apply/"),
    *row("GET", "/apply/signup/activate/MQ/not-a-token/", 400),  # a forged link shows nothing to anyone
    *page("/apply/company/", applicants="302 /apply/", officials=404),
    # company B holds a live application in every open program: nothing left to apply to (item 18)
    *page("/apply/new/", owner=200, outsider="302 /apply/", officials=404),
    # a selected application is no longer editable: its owner is sent to follow it on /my/
    *page("/apply/{app_a}/basics/", owner="302 /my/applications/{app_a}/", officials=404),
    *page("/apply/{app_c}/review/", outsider="302 /my/applications/{app_c}/", officials=404),
    *row(
        "POST",
        "/apply/{app_a}/documents/{attachment}/delete/",
        404,
        anonymous=LOGIN,
        owner="302 /my/applications/{app_a}/",
        officials=404,
    ),
    # documents: to whoever may see the application, never to anyone else
    *page(
        "/applications/{app_a}/attachments/{attachment}/",
        officials_a=200,
        staff_other=404,
        owner=200,
        evaluator=200,
        sponsor=200,
        mentor=200,
    ),
    *page("/applications/{app_b}/attachments/{attachment}/", officials=404),  # another application's
    # its preview (the staff page shows a PDF or an image in a frame): the same people, no one else
    *page(
        "/applications/{app_a}/attachments/{attachment}/?inline=1",
        officials_a=200,
        staff_other=404,
        owner=200,
        evaluator=200,
        sponsor=200,
        mentor=200,
    ),
    *page("/applications/{app_b}/attachments/{attachment}/?inline=1", officials=404),
    # ---- the staff review queue (§11 /staff/applications/); staff-other's agency has no application
    *page("/staff/applications/", officials=200, absent=A_ROWS),
    *page("/staff/applications/?q=%EC%A0%95%EB%B0%80", officials=200, absent=A_ROWS),
    *page("/staff/applications/{app_a}/", officials_a=200, staff_other=404),
    *page("/staff/applications/{app_b}/", officials_a=200, staff_other=404),
    *page("/staff/applications/{missing}/", officials=404),
    *page("/staff/applications/export.csv", officials=200, absent=A_ROWS),
    *page("/staff/applications/export.xlsx", officials=200, absent=A_ROWS),
    *row(
        "POST",
        "/staff/applications/{app_a}/transition/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/applications/{app_a}/",
        staff_other=404,
        ministry=403,
        body={"action": "sign_agreement"},
        note="sign_agreement",
        writes=["staffs"],
    ),
    *row(
        "POST",
        "/staff/applications/bulk/",
        404,
        anonymous=LOGIN,
        # staff-other's list holds no agency A row: nothing is done, as for an id no longer there
        officials="302 /staff/applications/",
        ministry=403,
        body={"action": "start_screening", "ids": ["{app_c}"]},
        note="start_screening",
        writes=["staffs"],
    ),
    *row(
        "POST",
        "/staff/applications/{app_b}/evaluators/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/applications/{app_b}/",
        staff_other=404,
        ministry=403,
        body={"evaluator": "{evaluator_username}"},
        writes=["staffs"],
    ),
    # the application page's panels alone (applicants/panels.py): staff only, like the page
    *[
        case
        for name in ("documents", "evaluations", "payments", "mentors", "outcomes", "agreement")
        for case in (
            *page(f"/staff/applications/{{app_a}}/panels/{name}/", officials_a=200, staff_other=404),
            *page(f"/staff/applications/{{app_b}}/panels/{name}/", officials_a=200, staff_other=404),
            *page(f"/staff/applications/{{missing}}/panels/{name}/", officials=404),
        )
    ],
    # 문의·답변 (SPEC §19): the thread's two sides post, each from its own page; the ministry reads only
    *row(
        "POST",
        "/staff/applications/{app_a}/messages/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/applications/{app_a}/",
        staff_other=404,
        ministry=403,
        body={"body": "내부 확인 메모", "visibility": "internal"},
        note="internal",
        writes=["staffs"],
    ),
    *row(
        "POST",
        "/staff/applications/{app_b}/messages/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/applications/{app_b}/",
        staff_other=404,
        ministry=403,
        body={"body": "서류를 보완해 주세요.", "visibility": "applicant"},
        note="applicant",
        writes=["staffs"],
    ),
    *row(
        "POST",
        "/my/applications/{app_a}/messages/",
        404,
        anonymous=LOGIN,
        owner="302 /my/applications/{app_a}/",
        officials=404,
        body={"body": "보완했습니다.", "visibility": "applicant"},
        note="applicant",
        writes=["owner"],
    ),
    *row(
        "POST",
        "/my/applications/{app_a}/messages/",
        404,
        anonymous=LOGIN,
        owner=400,  # the SME writes no internal note
        officials=404,
        body={"body": "몰래", "visibility": "internal"},
        note="internal",
    ),
    *row(
        "POST",
        "/my/applications/{app_b}/messages/",
        404,
        anonymous=LOGIN,
        outsider="302 /my/applications/{app_b}/",
        officials=404,
        body={"body": "문의드립니다.", "visibility": "applicant"},
        writes=["outsider"],
    ),
    # a message's file: to those who read the message; an internal note's to officials alone
    *page(
        "/applications/{app_a}/messages/files/{message_file}/", officials_a=200, staff_other=404, owner=200
    ),
    *page("/applications/{app_a}/messages/files/{note_file}/", officials_a=200, staff_other=404),
    *page("/applications/{app_b}/messages/files/{message_file}/", officials=404),  # another application's
    *page("/staff/programs/{program_a}/ranking/", officials_a=200, staff_other=404),
    *page("/staff/programs/{program_draft}/ranking/", officials_a=200, staff_other=404),
    *page("/staff/programs/{program_kbiz}/ranking/", officials=404, staff_other=200, ministry=200),
    # select / reject from the ranking, and a committee for many applications (issue 17 item 6)
    *row(
        "POST",
        "/staff/programs/{program_b}/ranking/{app_b}/decide/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/programs/{program_b}/ranking/",
        staff_other=404,
        ministry=403,
        body={"action": "reject", "note": "점수 미달"},
        note="reject",
        writes=["staffs"],
    ),
    *row(
        "POST",
        "/staff/programs/{program_a}/ranking/{app_b}/decide/",
        404,
        anonymous=LOGIN,
        staffs=404,  # app_b is program_b's
        staff_other=404,
        ministry=403,
        body={"action": "reject", "note": "점수 미달"},
        note="another program's application",
    ),
    *row(
        "POST",
        "/staff/programs/{program_b}/ranking/committee/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/programs/{program_b}/ranking/",
        staff_other=404,
        ministry=403,
        body={"applications": ["{app_b}"], "evaluators": ["{evaluator_username}"]},
        writes=["staffs"],
    ),
    # ---- money pages (issue 4): a program's fund, payments, the sponsor dashboard
    *page("/staff/programs/{program_a}/fund/", officials_a=200, staff_other=404),
    *page("/staff/programs/{program_kbiz}/fund/", officials=404, staff_other=200, ministry=200),
    *row(
        "POST",
        "/staff/programs/{program_a}/fund/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/programs/{program_a}/fund/",
        staff_other=404,
        ministry=403,
        body={"amount": "1,000,000", "kind": "cash", "purpose": "build", "received_on": "2026-03-02"},
        writes=["staffs"],
    ),
    *row(
        "POST",
        "/staff/applications/{app_a}/disbursements/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/applications/{app_a}/",
        staff_other=404,
        ministry=403,
        body={"amount": "1,000,000", "kind": "advance", "paid_on": "2026-05-01"},
        writes=["staffs"],
    ),
    # ---- the agreement (SPEC §16): {app_a}'s is countersigned, so every step answers 409 to who may act
    *page("/my/applications/{app_a}/agreement/", owner=200, officials=404),
    *page("/my/applications/{app_b}/agreement/", officials=404),  # not selected: no agreement
    *row(
        "POST",
        "/my/applications/{app_a}/agreement/",
        404,
        anonymous=LOGIN,
        owner=409,
        officials=404,
        body={"password": "correct-horse-42", "confirmed": "on"},
    ),
    *[
        case
        for tail in ("", "send/", "recall/", "countersign/")
        for case in row(
            "POST",
            f"/staff/applications/{{app_a}}/agreement/{tail}",
            404,
            anonymous=LOGIN,
            staffs=409,
            staff_other=404,
            ministry=403,
            body=AGREEMENT_FORM if not tail else None,
        )
    ],
    *page(
        "/applications/{app_a}/agreement/document/",
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
        evaluator=404,
        mentor=404,
    ),
    *page("/applications/{app_b}/agreement/document/", officials=404),
    # ---- agreement changes (협약변경, SPEC §16): app_a is selected, not yet under agreement, so the
    # owner's request and staff's approval are refused (409 / 400 on the page); a rejection writes.
    *page("/my/applications/{app_a}/changes/", owner=200, officials=404),
    *row(
        "POST",
        "/my/applications/{app_a}/changes/",
        404,
        anonymous=LOGIN,
        owner=409,
        officials=404,
        body={"kind": "plan", "cause_on": "2026-03-02", "reason": "공정 변경"},
    ),
    *page("/staff/applications/{app_a}/panels/changes/", officials_a=200, staff_other=404),
    *row(
        "POST",
        "/staff/applications/{app_a}/changes/{change_a}/approve/",
        404,
        anonymous=LOGIN,
        staffs=400,
        staff_other=404,
        ministry=403,
    ),
    *row(
        "POST",
        "/staff/applications/{app_a}/changes/{change_a}/reject/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/applications/{app_a}/",
        staff_other=404,
        ministry=403,
        body={"note": "근거 부족"},
        writes=["staffs"],
    ),
    # ---- outcomes and reports (issue 6)
    *page("/my/applications/{app_a}/outcomes/", owner="302 /my/applications/{app_a}/", officials=404),
    *page("/my/applications/{app_b}/outcomes/", outsider="302 /my/applications/{app_b}/", officials=404),
    *page(
        "/staff/applications/{app_a}/outcomes/",
        officials_a="302 /staff/applications/{app_a}/",
        staff_other=404,
    ),
    *page("/staff/programs/{program_a}/outcomes/", officials_a=200, staff_other=404),
    *page("/reports/", officials=200, sponsor=200, sponsor_outsider=200, absent=A_PROGRAMS),
    *page("/staff/audit/", officials=200, absent=("/staff/applications/{app_a}/", *A_ROWS)),
    # the audit trail's export: the page's rows, the ministry's too (it reads every agency's)
    *page("/staff/audit/export.xlsx", officials=200, absent=A_ROWS),
    # ---- completion and the inspection (SPEC §17; issue 19 part C). {app_a} is selected, not yet in
    # building or completion_review: the owner's request and staff's inspection answer 409 there, which
    # shows they got past every access check (the results themselves: projects/tests).
    *page("/my/applications/{app_a}/completion/", owner=200, officials=404),
    *page("/my/applications/{app_b}/completion/", outsider=200, officials=404),
    *row("POST", "/my/applications/{app_a}/completion/", 404, anonymous=LOGIN, owner=409, officials=404),
    # no file in the body: the owner's form answers 400 at its field
    *row(
        "POST", "/my/applications/{app_a}/completion/report/", 404, anonymous=LOGIN, owner=400, officials=404
    ),
    *row(
        "POST",
        "/staff/applications/{app_a}/inspection/",
        404,
        anonymous=LOGIN,
        staffs=409,
        staff_other=404,
        ministry=403,
        body=INSPECTION_FORM,
    ),
    *api("GET", "outcomes/", 200, officials=200),
    *api("GET", "reports/", 200, officials=200),
    *api(
        "POST",
        "reports/",
        404,  # the program is outside what these roles may report on
        officials_a=202,  # the ministry requests reports of any scope
        staff_other=400,  # another agency's program: a field error, as a missing program is to staff
        sponsor=202,
        sponsor_outsider=404,  # another sponsor's program
        body={"kind": "fund_status", "format": "xlsx", "program": "{program_a}"},
        writes=["officials_a", "sponsor"],
    ),
    *api(
        "POST",
        "reports/",
        404,
        officials=400,  # agency A's staff: another agency's program, answered as a missing one (400)
        staff_other=202,
        ministry=202,
        sponsor=202,  # sponsor A's program, run by the other agency
        body={"kind": "fund_status", "format": "xlsx", "program": "{program_kbiz}"},
        note="kbiz",
        writes=["staff_other", "ministry", "sponsor"],
    ),
    # sponsors are a shared register; what a dashboard shows of a sponsor's money is the viewer's agency's
    *page("/sponsor/", officials=200, sponsor=200, sponsor_outsider=200),
    *page("/sponsor/{sponsor_a}/", officials=200, sponsor=200, absent=A_PROGRAMS),
    *page("/sponsor/{sponsor_b}/", officials=200, sponsor_outsider=200, absent=A_PROGRAMS),
    # a funded project as its sponsor sees it (issue 19 item 5): its sponsor and the officials of its
    # agency; not the SME, evaluators or mentors (they have their own pages); nothing before selection
    *page("/sponsor/projects/{app_a}/", officials_a=200, staff_other=404, sponsor=200),
    *page("/sponsor/projects/{app_c}/", officials=404, sponsor=404),
    # ---- programs (§11 /staff/programs/)
    *page("/staff/programs/", officials=200, absent=A_PROGRAMS),
    *page("/staff/programs/new/", officials=200),
    *page("/staff/programs/{program_a}/", officials_a=200, staff_other=404),
    *page("/staff/programs/{program_draft}/", officials_a=200, staff_other=404),
    *page("/staff/programs/{program_kbiz}/", officials=404, staff_other=200, ministry=200),
    *row(
        "POST",
        "/staff/programs/{program_a}/",
        404,
        anonymous=LOGIN,
        staffs=400,
        staff_other=404,
        ministry=403,
        body={},
        note="empty",
    ),
    *row(
        "POST",
        "/staff/programs/new/",
        404,
        anonymous=LOGIN,
        officials=400,
        ministry=403,
        body={},
        note="empty",
    ),
    # 이전 사업 복사: the new-program form filled from last year's, by the program's own agency's staff
    # only; the list's one-button form opens it; nothing is made until the form comes back valid
    *page("/staff/programs/{program_a}/copy/", staffs=200, staff_other=404, ministry=403),
    *page("/staff/programs/{program_kbiz}/copy/", staffs=404, staff_other=200, ministry=403),
    *row(
        "POST",
        "/staff/programs/{program_a}/copy/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/programs/{program_a}/copy/",
        staff_other=404,
        ministry=403,
    ),
    *row(
        "POST",
        "/staff/programs/{program_a}/copy/",
        404,
        anonymous=LOGIN,
        staffs=400,
        staff_other=404,
        ministry=403,
        body={"title": ""},
        note="empty",
    ),
    *row(
        "POST",
        "/staff/programs/{program_kbiz}/copy/",
        404,
        anonymous=LOGIN,
        staffs=404,
        staff_other="302 /staff/programs/{program_kbiz}/copy/",
        ministry=403,
    ),
    # ---- mentoring (§7): the mentor's own assignments; staff keep mentors and assign them
    *page("/mentor/", mentor=200, officials=404),
    *page("/mentor/assignments/{assignment}/", mentor=200, officials=404),
    *page("/mentor/assignments/{missing}/", officials=404),
    # mentors are a shared register; the overview's assignments are the viewer's agency's
    *page("/staff/mentors/", officials=200, absent=("/staff/applications/{app_a}/", *A_PROGRAMS)),
    *page("/staff/mentors/new/", officials=200),
    *page("/staff/mentors/{mentor}/", officials=200),
    *row(
        "POST",
        "/staff/applications/{app_a}/mentors/",
        404,
        anonymous=LOGIN,
        staffs=400,
        staff_other=404,
        ministry=403,
        body={},
        note="empty",
    ),
    # ---- the evaluator's pages: its assignments only
    *page("/evaluations/", evaluator=200, officials=404),
    *page("/evaluations/{app_a}/", evaluator=200, officials=404),
    *page("/evaluations/{app_b}/", officials=404),
    *row(
        "POST",
        "/evaluations/{app_b}/",
        404,
        anonymous=LOGIN,
        officials=404,
        body=EVALUATION_FORM,
        note="scores",
    ),
    # ---- Django admin: superusers only; everyone else is sent to the admin's login
    *row("GET", "/admin/", ADMIN_LOGIN, officials=ADMIN_LOGIN, superuser=200),
    *row("GET", "/admin/applicants/application/", ADMIN_LOGIN, officials=ADMIN_LOGIN, superuser=200),
    *row(
        "GET",
        "/admin/applicants/application/{app_a}/change/",
        ADMIN_LOGIN,
        officials=ADMIN_LOGIN,
        superuser=200,
    ),
    *row("GET", "/admin/accounts/user/", ADMIN_LOGIN, officials=ADMIN_LOGIN, superuser=200),
    # ---- API schema and docs (served from local files)
    *row("GET", "/api/schema/", 200),
    *row("GET", "/api/docs/", 200),
    # ---- API: root and token
    *api("GET", "", 200, officials=200),
    *row(
        "POST",
        "/api/v1/auth/token/",
        400,  # staff sign in with a second factor (SPEC §20): the right password alone is not enough
        body={"username": "{staff_username}", "password": "correct-horse-42"},
        note="right password",
    ),
    *row(
        "POST",
        "/api/v1/auth/token/",
        400,
        body={"username": "{staff_username}", "password": "wrong"},
        note="wrong password",
    ),
    # ---- API: agencies (§14): any signed-in user
    *api("GET", "agencies/", 200, officials=200),
    *api("GET", "agencies/{agency}/", 200, officials=200),
    *api("GET", "agencies/{agency_kbiz}/", 200, officials=200),
    *api("GET", "agencies/{missing}/", 404, officials=404),
    # ---- API: applications
    *api("GET", "applications/", 200, officials=200),
    *api(
        "GET",
        "applications/{app_a}/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        evaluator=200,
        sponsor=200,
        mentor=200,
    ),
    *api("GET", "applications/{app_b}/", 404, officials_a=200, staff_other=404, outsider=200),
    # not funded yet: not sponsor A's
    *api("GET", "applications/{app_c}/", 404, officials_a=200, staff_other=404, outsider=200),
    *api("GET", "applications/{missing}/", 404, officials=404),
    *api("GET", "applications/not-a-number/", 404, officials=404),
    *api(
        "PATCH",
        "applications/{app_a}/",
        403,
        officials_a=403,  # in scope, but only its company edits it
        staff_other=404,
        owner=409,  # in scope, but selected: no longer editable
        outsider=404,
        sponsor_outsider=404,
        body={"title": "바뀐 제목"},
    ),
    *api(
        "POST",
        "applications/",
        403,
        officials=403,
        owner=201,
        outsider=400,  # not its company
        body=APPLICATION_BODY,
        writes=["owner"],
    ),
    # the agreement (SPEC §16): staff of the agency, the SME's owner and the program's sponsor read it
    *api(
        "GET",
        "applications/{app_a}/agreement/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
    ),
    *api("GET", "applications/{app_b}/agreement/", 404, officials=404),  # not selected: none
    *api(
        "PUT",
        "applications/{app_a}/agreement/",
        404,
        staffs=409,  # sent and signed: no longer a draft
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
        body=AGREEMENT_BODY,
    ),
    *api(
        "POST",
        "applications/{app_a}/agreement/send/",
        404,
        staffs=409,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
    ),
    *api(
        "POST",
        "applications/{app_a}/agreement/sign/",
        404,
        staffs=403,
        staff_other=404,
        ministry=403,
        owner=409,  # already countersigned
        sponsor=403,
        body={"password": "correct-horse-42"},
    ),
    *api(
        "POST",
        "applications/{app_a}/agreement/countersign/",
        404,
        staffs=409,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
    ),
    *api(
        "GET",
        "applications/{app_a}/agreement/document/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
    ),
    *api(
        "POST",
        "applications/{app_a}/transitions/",
        403,
        staffs=200,
        staff_other=404,
        ministry=403,
        outsider=404,
        sponsor_outsider=404,
        body={"action": "sign_agreement"},
        note="sign_agreement",
        writes=["staffs"],
    ),
    *api(
        "POST",
        "applications/{app_a}/transitions/",
        403,
        staffs=200,
        staff_other=404,
        ministry=403,
        owner=200,
        outsider=404,
        sponsor_outsider=404,
        body={"action": "withdraw"},
        note="withdraw",
        writes=["staffs", "owner"],
    ),
    *api(
        "POST",
        "applications/{app_b}/transitions/",
        404,
        staffs=200,
        staff_other=404,
        ministry=403,
        outsider=200,
        body={"action": "withdraw"},
        note="withdraw",
        writes=["staffs", "outsider"],
    ),
    *api(
        "GET",
        "applications/{app_a}/history/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        evaluator=200,
        sponsor=200,
        mentor=200,
    ),
    *api("GET", "applications/{app_b}/history/", 404, officials_a=200, staff_other=404, outsider=200),
    # 문의·답변 (SPEC §19): the SME and officials; evaluators, mentors and sponsors see no thread
    *api("GET", "applications/{app_a}/messages/", 404, officials_a=200, staff_other=404, owner=200),
    *api("GET", "applications/{app_b}/messages/", 404, officials_a=200, staff_other=404, outsider=200),
    *api("GET", "applications/{missing}/messages/", 404, officials=404),
    # ---- API: documents (SPEC §10) — to whoever may see the application; only its owner adds or
    # removes one, and {app_a} is selected: neither its four kinds nor a completion report now
    *api(
        "GET",
        "applications/{app_a}/attachments/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        evaluator=200,
        sponsor=200,
        mentor=200,
    ),
    *api(
        "GET",
        "applications/{app_a}/attachments/{attachment}/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        evaluator=200,
        sponsor=200,
        mentor=200,
    ),
    *api("GET", "applications/{app_b}/attachments/{attachment}/", 404, officials=404),  # another's
    *api(
        "POST",
        "applications/{app_a}/attachments/",
        404,
        officials_a=403,
        staff_other=404,
        owner=400,  # no file: the body is judged once the owner is known
        evaluator=403,
        sponsor=403,
        mentor=403,
        body={"kind": "quote"},
    ),
    *api(
        "DELETE",
        "applications/{app_a}/attachments/{attachment}/",
        404,
        officials_a=403,
        staff_other=404,
        owner=409,
        evaluator=403,
        sponsor=403,
        mentor=403,
    ),
    *api(
        "POST",
        "applications/{app_a}/messages/",
        404,
        staffs=201,
        staff_other=404,
        ministry=403,
        owner=400,  # the SME writes no internal note
        body={"body": "내부 메모", "visibility": "internal"},
        note="internal",
        writes=["staffs"],
    ),
    *api(
        "POST",
        "applications/{app_a}/messages/",
        404,
        staffs=201,
        staff_other=404,
        ministry=403,
        owner=201,
        body={"body": "문의드립니다.", "visibility": "applicant"},
        note="applicant",
        writes=["staffs", "owner"],
    ),
    *api(
        "GET",
        "applications/{app_a}/cost-share/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        evaluator=200,
        sponsor=200,
        mentor=200,
    ),
    *api("GET", "applications/{app_b}/cost-share/", 404, officials_a=200, staff_other=404, outsider=200),
    *api(
        "POST",
        "applications/{app_b}/evaluators/",
        404,
        staffs=201,
        staff_other=404,
        ministry=403,
        outsider=403,  # its own application, but only staff assign
        body={"evaluator": "{evaluator_username}"},
        writes=["staffs"],
    ),
    *api(
        "POST",
        "applications/{app_a}/evaluators/",
        403,
        staffs=409,  # selected: no longer in evaluation
        staff_other=404,
        ministry=403,
        outsider=404,
        sponsor_outsider=404,
        body={"evaluator": "{evaluator_b_username}"},
    ),
    # ---- API: companies (applicant: its own company only; a shared register for officials)
    *api("GET", "companies/", 200, officials=200),
    *api("GET", "companies/{company_a}/", 404, officials=200, owner=200),
    *api("GET", "companies/{company_b}/", 404, officials=200, outsider=200),
    *api(
        "PATCH",
        "companies/{company_a}/",
        404,
        officials=200,
        ministry=403,
        owner=200,
        body={"employees": 41},
        writes=["staffs", "staff_other", "owner"],
    ),
    *api("POST", "companies/", 403, officials=403, applicants=400, body=COMPANY_BODY),  # both have one
    # ---- API: suppliers (readable when signed in; staff register them)
    *api("GET", "suppliers/", 200, officials=200),
    *api("GET", "suppliers/{supplier}/", 200, officials=200),
    *api(
        "POST",
        "suppliers/",
        403,
        officials=201,
        ministry=403,
        body={"name": "새솔루션", "business_number": "{new_bn}", "solution_areas": ["MES"], "region": "서울"},
        writes=["staffs", "staff_other"],
    ),
    # ---- API: sponsors (a sponsor user sees only its own; a shared register for officials)
    *api("GET", "sponsors/", 200, officials=200),
    *api("GET", "sponsors/{sponsor_a}/", 404, officials=200, sponsor=200),
    *api("GET", "sponsors/{sponsor_b}/", 404, officials=200, sponsor_outsider=200),
    *api(
        "POST",
        "sponsors/",
        403,
        officials=201,
        ministry=403,
        body={"name": "새주관기관", "business_number": "{new_bn}", "kind": "large"},
        writes=["staffs", "staff_other"],
    ),
    # ---- API: programs (nothing of other sponsors or agencies; drafts to officials and their sponsor)
    *api("GET", "programs/", 200, officials=200),
    *api("GET", "programs/{program_a}/", 200, officials_a=200, staff_other=404, sponsor_outsider=404),
    *api("GET", "programs/{program_b}/", 200, officials_a=200, staff_other=404, sponsor=404),
    *api("GET", "programs/{program_draft}/", 404, officials_a=200, staff_other=404, sponsor=200),
    *api("GET", "programs/{program_kbiz}/", 404, officials=404, staff_other=200, ministry=200, sponsor=200),
    *api(
        "PATCH",
        "programs/{program_a}/",
        403,
        staffs=200,
        staff_other=404,
        ministry=403,
        sponsor_outsider=404,  # outside its scope
        body={"title": "바뀐 사업명"},
        writes=["staffs"],
    ),
    *api(
        "PATCH",
        "programs/{program_draft}/",
        404,  # a draft is outside every scope but officials' and its sponsor's
        staffs=200,
        staff_other=404,
        ministry=403,
        sponsor=403,
        body={"title": "바뀐 사업명"},
        writes=["staffs"],
    ),
    *api(
        "PATCH",
        "programs/{program_kbiz}/",
        404,
        officials=404,  # agency A's staff: another agency's program
        staff_other=200,
        ministry=403,
        sponsor=403,
        body={"title": "바뀐 사업명"},
        note="kbiz",
        writes=["staff_other"],
    ),
    # agency A named: another agency's id answers 400 on `agency` (§14)
    *api(
        "POST",
        "programs/",
        403,
        staffs=201,
        staff_other=400,
        ministry=403,
        body=PROGRAM_BODY,
        writes=["staffs"],
    ),
    *api(
        "POST",
        "programs/",
        403,
        officials=201,  # `agency` left out: the user's own
        ministry=403,
        body={key: value for key, value in PROGRAM_BODY.items() if key != "agency"},
        note="no agency",
        writes=["staffs", "staff_other"],
    ),
    *api("GET", "programs/{program_a}/ranking/", 404, officials_a=200, staff_other=404),
    *api("GET", "programs/{program_kbiz}/ranking/", 404, officials=404, staff_other=200, ministry=200),
    *api("GET", "programs/{program_a}/fund/", 404, officials_a=200, staff_other=404, sponsor=200),
    *api("GET", "programs/{program_b}/fund/", 404, officials_a=200, staff_other=404, sponsor_outsider=200),
    *api(
        "GET", "programs/{program_kbiz}/fund/", 404, officials=404, staff_other=200, ministry=200, sponsor=200
    ),
    *api("GET", "sponsors/{sponsor_a}/dashboard/", 404, officials=200, sponsor=200, absent=A_PROGRAMS),
    *api(
        "GET", "sponsors/{sponsor_b}/dashboard/", 404, officials=200, sponsor_outsider=200, absent=A_PROGRAMS
    ),
    *api("GET", "contributions/", 200, officials=200),
    *api(
        "POST",
        "contributions/",
        403,
        staffs=201,
        staff_other=400,  # another agency's program, named in the body: a field error, as for `agency`
        ministry=403,
        body={
            "program": "{program_a}",
            "amount": 1_000_000,
            "kind": "cash",
            "purpose": "build",
            "received_on": "2026-03-02",
        },
        writes=["staffs"],
    ),
    *api(
        "GET",
        "applications/{app_a}/inspection/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
    ),
    *api(
        "POST",
        "applications/{app_a}/inspection/",
        404,
        staffs=409,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
        body=INSPECTION_BODY,
    ),
    *api(
        "GET",
        "applications/{app_a}/disbursements/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        evaluator=200,
        sponsor=200,
        mentor=200,
    ),
    *api(
        "POST",
        "applications/{app_a}/disbursements/",
        404,
        staffs=201,
        staff_other=404,
        ministry=403,
        owner=403,
        evaluator=403,
        sponsor=403,
        mentor=403,
        body={"amount": 1_000_000, "kind": "advance", "paid_on": "2026-05-01"},
        writes=["staffs"],
    ),
    # agreement changes (SPEC §16): the sponsor reads (its money moves), evaluators and mentors do not
    *api(
        "GET",
        "applications/{app_a}/changes/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
    ),
    *api(
        "POST",
        "applications/{app_a}/changes/",
        404,
        staffs=403,
        staff_other=404,
        ministry=403,
        owner=409,
        sponsor=403,
        body={"kind": "plan", "cause_on": "2026-03-02", "reason": "공정 변경"},
    ),
    *api(
        "POST",
        "applications/{app_a}/changes/{change_a}/approve/",
        404,
        staffs=409,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
    ),
    *api(
        "POST",
        "applications/{app_a}/changes/{change_a}/reject/",
        404,
        staffs=200,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
        body={"note": "근거 부족"},
        writes=["staffs"],
    ),
    *api("GET", "programs/{program_b}/ranking/", 404, officials_a=200, staff_other=404),
    # ---- API: evaluations (an evaluator sees and writes only its own)
    *api("GET", "evaluations/", 200, officials=200),
    *api(
        "POST",
        "evaluations/",
        404,
        officials_a=403,  # sees the application, but is not on its committee
        staff_other=404,
        outsider=403,  # its own application
        body={"application": "{app_b}", **EVALUATION_BODY},
        note="app_b",
    ),
    *api(
        "POST",
        "evaluations/",
        403,
        officials_a=403,
        staff_other=404,
        evaluator=409,  # assigned, but the application is past evaluation
        outsider=404,
        sponsor_outsider=404,
        body={"application": "{app_a}", **EVALUATION_BODY},
        note="app_a",
    ),
    # ---- API: mentoring (§7); mentors are a shared register
    *api("GET", "mentors/", 200, officials=200),
    *api("GET", "mentors/{mentor}/", 404, officials=200, mentor=200),
    *api("GET", "mentors/suggestions/?application={app_b}", 404, officials_a=200, staff_other=404),
    *api("GET", "mentoring-assignments/", 200, officials=200),
    *api(
        "GET",
        "mentoring-assignments/{assignment}/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
        mentor=200,
    ),
    *api(
        "POST",
        "mentoring-assignments/{assignment}/end/",
        404,
        staffs=200,
        staff_other=404,
        ministry=403,
        owner=403,  # sees the assignment, but only staff end one
        sponsor=403,
        mentor=403,
        body={"status": "ended"},
        writes=["staffs"],
    ),
    *api("GET", "mentoring-sessions/", 200, officials=200),
    *api(
        "GET",
        "mentoring-sessions/{session}/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
        mentor=200,
    ),
    # ---- API: one outcome, one report and its file
    *api("GET", "outcomes/{outcome}/", 404, officials_a=200, staff_other=404, owner=200, sponsor=200),
    *api("GET", "reports/{report}/", 404, officials_a=200, staff_other=404, sponsor=200),
    *api("GET", "reports/{report}/download/", 404, officials_a=200, staff_other=404, sponsor=200),
    # ---- the inbox (SPEC §19): every signed-in user's own notices; {notice} is the owner's, unread
    *row("GET", "/inbox/", 200, anonymous=LOGIN, officials=200),
    *row(
        "POST",
        "/inbox/{notice}/open/",
        404,
        anonymous=LOGIN,
        officials=404,
        owner="302 /my/applications/{app_a}/",
        writes=["owner"],
    ),
    *row(
        "POST", "/inbox/read-all/", "302 /inbox/", anonymous=LOGIN, officials="302 /inbox/", writes=["owner"]
    ),
    *api("GET", "notifications/", 200, officials=200),
    *api("POST", "notifications/{notice}/read/", 404, officials=404, owner=200, writes=["owner"]),
    *api("POST", "notifications/{missing}/read/", 404, officials=404),
    *api("POST", "notifications/read-all/", 200, officials=200, writes=["owner"]),
    # ---- API: cost-share preview (open programs are public, see `/`)
    *api(
        "POST",
        "cost-share/preview/",
        200,
        officials=200,
        body={"program": "{program_a}", **PREVIEW_BODY},
        note="open",
    ),
    *api(
        "POST",
        "cost-share/preview/",
        404,
        officials=404,
        body={"program": "{program_draft}", **PREVIEW_BODY},
        note="draft",
    ),
    # ---- part A1: spending and deposits (SPEC §18.1-18.2). {app_a} (selected, not building) has one
    # pending line {spending_a} with its evidence and a deposit. Agency A's officials, the SME and the
    # program's sponsor read; the owner records (JSON carries no evidence file: 400), staff review and
    # record deposits; evaluators and mentors see none of it.
    *api(
        "GET", "applications/{app_a}/spending/", 404, officials_a=200, staff_other=404, owner=200, sponsor=200
    ),
    *api(
        "POST",
        "applications/{app_a}/spending/",
        404,
        staffs=403,
        staff_other=404,
        ministry=403,
        owner=400,
        sponsor=403,
        body={
            "spent_on": "2026-04-01",
            "supplier_business_number": "{new_bn}",
            "item": "MES",
            "amount": 1_000,
            "evidence": "card",
        },
    ),
    *api(
        "POST",
        "applications/{app_a}/spending/{spending_a}/review/",
        404,
        staffs=200,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
        body={"decision": "approved"},
        writes=["staffs"],
    ),
    *api(
        "GET",
        "applications/{app_a}/spending/{spending_a}/document/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
    ),
    *api("GET", "applications/{app_a}/spending/{missing}/document/", 404, officials=404),
    *api(
        "GET", "applications/{app_a}/deposits/", 404, officials_a=200, staff_other=404, owner=200, sponsor=200
    ),
    *api(
        "POST",
        "applications/{app_a}/deposits/",
        404,
        staffs=201,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
        body={"amount": 1_000_000, "deposited_on": "2026-03-10"},
        writes=["staffs"],
    ),
    # ---- part A2: settlement and clawbacks (SPEC §18.3-18.4). {app_a} is selected, not yet building:
    # staff's confirmation answers 409 `not_settleable`, which shows it got past every access check.
    # {clawback} is {app_a}'s, 1 won of the government pot, open.
    *api(
        "GET",
        "applications/{app_a}/settlement/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
    ),
    *api(
        "POST",
        "applications/{app_a}/settlement/confirm/",
        404,
        staffs=409,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
    ),
    *api("GET", "clawbacks/", 404, officials=200, absent=("{app_a_title}",)),
    *api(
        "POST",
        "clawbacks/",
        404,
        staffs=400,  # {app_a} was paid nothing: 400 on `government`
        staff_other=400,  # another agency's application: 400 on `application`
        ministry=403,
        body={
            "application": "{app_a}",
            "reason": "non_use",
            "government": 1,
            "sponsor": 0,
            "due_on": "2026-12-31",
        },
    ),
    *api("GET", "clawbacks/{clawback}/", 404, officials_a=200, staff_other=404, owner=200, sponsor=200),
    *api(
        "GET",
        "clawbacks/{clawback}/collections/",
        404,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
    ),
    *api(
        "POST",
        "clawbacks/{clawback}/collections/",
        404,
        staffs=201,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
        body={"amount": 1, "collected_on": "2026-10-01"},
        writes=["staffs"],
    ),
    *api(
        "POST",
        "clawbacks/{clawback}/uncollectable/",
        404,
        staffs=200,
        staff_other=404,
        ministry=403,
        owner=403,
        sponsor=403,
        body={"note": "폐업"},
        writes=["staffs"],
    ),
    # ---- part D: execution pages (SPEC §18); {d_line} is a pending spending line of app_a, {d_clawback}
    # an open clawback of it. app_a is selected (not building): the SME reads its register, uploads answer
    # 409, and the settlement cannot be confirmed yet (409).
    *page("/my/applications/{app_a}/spending/", owner=200, officials=404),
    *page("/my/applications/{app_c}/spending/", officials=404),  # submitted, not funded: no register
    *row(
        "POST",
        "/my/applications/{app_a}/spending/",
        404,
        anonymous=LOGIN,
        officials=404,
        owner=409,
        body={"spent_on": "2026-04-01", "item": "설비", "amount": "1,000", "evidence": "card"},
    ),
    *page("/staff/spending/", officials=200, absent=("{app_a_title}",)),
    *row(
        "POST",
        "/staff/spending/{d_line}/review/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/spending/",
        staff_other=404,
        ministry=403,
        body={"decision": "approved"},
        writes=["staffs"],
    ),
    *row(
        "GET",
        "/spending/{d_line}/document/",
        404,
        anonymous=LOGIN,
        officials_a=200,
        staff_other=404,
        owner=200,
        sponsor=200,
    ),
    *page("/staff/applications/{app_a}/settlement/", officials_a=200, staff_other=404),
    *page("/staff/applications/{app_c}/settlement/", officials=404),
    *row(
        "POST",
        "/staff/applications/{app_a}/settlement/confirm/",
        404,
        anonymous=LOGIN,
        staffs=409,
        staff_other=404,
        ministry=403,
    ),
    *row(
        "POST",
        "/staff/applications/{app_a}/deposits/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/applications/{app_a}/",
        staff_other=404,
        ministry=403,
        body={"amount": "1,000,000", "deposited_on": "2026-03-10"},
        writes=["staffs"],
    ),
    *page("/staff/clawbacks/", officials=200, absent=("{app_a_title}",)),
    *row(
        "POST",
        "/staff/clawbacks/{d_clawback}/collect/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/clawbacks/",
        staff_other=404,
        ministry=403,
        body={"amount": "1,000", "collected_on": "2026-06-01"},
        writes=["staffs"],
    ),
    *row(
        "POST",
        "/staff/clawbacks/{d_clawback}/uncollectable/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/clawbacks/",
        staff_other=404,
        ministry=403,
        body={"note": "폐업"},
        writes=["staffs"],
    ),
    *page("/staff/applications/{app_a}/clawbacks/new/", officials_a=200, staff_other=404),
    *row(
        "POST",
        "/staff/applications/{app_a}/clawbacks/new/",
        404,
        anonymous=LOGIN,
        staffs=400,  # nothing paid yet: nothing to claw back
        staff_other=404,
        ministry=403,
        body={"reason": "collusion", "government": "1,000", "sponsor": "0", "due_on": "2026-12-31"},
    ),
    # ---- part C: participation bans (SPEC §15.2)
    # a register every agency's staff share (staff-other too) and the ministry reads; nobody else sees it
    *page("/staff/bans/", officials=200),
    *page("/staff/bans/new/", officials=200),
    *row(
        "POST",
        "/staff/bans/new/",
        404,
        anonymous=LOGIN,
        officials="302 /staff/bans/",
        ministry=403,
        body=BAN_FORM,
        writes=["staffs", "staff_other"],
    ),
    *row(
        "POST",
        "/staff/bans/{ban}/lift/",
        404,
        anonymous=LOGIN,
        officials="302 /staff/bans/",
        ministry=403,
        body={"note": "처분 취소"},
        writes=["staffs", "staff_other"],
    ),
    *api("GET", "bans/", 404, officials=200),
    *api("POST", "bans/", 404, officials=201, ministry=403, body=BAN_BODY, writes=["staffs", "staff_other"]),
    *api("GET", "bans/{ban}/", 404, officials=200),
    *api("GET", "bans/{missing}/", 404, officials=404),
    *api(
        "POST",
        "bans/{ban}/lift/",
        404,
        officials=200,
        ministry=403,
        body={"note": "처분 취소"},
        writes=["staffs", "staff_other"],
    ),
    # ---- part B: imports (SPEC §15.5). {import_run} is agency A's checked run with valid rows; every
    # agency's staff upload (a JSON body has no file: 400), only the run's own agency confirms it
    *api("GET", "imports/", 404, officials=200, absent=("지원이력_가기관.csv",)),
    *api("POST", "imports/", 404, officials=400, ministry=403, note="without a file"),
    *api("GET", "imports/{import_run}/", 404, officials_a=200, staff_other=404),
    *api("GET", "imports/{missing}/", 404, officials=404),
    *api(
        "POST",
        "imports/{import_run}/confirm/",
        404,
        staffs=202,
        staff_other=404,
        ministry=403,
        writes=["staffs"],
    ),
    # ---- part C: the import pages (SPEC §15.5; issue 21). {import_a} is agency A's checked run of one
    # valid support record: staff-other's list does not show it, its page answers 404 there; the ministry
    # reads both and posts nothing (403); the templates are every official's.
    *page("/staff/imports/", officials=200, absent=("{import_a_name}",)),
    *page("/staff/imports/{import_a}/", officials_a=200, staff_other=404),
    *page("/staff/imports/{import_a}/status/", officials_a=200, staff_other=404),
    *page("/staff/imports/{missing}/", officials=404),
    *page("/staff/imports/template/support_records.csv", officials=200),
    *page("/staff/imports/template/bans.xlsx", officials=200),
    *row(
        "POST",
        "/staff/imports/",
        404,
        anonymous=LOGIN,
        officials=400,  # no file: the form again with its error, nothing kept
        ministry=403,
        body={"kind": "support_records"},
        note="no file",
    ),
    *row(
        "POST",
        "/staff/imports/{import_a}/confirm/",
        404,
        anonymous=LOGIN,
        staffs="302 /staff/imports/{import_a}/",
        staff_other=404,
        ministry=403,
        writes=["staffs"],
    ),
    # ---- part h1: support history (SPEC §15.4), a register every agency's staff share (staff-other too)
    # and the ministry reads; the other roles do not see it (404), not even company A's own applicant
    *api("GET", "companies/{company_a}/history/", 404, officials=200),
    *api("GET", "companies/{company_b}/history/", 404, officials=200),
    *api("GET", "companies/{missing}/history/", 404, officials=404),
    # ---- part h5: password reset and change, the profile (SPEC §20). The reset pages are everyone's
    # (signed in or not); a forged link answers 400; a reset request answers the "sent" page whoever
    # has the address. The change page and the profile are each signed-in user's own; the POSTs here
    # are refused (a wrong current password, an empty name), so they change nothing. Django's own
    # /accounts/password_reset/ and /accounts/password_change/ are gone (404).
    *row("GET", "/accounts/password/reset/", 200),
    *row("POST", "/accounts/password/reset/", "302 /accounts/password/reset/sent/", body={"email": "x@y.kr"}),
    *row("GET", "/accounts/password/reset/sent/", 200),
    *row("GET", "/accounts/password/reset/done/", 200),
    *row("GET", "/accounts/password/reset/MQ/not-a-token/", 400),
    *row("GET", "/accounts/password_reset/", 404),
    *row("GET", "/accounts/password_change/", 404),
    *row("GET", "/account/password/", 200, anonymous=LOGIN, officials=200),
    *row(
        "POST",
        "/account/password/",
        400,
        anonymous=LOGIN,
        officials=400,
        body={
            "old_password": "wrong",
            "new_password1": "sturdy-gear-2026",
            "new_password2": "sturdy-gear-2026",
        },
    ),
    *row("GET", "/account/", 200, anonymous=LOGIN, officials=200),
    *row(
        "POST", "/account/", 400, anonymous=LOGIN, officials=400, body={"first_name": "", "email": "x@y.kr"}
    ),
    # ---- part h4 of issue 22: API tokens (SPEC §20). {token} is staff's working token, named
    # {token_name}: every signed-in user opens the page and the list of its own tokens and issues one;
    # only its owner revokes {token}, anyone else (a colleague, the superuser) gets 404 like a missing one
    *row("GET", "/account/tokens/", 200, anonymous=LOGIN, officials=200, absent=("{token_name}",)),
    *row("POST", "/account/tokens/", 200, anonymous=LOGIN, officials=200, body={"name": "matrix"}),
    *row(
        "POST",
        "/account/tokens/{token}/revoke/",
        404,
        anonymous=LOGIN,
        officials=404,
        staff="302 /account/tokens/",
        writes=["staff"],
    ),
    *row("POST", "/account/tokens/{missing}/revoke/", 404, anonymous=LOGIN, officials=404),
    *api("GET", "auth/tokens/", 200, officials=200, absent=("{token_name}",)),
    *api("DELETE", "auth/tokens/{token}/", 404, officials=404, staff=204, writes=["staff"]),
    *api("DELETE", "auth/tokens/{missing}/", 404, officials=404),
    # signed in by the session, not by a token: there is no token of the request to revoke
    *api("DELETE", "auth/token/", 400, officials=400, note="session"),
    # ---- part h7: two-factor sign-in (SPEC §20). The world's sessions have given their second factor
    # (conftest.py); "staff" has a confirmed device (its recovery code {staff_recovery_code}), the others
    # none: the setup page is every signed-in user's, the code page sends a verified session on.
    *row("GET", "/account/two-factor/", 200, anonymous=LOGIN, officials=200),
    *row(
        "POST",
        "/account/two-factor/",
        400,  # a code that does not match the secret shown: the form again, nothing stored
        anonymous=LOGIN,
        officials=400,
        staff=200,  # a device already confirmed: its state, nothing changed
        body={"code": "000000"},
        note="wrong code",
    ),
    *row("GET", "/account/two-factor/verify/", "302 /", anonymous=LOGIN, officials="302 /"),
    *row(
        "POST",
        "/account/two-factor/verify/",
        "302 /",
        anonymous=LOGIN,
        officials="302 /",
        body={"code": "000000"},
        note="already verified",
    ),
    *row(
        "GET",
        "/account/two-factor/recovery-codes/",
        "302 /account/two-factor/",
        anonymous=LOGIN,
        officials="302 /account/two-factor/",
        staff=200,
    ),
    *row(
        "POST",
        "/account/two-factor/recovery-codes/",
        "302 /account/two-factor/",
        anonymous=LOGIN,
        officials="302 /account/two-factor/",
        staff=200,  # new codes, shown once (audited)
        writes=["staff"],
    ),
    *row(
        "POST",
        "/api/v1/auth/token/",
        200,
        body={"username": "{staff_username}", "password": "correct-horse-42", "otp": "{staff_recovery_code}"},
        note="right password and a recovery code",
    ),
    # ---- part h6: consent and the personal-data export (SPEC §20). The consent page is the applicants'
    # (only they are asked); everyone signed in downloads their own data, and only their own (no id).
    *page("/account/consent/", applicants=200, officials=404),
    *row(
        "POST",
        "/account/consent/",
        404,
        anonymous=LOGIN,
        applicants="302 /",
        officials=404,
        body={"privacy": "on", "marketing": "on"},
        writes=["applicants"],
    ),
    *row("GET", "/account/export/", 200, anonymous=LOGIN, officials=200),
    *api("GET", "me/export/", 200, officials=200),
]


def test_the_matrix_covers_every_role_for_every_row():
    rows: dict[tuple, set] = {}
    for case in CASES:
        rows.setdefault((case.method, case.url, case.note), set()).add(case.role)
    assert all(roles == set(ROLES) for roles in rows.values())
    assert len({case.id for case in CASES}) == len(CASES)


# ---------------------------------------------------------------------------------------------- world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per module inside a transaction that is rolled back at the end.

    Each test runs in its own savepoint inside it (pytest-django's `db` skips TestCase's class-level
    setup that would close the connection), so every test starts from exactly this world and nothing
    a test writes is seen by the next one. Documents go to a temporary MEDIA_ROOT.
    """
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _build_world():
    sponsor_a, sponsor_b = SponsorFactory(), SponsorFactory()
    program_a = ProgramFactory(sponsor=sponsor_a, title="협력재단 가 사업")
    program_b = ProgramFactory(sponsor=sponsor_b, title="협력재단 나 사업")
    program_draft = ProgramFactory(sponsor=sponsor_a, status=Program.Status.DRAFT, title="협력재단 초안 사업")
    fund_program(program_a, sponsor=1_000_000_000, government=1_000_000_000)
    kbiz = AgencyFactory(name="중소기업중앙회")
    program_kbiz = ProgramFactory(
        sponsor=sponsor_a, agency=kbiz, status=Program.Status.DRAFT, title="중기중앙회 초안 사업"
    )

    staff = UserFactory()
    owner = UserFactory(applicant=True)
    outsider = UserFactory(applicant=True)
    evaluator = UserFactory(evaluator=True)
    mentor = MentorFactory()
    users = {
        "staff": staff,
        "evaluator": evaluator,
        "applicant-owner": owner,
        "applicant-outsider": outsider,
        "sponsor": UserFactory(sponsor_user=True, sponsor=sponsor_a),
        "sponsor-outsider": UserFactory(sponsor_user=True, sponsor=sponsor_b),
        "mentor": mentor.user,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "staff-other": UserFactory(agency=kbiz),
        "ministry": UserFactory(ministry=True),
    }

    app_a = ApplicationFactory(
        evaluation=True, program=program_a, company=owner.company, title="가 과제 설비"
    )
    EvaluatorAssignmentFactory(application=app_a, evaluator=evaluator, assigned_by=staff)
    eval_a = EvaluationFactory(application=app_a, evaluator=evaluator)
    app_a = services.application_transition(application=app_a, action="select", actor=staff)
    assignment = MentoringAssignmentFactory(mentor=mentor, application=app_a, assigned_by=staff)
    session = MentoringSession.objects.create(
        assignment=assignment, held_on=assignment.starts_on, hours=2, logged_by=mentor.user
    )
    attachment = Attachment(
        application=app_a,
        kind=Attachment.Kind.QUOTE,
        original_name="견적서.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=owner,
    )
    attachment.file.save("quote.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    # Its agreement, sent, signed and countersigned (SPEC §16), with the document it signed; app_a stays
    # selected so that `sign_agreement` may be performed by the rows that do.
    document = b"%PDF-1.4 agreement"
    digest = hashlib.sha256(document).hexdigest()
    supplier = SupplierFactory()
    agreement = AgreementFactory(
        application=app_a, countersigned=True, document_sha256=digest, supplier=supplier
    )
    agreement.document.save(f"agreement-{app_a.pk}-1.pdf", ContentFile(document), save=True)
    for party, user in (("sme", owner), ("agency", staff)):
        AgreementSignature.objects.create(agreement=agreement, party=party, user=user, document_sha256=digest)
    # A 공고문 on program A's public page and one on the draft's (SPEC §19).
    notices = {}
    for name, program in (("notice_a", program_a), ("notice_draft", program_draft)):
        notice = ProgramFile(
            program=program,
            title="공고문",
            original_name="공고문.pdf",
            content_type="application/pdf",
            size=9,
        )
        notice.file.save("notice.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        notices[name] = notice.pk
    # 문의·답변 (SPEC §19): the SME's answer with a file, and staff's internal note with one
    message_file, note_file = (
        MessageAttachment(
            message=Message.objects.create(
                application=app_a,
                author=author,
                author_name=author.username,
                body=body,
                visibility=visibility,
            ),
            original_name=f"{visibility}.pdf",
            content_type="application/pdf",
            size=9,
        )
        for author, body, visibility in (
            (owner, "견적서를 다시 올렸습니다.", Message.Visibility.APPLICANT),
            (staff, "내부 검토 메모", Message.Visibility.INTERNAL),
        )
    )
    message_file.file.save("answer.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    note_file.file.save("note.pdf", ContentFile(b"%PDF-1.4\n"), save=True)

    app_b = ApplicationFactory(
        evaluation=True, program=program_b, company=outsider.company, title="나 과제 설비"
    )
    other = EvaluatorAssignmentFactory(application=app_b, assigned_by=staff)
    eval_b = EvaluationFactory(application=app_b, evaluator=other.evaluator)
    cost_share_compute(application=app_b)
    app_c = ApplicationFactory(
        submitted=True, program=program_a, company=outsider.company, title="다 과제 설비"
    )
    outcome = Outcome.objects.create(
        application=app_a,
        kpi=Outcome.Kpi.PRODUCTIVITY,
        baseline=100,
        result=120,
        baseline_on=datetime.date(2025, 1, 1),
        measured_on=datetime.date(2025, 12, 1),
        entered_by=owner,
    )
    # 협약변경 (SPEC §16): one pending change of app_a, made as the service would once it is agreed.
    change_a = AgreementChange.objects.create(
        application=app_a, kind=AgreementChange.Kind.PLAN, cause_on=datetime.date(2026, 3, 2),
        reason="공정 변경", requested_by=owner,
    )  # fmt: skip
    report = Report(
        kind=Report.Kind.FUND_STATUS,
        format=Report.Format.XLSX,
        program=program_a,
        sponsor=sponsor_a,
        requested_by=users["sponsor"],
        status=Report.Status.DONE,
    )
    report.file.save("fund.xlsx", ContentFile(b"PK\x03\x04"), save=True)  # done, with its file

    # The inbox: every notice the world's events wrote is read; the owner has one unread, about app_a.
    Notification.objects.update(read_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    notice = Notification.objects.create(
        user=owner, kind="application.status", title="보완요청", url=f"/my/applications/{app_a.pk}/"
    )

    # part C: one participation ban (SPEC §15.2) in force, of a company outside the world (it touches no row)
    part_c = {"ban": ParticipationBanFactory(business_number=valid_business_number()).pk}

    titled = {
        "program_a": program_a,
        "program_b": program_b,
        "program_draft": program_draft,
        "app_a": app_a,
        "app_b": app_b,
        "app_c": app_c,
    }
    ids = {
        "sponsor_a": sponsor_a.pk,
        "sponsor_b": sponsor_b.pk,
        "program_a": program_a.pk,
        "program_b": program_b.pk,
        "program_draft": program_draft.pk,
        "agency": program_a.agency_id,
        "agency_kbiz": kbiz.pk,
        "program_kbiz": program_kbiz.pk,
        **{f"{name}_title": obj.title for name, obj in titled.items()},
        "company_a": owner.company_id,
        "company_b": outsider.company_id,
        "app_a": app_a.pk,
        "app_b": app_b.pk,
        "app_c": app_c.pk,
        "eval_a": eval_a.pk,
        "eval_b": eval_b.pk,
        "attachment": attachment.pk,
        **notices,
        "message_file": message_file.pk,
        "note_file": note_file.pk,
        "mentor": mentor.pk,
        "assignment": assignment.pk,
        "session": session.pk,
        "outcome": outcome.pk,
        "report": report.pk,
        "change_a": change_a.pk,
        "notice": notice.pk,
        "supplier": supplier.pk,
        "missing": 987_654_321,
        "evaluator_username": evaluator.username,
        "evaluator_b_username": other.evaluator.username,
        "staff_username": staff.username,
        "new_bn": valid_business_number(),
        **part_c,
    }
    # ---- part A1: spending and deposits (SPEC §18.1-18.2): one pending line of app_a with its evidence
    # file, and the SME's deposit of its share (so that payments to app_a pass the §18.2 rule).
    from tests.factories import DepositFactory, SpendingLineFactory

    ids["spending_a"] = SpendingLineFactory(application=app_a, recorded_by=owner).pk
    DepositFactory(application=app_a, amount=40_000_000, recorded_by=staff)
    # ---- part D: a pending spending line of app_a and an open clawback of it (SPEC §18)
    from execution import models as execution_models
    from tests import factories

    d_line = factories.SpendingLineFactory(application=app_a, recorded_by=owner, item="가 과제 집행")
    d_clawback = execution_models.Clawback.objects.create(
        application=app_a,
        reason="collusion",
        government=1_000,
        sponsor=1_000,
        due_on=datetime.date(2026, 12, 31),
    )
    ids.update({"d_line": d_line.pk, "d_clawback": d_clawback.pk})
    # ---- part A2: {app_a}'s clawback, stored as it is (no service rules)
    ids["clawback"] = Clawback.objects.create(
        application=app_a, reason="non_use", government=1, sponsor=0, due_on=datetime.date(2026, 12, 31)
    ).pk
    # ---- part B: a checked import run of agency A with valid rows (SPEC §15.5)
    from tests.factories import ImportRunFactory

    ids["import_run"] = ImportRunFactory(
        created_by=staff, agency=staff.agency, original_name="지원이력_가기관.csv", rows=2, valid=2
    ).pk
    # ---- part C: agency A's import run, checked, of one valid support record (SPEC §15.5)
    from tests.factories import ImportRunFactory

    import_a = ImportRunFactory(
        created_by=staff,
        original_name="가기관-지원이력.csv",
        file__filename="가기관-지원이력.csv",
        file__data=(
            "사업자등록번호,기업명,사업명,연도,지원수준,정부지원금,상태\n"
            f"{valid_business_number()},가져온정밀,산업부 스마트공장 보급사업,2021,기초,50000000,완료\n"
        ).encode(),
        rows=1,
        valid=1,
    )
    ids.update({"import_a": import_a.pk, "import_a_name": import_a.original_name})
    # ---- part h4 of issue 22: staff's working API token (SPEC §20)
    from accounts.tokens import api_token_issue

    token, _key = api_token_issue(user=staff, name="가기관 집계 스크립트")
    ids.update({"token": token.pk, "token_name": token.name})
    # ---- part h7: staff's second factor (SPEC §20): recovery codes, one of them known to the matrix
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=staff, name="recovery").token_set.create(token="matrix01")
    ids["staff_recovery_code"] = "matrix01"
    # One signed-in session per role, made here once: a test only presents its cookie.
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return SimpleNamespace(users=users, ids=ids, sessions=sessions)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(value, ids):
    """Placeholders replaced by the world's ids; a value that is just one placeholder keeps its type."""
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        return ids[whole.group(1)] if whole else _PLACEHOLDER.sub(lambda m: str(ids[m.group(1)]), value)
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value


def signed_in(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def send(client, method, url, body=None):
    if url.startswith("/api/v1/") and method != "GET":
        return client.generic(method, url, json.dumps(body or {}), content_type="application/json")
    if method == "POST":
        return client.post(url, body or {})
    return client.get(url)


def snapshot():
    """Everything a request in the matrix could change."""
    return (
        list(
            Application.objects.order_by("pk").values_list(
                "pk", "status", "title", "program_id", "company_id"
            )
        ),
        list(Company.objects.order_by("pk").values_list("pk", "name", "employees")),
        list(Program.objects.order_by("pk").values_list("pk", "title", "status")),
        list(Sponsor.objects.order_by("pk").values_list("pk", "name")),
        list(Supplier.objects.order_by("pk").values_list("pk", "name")),
        list(EvaluatorAssignment.objects.order_by("pk").values_list("pk", "application_id", "evaluator_id")),
        list(Evaluation.objects.order_by("pk").values_list("pk", "total", "conflict_of_interest")),
        list(Attachment.objects.order_by("pk").values_list("pk", "file")),
        LedgerEntry.objects.count(),
        AuditEvent.objects.count(),
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        Message.objects.count(),
        list(
            Agreement.objects.order_by("pk").values_list(
                "pk", "status", "ends_on", "kpi_targets", "document_sha256"
            )
        ),
        AgreementSignature.objects.count(),
        list(AgreementChange.objects.order_by("pk").values_list("pk", "status", "note")),
    )


def shown(response) -> str:
    if response.streaming:
        return "<streaming>"
    return response.content[:400].decode(errors="replace")


def assert_answer(response, expected, ids):
    if isinstance(expected, int):
        assert response.status_code == expected, shown(response)
        return
    status, where = expected.split(" ", 1)
    assert response.status_code == int(status), shown(response)
    assert response["Location"].startswith(fill(where, ids)), response["Location"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(world, case):
    client = signed_in(world, case.role)
    url, body = fill(case.url, world.ids), fill(case.body, world.ids)
    before = snapshot() if case.method != "GET" else None

    response = send(client, case.method, url, body)

    assert_answer(response, case.expected, world.ids)
    if before is not None:
        after = snapshot()
        if case.writes:
            assert after != before, "the request should have changed something"
        else:
            assert after == before, "a refused request changed data"
    if case.absent:
        text = answer_text(response)
        assert [t for t in fill(list(case.absent), world.ids) if t in text] == []


def answer_text(response) -> str:
    """What an answer shows, as text: a page or JSON, a streamed CSV, or a workbook's cells."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        cells = (cell for sheet in book for line in sheet.iter_rows(values_only=True) for cell in line)
        return "\n".join(str(cell) for cell in cells if cell is not None)
    return content.decode(errors="replace")


# ------------------------------------------------------------------------------ what lists let through


def _api_ids(response):
    return {item["id"] for item in response.json()["results"]}


def _page_rows(key):
    def extract(response):
        rows = response.context[key]
        return {(row[0] if isinstance(row, tuple) else row).pk for row in rows}

    return extract


ALL_APPS = {"app_a", "app_b", "app_c"}
LIST_SCOPES = [
    (
        "/api/v1/applications/",
        _api_ids,
        {
            "staff": ALL_APPS,
            "superuser": ALL_APPS,
            "evaluator": {"app_a"},
            "applicant-owner": {"app_a"},
            "applicant-outsider": {"app_b", "app_c"},
            "sponsor": {"app_a"},
            "sponsor-outsider": set(),
            "mentor": {"app_a"},
            "staff-other": set(),
            "ministry": ALL_APPS,
        },
    ),
    (
        "/api/v1/companies/",
        _api_ids,
        {
            "staff": {"company_a", "company_b"},
            "superuser": {"company_a", "company_b"},
            "evaluator": set(),
            "applicant-owner": {"company_a"},
            "applicant-outsider": {"company_b"},
            "sponsor": set(),
            "sponsor-outsider": set(),
            "mentor": set(),
            "staff-other": {"company_a", "company_b"},  # a shared register (§14)
            "ministry": {"company_a", "company_b"},
        },
    ),
    (
        "/api/v1/sponsors/",
        _api_ids,
        {
            "staff": {"sponsor_a", "sponsor_b"},
            "superuser": {"sponsor_a", "sponsor_b"},
            "evaluator": set(),
            "applicant-owner": set(),
            "applicant-outsider": set(),
            "sponsor": {"sponsor_a"},
            "sponsor-outsider": {"sponsor_b"},
            "mentor": set(),
            "staff-other": {"sponsor_a", "sponsor_b"},  # a shared register (§14)
            "ministry": {"sponsor_a", "sponsor_b"},
        },
    ),
    (
        "/api/v1/programs/",
        _api_ids,
        {
            "staff": {"program_a", "program_b", "program_draft"},
            "superuser": {"program_a", "program_b", "program_draft"},
            "evaluator": {"program_a", "program_b"},
            "applicant-owner": {"program_a", "program_b"},
            "applicant-outsider": {"program_a", "program_b"},
            "sponsor": {"program_a", "program_draft", "program_kbiz"},
            "sponsor-outsider": {"program_b"},
            "mentor": {"program_a", "program_b"},
            "staff-other": {"program_kbiz"},
            "ministry": {"program_a", "program_b", "program_draft", "program_kbiz"},
        },
    ),
    (
        "/api/v1/evaluations/",
        _api_ids,
        {
            "staff": {"eval_a", "eval_b"},
            "superuser": {"eval_a", "eval_b"},
            "evaluator": {"eval_a"},
            "applicant-owner": set(),
            "applicant-outsider": set(),
            "sponsor": set(),
            "sponsor-outsider": set(),
            "mentor": set(),
            "staff-other": set(),
            "ministry": {"eval_a", "eval_b"},
        },
    ),
    ("/api/v1/suppliers/", _api_ids, {role: {"supplier"} for role in ROLES[1:]}),
    ("/api/v1/mentors/", _api_ids, {role: {"mentor"} for role in ("staff", "staff-other", "ministry")}),
    (
        "/api/v1/mentoring-assignments/",
        _api_ids,
        {"staff": {"assignment"}, "staff-other": set(), "ministry": {"assignment"}},
    ),
    (
        "/api/v1/mentoring-sessions/",
        _api_ids,
        {"staff": {"session"}, "staff-other": set(), "ministry": {"session"}},
    ),
    ("/api/v1/outcomes/", _api_ids, {"staff": {"outcome"}, "staff-other": set(), "ministry": {"outcome"}}),
    ("/api/v1/reports/", _api_ids, {"staff": {"report"}, "staff-other": set(), "ministry": {"report"}}),
    (
        "/my/",
        _page_rows("applications"),
        {"applicant-owner": {"app_a"}, "applicant-outsider": {"app_b", "app_c"}},
    ),
    ("/evaluations/?tab=all", _page_rows("rows"), {"evaluator": {"app_a"}}),
    (
        "/staff/applications/",
        _page_rows("page"),
        {"staff": ALL_APPS, "superuser": ALL_APPS, "staff-other": set(), "ministry": ALL_APPS},
    ),
]
LIST_CASES = [
    (url, extract, role, names) for url, extract, scope in LIST_SCOPES for role, names in scope.items()
]


@pytest.mark.parametrize(
    ("url", "extract", "role", "names"),
    LIST_CASES,
    ids=[f"GET {url} as {role} lists {sorted(names) or 'nothing'}" for url, _, role, names in LIST_CASES],
)
def test_lists_show_only_what_is_in_scope(world, url, extract, role, names):
    response = signed_in(world, role).get(url)

    assert response.status_code == 200
    assert extract(response) == {world.ids[name] for name in names}


# ---------------------------------------------------------------- out of scope answers like not there

# (role, method, url, body, target): the answer about an existing object outside the role's scope must
# be the answer about one that does not exist ({missing}), or the difference tells that it exists.
LEAK_PROBES = [
    # staff of another agency (§14): agency A's objects answer as if they were not there
    ("staff-other", "GET", "/staff/applications/{target}/", None, "app_a"),
    ("staff-other", "GET", "/staff/programs/{target}/", None, "program_a"),
    ("staff-other", "GET", "/api/v1/applications/{target}/", None, "app_a"),
    ("staff-other", "GET", "/api/v1/programs/{target}/", None, "program_a"),
    ("staff-other", "PATCH", "/api/v1/programs/{target}/", {"title": "x"}, "program_a"),
    ("staff-other", "POST", "/api/v1/applications/{target}/transitions/", {"action": "withdraw"}, "app_a"),
    ("staff-other", "GET", "/api/v1/reports/{target}/", None, "report"),
    ("staff", "GET", "/api/v1/programs/{target}/", None, "program_kbiz"),
    ("staff-other", "GET", "/staff/imports/{target}/", None, "import_a"),  # part C: imports
    ("applicant-outsider", "GET", "/my/applications/{target}/", None, "app_a"),
    ("evaluator", "GET", "/evaluations/{target}/", None, "app_b"),
    ("sponsor-outsider", "GET", "/applications/{target}/attachments/{attachment}/", None, "app_a"),
    ("applicant-outsider", "GET", "/api/v1/applications/{target}/", None, "app_a"),
    ("sponsor", "GET", "/api/v1/applications/{target}/", None, "app_c"),
    ("applicant-outsider", "GET", "/api/v1/companies/{target}/", None, "company_a"),
    ("sponsor", "GET", "/api/v1/sponsors/{target}/", None, "sponsor_b"),
    ("sponsor-outsider", "GET", "/api/v1/programs/{target}/", None, "program_a"),
    ("applicant-owner", "PATCH", "/api/v1/programs/{target}/", {"title": "x"}, "program_draft"),
    (
        "applicant-outsider",
        "POST",
        "/api/v1/applications/{target}/transitions/",
        {"action": "withdraw"},
        "app_a",
    ),
    ("evaluator", "POST", "/api/v1/evaluations/", {"application": "{target}", **EVALUATION_BODY}, "app_b"),
    (
        "applicant-outsider",
        "POST",
        "/api/v1/applications/",
        {**APPLICATION_BODY, "company": "{target}"},
        "company_a",
    ),
    # part h4: another user's API token (SPEC §20), on the page and by the API
    ("staff-other", "POST", "/account/tokens/{target}/revoke/", None, "token"),
    ("applicant-owner", "DELETE", "/api/v1/auth/tokens/{target}/", None, "token"),
]


@pytest.mark.parametrize(
    ("role", "method", "url", "body", "target"),
    LEAK_PROBES,
    ids=[f"{method} {url} {target} as {role}" for role, method, url, _, target in LEAK_PROBES],
)
def test_an_object_out_of_scope_answers_like_a_missing_one(world, role, method, url, body, target):
    client = signed_in(world, role)
    answers = {}
    for which in (target, "missing"):
        ids = {**world.ids, "target": world.ids[which]}
        answers[which] = _answer(send(client, method, fill(url, ids), fill(body, ids)))

    assert answers[target] == answers["missing"]


def _answer(response):
    """The status, and for JSON the body with numbers blanked (the ids differ, the words must not)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.status_code, re.sub(r"\d+", "#", response.content.decode())
    return response.status_code, None


# ------------------------------------------------------------------------------------------------ CSRF


def test_csrf_is_enforced_on_signed_in_posts(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    app = Application.objects.get(pk=world.ids["app_a"])
    events = AuditEvent.objects.count()

    page = client.post(f"/staff/applications/{app.pk}/transition/", {"action": "sign_agreement"})
    api_call = client.post(
        f"/api/v1/applications/{app.pk}/transitions/",
        json.dumps({"action": "sign_agreement"}),
        content_type="application/json",
    )

    assert page.status_code == 403
    assert api_call.status_code == 403
    app.refresh_from_db()
    assert app.status == Application.Status.SELECTED
    assert AuditEvent.objects.count() == events
    # The same POST with the token from the page goes through: it was the token that was missing.
    client.get(f"/staff/applications/{app.pk}/")
    token = client.cookies["csrftoken"].value
    done = client.post(
        f"/staff/applications/{app.pk}/transition/",
        {"action": "sign_agreement", "csrfmiddlewaretoken": token},
    )
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.status == Application.Status.AGREEMENT


# ------------------------------------------------------------------------------------- escaped output


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("staff", "/staff/applications/"),
        ("staff", "/staff/applications/{app_a}/"),
        ("applicant-owner", "/my/"),
        ("applicant-owner", "/my/applications/{app_a}/"),
        ("evaluator", "/evaluations/?tab=all"),
        ("evaluator", "/evaluations/{app_a}/"),
    ],
)
def test_user_text_is_shown_escaped(world, role, url):
    Application.objects.filter(pk=world.ids["app_a"]).update(title=f"{XSS} 과제")
    Company.objects.filter(pk=world.ids["company_a"]).update(name=f"{XSS} 정밀")

    response = signed_in(world, role).get(fill(url, world.ids))

    body = response.content.decode()
    assert response.status_code == 200
    assert XSS not in body
    assert html.escape(XSS) in body


OUR_APPS = {"accounts", "program", "applicants", "funds", "mentoring", "projects", "reports"}
# Columns that can never hold markup: credentials and keys, and values their validators restrict
# to digits or codes (a business number, an industry code).
# Not text a person typed: the consent text's version is the code's (a poisoned one would send every
# applicant to the consent page, SPEC §20), the token's hash is a digest.
NOT_FREE_TEXT = {"password", "username", "session_key", "privacy_consent_version", "key_hash"}


def _free_text_fields():
    from django.apps import apps
    from django.core.validators import RegexValidator
    from django.db.models import CharField, TextField

    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for f in model._meta.concrete_fields:
            if (
                not isinstance(f, CharField | TextField)
                or f.choices
                or f.primary_key
                or f.name in NOT_FREE_TEXT
            ):
                continue
            if any(isinstance(v, RegexValidator) for v in f.validators):
                continue
            yield model, f


def _poison_every_text_field() -> dict[str, str]:
    """Every free-text column of every row of our models set to its own markup, as if it had come
    in by any path: {marker: "model.field"}. A marker is `<x-N>`; the value adds a quote, an
    ampersand and the row's id (unique columns stay unique)."""
    markers = {}
    for n, (model, f) in enumerate(_free_text_fields(), 1):
        marker = f"<x-{n}>"
        if f.max_length and len(marker) + 8 > f.max_length:
            continue
        try:
            with transaction.atomic():
                for pk in model.objects.values_list("pk", flat=True):
                    model.objects.filter(pk=pk).update(**{f.attname: f"{marker}\"'&{pk}"})
        except DatabaseError:  # the ledger on PostgreSQL: append-only, its notes are written once
            continue
        markers[marker] = f"{model._meta.label}.{f.name}"
    return markers


def test_markup_in_every_text_field_is_shown_escaped_on_every_page(world):
    """Every page the matrix says a role may open (200), with every free-text column of every row
    holding markup: no page carries any of it raw; the escaped form shows where the text is shown."""
    markers = _poison_every_text_field()
    assert len(markers) >= 24, markers  # the check covers the schema, not a handful of fields
    seen = set()
    pages = [c for c in CASES if c.method == "GET" and c.expected == 200 and not c.url.startswith("/api/")]
    opened = 0
    for case in pages:
        response = signed_in(world, case.role).get(fill(case.url, world.ids))
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            continue
        assert response.status_code == 200, case.id
        opened += 1
        body = response.content.decode()
        assert "<x-" not in body, f"{case.id}: raw {re.search(r'<x-[0-9]+>', body).group()}"
        seen.update(re.findall(r"&lt;x-[0-9]+&gt;", body))
    shown = {markers[m.replace("&lt;", "<").replace("&gt;", ">")] for m in seen}
    assert opened > 50
    must_show = {
        "applicants.Application.title",
        "applicants.Application.plan",
        "applicants.Company.name",
        "applicants.Supplier.name",
        "program.Program.title",
        "program.Sponsor.name",
    }
    assert must_show <= shown, must_show - shown


# ------------------------------------------------------------------ who sees the selection committee

# Committee members and their scores are for staff only; an evaluator sees its own events and no other
# member's (issue 13 item 3). Events are (key, action, actor, after), written as the services write them.
COMMITTEE_EVENTS = (
    ("assign-mine", "evaluation.assign", "staff", {"evaluator": "{evaluator_username}"}),
    ("assign-other", "evaluation.assign", "staff", {"evaluator": "{evaluator_b_username}"}),
    ("submit-mine", "evaluation.submit", "evaluator", {"conflict_of_interest": False, "total": 81}),
    ("submit-other", "evaluation.submit", "other-evaluator", {"conflict_of_interest": False, "total": 64}),
)
HISTORY_SEES = {
    "staff": {"assign-mine", "assign-other", "submit-mine", "submit-other"},
    "superuser": {"assign-mine", "assign-other", "submit-mine", "submit-other"},
    "ministry": {"assign-mine", "assign-other", "submit-mine", "submit-other"},
    "evaluator": {"assign-mine", "submit-mine"},
    "applicant-owner": set(),
    "sponsor": set(),
    "mentor": set(),
}


@pytest.fixture
def committee_history(world):
    from django.contrib.auth import get_user_model

    from program.services import audit_event_record

    app_a = Application.objects.get(pk=world.ids["app_a"])
    other = get_user_model().objects.get(username=world.ids["evaluator_b_username"])
    actors = {**world.users, "other-evaluator": other}
    keys = {}
    for key, action, actor, after in COMMITTEE_EVENTS:
        event = audit_event_record(
            actor=actors[actor], action=action, target=app_a, after=fill(after, world.ids)
        )
        keys[event.pk] = key
    return keys


@pytest.mark.parametrize(("role", "sees"), HISTORY_SEES.items(), ids=list(HISTORY_SEES))
def test_application_history_shows_committee_events_only_to_whom_they_belong(
    world, committee_history, role, sees
):
    response = signed_in(world, role).get(fill("/api/v1/applications/{app_a}/history/", world.ids))

    assert response.status_code == 200
    events = response.json()
    assert {committee_history[e["id"]] for e in events if e["id"] in committee_history} == sees
    assert any(e["action"] == "application.select" for e in events), "the rest of the timeline stays"
    if role not in ("staff", "superuser", "ministry"):
        assert world.ids["evaluator_b_username"] not in response.content.decode()
        assert 64 not in [e["after"].get("total") for e in events]


@pytest.mark.parametrize(
    ("role", "url", "sees"),
    [
        ("applicant-owner", "/my/applications/{app_a}/", set()),
        ("staff", "/staff/applications/{app_a}/", HISTORY_SEES["staff"]),
    ],
    ids=["owner's page", "staff page"],
)
def test_application_pages_show_committee_events_only_to_staff(world, committee_history, role, url, sees):
    response = signed_in(world, role).get(fill(url, world.ids))

    assert response.status_code == 200
    shown_events = {committee_history[e.pk] for e in response.context["history"] if e.pk in committee_history}
    assert shown_events == sees
    timeline = response.content.decode().split('<ol class="timeline">')[-1]
    assert ("평가 제출" in timeline) == bool(sees)
    assert ("평가위원 배정" in timeline) == bool(sees)
