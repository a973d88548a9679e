"""manage.py seed_demo — the demo data of docs/domain.md §12–§13, idempotent.

`ops.demo` describes the catalogue and the applications; this command plays out what followed
(committee scores, mentoring, outcomes), then matches every row to what is stored by its natural
key: a missing row is created, a differing one updated, an equal one left alone, so a second run
on the same day changes nothing. Money moves only through funds.services, as staff move it:
contributions, the government budgets, the selections' commitments and the payments.
"""

import contextlib
import datetime
import hashlib
import random
import unicodedata
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from accounts.consent import consent_record
from accounts.models import Role, User
from accounts.otp import hex_key_from_base32, otp_required, provisioning_uri, totp_device_provision
from applicants.models import (
    Application,
    Attachment,
    Company,
    Evaluation,
    EvaluatorAssignment,
    Message,
    ParticipationBan,
    SubmissionDeclaration,
    Supplier,
)
from applicants.scoring import trimmed_mean_score
from applicants.workflow import OWNER, STAFF, TRANSITIONS
from execution.models import Clawback, ClawbackCollection, Deposit, Settlement, SpendingLine
from funds.models import Contribution, CostShare, Disbursement, LedgerEntry
from funds.selectors import application_outstanding
from funds.services import (
    contribution_record,
    cost_share_compute,
    disbursement_record,
    fund_budget_sync,
    fund_commit,
    fund_release,
)
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from ops import demo, execution_demo, projects_demo
from ops.demo import DAY, EVALUATORS, MENTORED, SELECTED_OR_LATER, S, rng_for
from ops.talk import seed_talk
from program.business_number import format_business_number
from program.models import DEFAULT_RUBRIC, Agency, AuditEvent, Notification, Program, ProgramFaq, Sponsor
from projects.models import Agreement, AgreementChange, AgreementSignature, Inspection
from reports.models import Outcome

ROLE_LABELS: dict[str, str] = {
    Role.STAFF: "사업담당자 staff",
    Role.EVALUATOR: "평가위원 evaluator",
    Role.APPLICANT: "신청기업 applicant",
    Role.SPONSOR: "주관기관 sponsor",
    Role.MENTOR: "멘토 mentor",
    Role.MINISTRY: "중소벤처기업부 ministry",
}
# A row names a related row by natural key under the foreign key's name; of which kind it is.
USER_FIELDS: tuple[str, ...] = (
    "user",
    "evaluator",
    "created_by",
    "recorded_by",
    "assigned_by",
    "logged_by",
    "entered_by",
)
USER_FIELDS += ("requested_by", "decided_by", "inspected_by", "uploaded_by")
REFERENCES = {
    **{field: field for field in ("sponsor", "agency", "program", "company", "supplier", "mentor")},
    **{"partner_of": "sponsor", "application": "application", "assignment": "assignment"},
    **{"new_supplier": "supplier", "agreement": "agreement"},
    **dict.fromkeys(USER_FIELDS, "user"),
}
REPORTED: list[type[Model]] = [
    Agency,
    Sponsor,
    Program,
    Contribution,
    LedgerEntry,
    Company,
    Supplier,
    User,
    Mentor,
]
REPORTED += [Application, CostShare, EvaluatorAssignment, Evaluation, MentoringAssignment, MentoringSession]
REPORTED += [Agreement, AgreementSignature, AgreementChange, Attachment, Inspection]
REPORTED += [Outcome, AuditEvent, Message, Notification, ProgramFaq]
REPORTED += [SpendingLine, Deposit, Settlement, Clawback, ClawbackCollection, ParticipationBan]
BUDGET_NOTE = "정부 매칭 예산 (데모용 가상 금액)"
TOPICS = ["현장 진단", "공정 분석", "데이터 수집 점검", "작업표준 정비", "시스템 적용 점검", "성과지표 점검"]
COMMENTS = [
    "계획이 구체적임",
    "추진 역량 양호",
    "기대효과 근거 보완 필요",
    "협력사 연계 우수",
    "일정 다소 촉박",
]


class Command(BaseCommand):
    help = "데모 데이터를 만듭니다 (docs/domain.md §12). 다시 실행해도 같은 데이터가 남습니다."

    def handle(self, *args, **options):
        today = timezone.localdate()
        data = demo.build(today)
        data["evaluator_assignments"], data["evaluations"] = evaluations(data["applications"])
        data["mentoring_assignments"], data["mentoring_sessions"] = mentoring(data, today)
        data["outcomes"] = outcomes(data, today)
        projects_demo.describe(data, timezone.now(), KPIS)
        before = {model: model._default_manager.count() for model in REPORTED}
        with transaction.atomic():
            seeder = Seeder(data)
            seeder.run()
        for model in REPORTED:
            total, updated = model._default_manager.count(), seeder.updated[model]
            name = model._meta.verbose_name
            self.stdout.write(f"  {name}: {total:,}건 (새로 {total - before[model]:,}, 고침 {updated:,})")
        self.stdout.write("\n" + logins(data))


def logins(data: dict) -> str:
    """Every demo login, by role, with the one password they share."""
    company = Company.objects.get(business_number=data["demo_company"])
    lines = [f"데모 로그인 (비밀번호는 모두 {demo.DEMO_PASSWORD}):"]
    users = User.objects.in_bulk([username for username, *_ in demo.USERS], field_name="username")
    for username, role, full_name, options in demo.USERS:
        label = "관리자(superuser)" if options.get("is_superuser") else ROLE_LABELS[role]
        extra = f"  {full_name}"
        if options.get("is_superuser"):
            extra += ", 관리 화면 /admin/"
        if options.get("company"):
            extra += f", 기업: {company.name} {format_business_number(company.business_number)}"
        if options.get("sponsor"):
            extra += f", {options['sponsor']}"
        if options.get("agency"):
            extra += f", 협업기관: {options['agency']}"
        lines.append(f"  {_pad(label, 24)}{username:<12}{extra}")
        user = users[username]
        if otp_required(user):
            uri = provisioning_uri(user=user, hex_key=hex_key_from_base32(demo.DEMO_OTP_SECRET))
            lines.append(f"  {'':<24}{'':<12}  2단계 인증: 비밀키 {demo.DEMO_OTP_SECRET} ({uri})")
    codes = f"{demo.DEMO_RECOVERY_CODES[0]}–{demo.DEMO_RECOVERY_CODES[-1]}"
    lines.append(
        f"2단계 인증 (SPEC §20): 로그인 뒤 인증 앱에 위 비밀키를 등록해 6자리 코드를 입력하거나, 복구 코드 "
        f"{codes} 중 하나를 입력하세요 (각각 한 번만 쓸 수 있고, seed_demo를 다시 실행하면 되살아납니다)."
    )
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns: a Hangul syllable takes two."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(1, width - columns)


class Seeder:
    """Stores the described rows in dependency order, remembering each natural key's primary key."""

    def __init__(self, data: dict):
        self.data = data
        self.ids: dict[str, dict] = defaultdict(dict)  # kind → natural key → pk
        self.updated: dict = defaultdict(int)  # model → rows changed

    def run(self) -> None:
        data, by_name = self.data, lambda row: row["name"]
        self.sync(Agency, ("name",), data["agencies"], "agency", by_name)
        self.sync(Sponsor, ("name",), data["sponsors"], "sponsor", by_name)
        self.sync(Supplier, ("business_number",), data["suppliers"], "supplier", by_name)
        self.sync(Program, ("sponsor_id", "year", "title"), data["programs"], "program", lambda r: r["_slug"])
        self.sync(Company, ("business_number",), data["companies"], "company", lambda r: r["business_number"])
        self._users()
        self._sme_users()
        self._consents()
        self.sync(Mentor, ("name",), data["mentors"], "mentor", by_name)
        self._contributions()
        self._budgets()
        ours = {"program_id__in": list(self.ids["program"].values())}
        self.sync(Application, ("program_id", "company_id", "title"), data["applications"], "application",
                  lambda r: (r["program"], r["company"]), scope=ours)  # fmt: skip
        self._commitments()
        self._payments()
        self._terminations()
        self._history()
        ours = {"application_id__in": list(self.ids["application"].values())}
        keys = ("application_id", "evaluator_id")
        self.sync(EvaluatorAssignment, keys, data["evaluator_assignments"], scope=ours)
        self.sync(Evaluation, keys, data["evaluations"], scope=ours)
        self.sync(MentoringAssignment, ("mentor_id", "application_id"), data["mentoring_assignments"],
                  "assignment", lambda r: (r["mentor"], *r["application"]), scope=ours)  # fmt: skip
        sessions = {"assignment_id__in": list(self.ids["assignment"].values())}
        self.sync(MentoringSession, ("assignment_id", "notes"), data["mentoring_sessions"], scope=sessions)
        self.sync(Outcome, ("application_id", "kpi"), data["outcomes"], scope=ours)
        self._projects(ours)
        self._execution()
        seed_talk(
            application_ids=self.ids["application"],
            program_ids=self.ids["program"],
            demo_company=data["demo_company"],
            actors=self.actors,
        )

    def resolve(self, row: dict) -> dict:
        """Model field values: natural keys of related rows become their ids; `_` keys are dropped."""
        values = {}
        for field, value in row.items():
            if field in REFERENCES:
                values[f"{field}_id"] = None if value is None else self.ids[REFERENCES[field]][value]
            elif not field.startswith("_"):
                values[field] = value
        return values

    def sync(self, model, keys, rows, kind=None, natural_key=None, scope=None) -> None:
        """Create the rows whose key is not stored, update those whose values differ, leave the rest."""
        stored: dict[tuple, Model] = {}
        for obj in model.objects.filter(**(scope or {})).order_by("pk"):
            stored.setdefault(tuple(getattr(obj, key) for key in keys), obj)
        created, changed, changed_fields, objects = [], {}, set(), []
        for row in rows:
            values = self.resolve(row)
            key = tuple(values[k] for k in keys)
            obj = stored.get(key)
            if obj is None:
                obj = stored[key] = model(**values)
                created.append(obj)
            diff = {field for field, value in values.items() if getattr(obj, field) != value}
            for field in diff:
                setattr(obj, field, values[field])
            if diff:
                changed[key] = obj
                changed_fields |= diff
            objects.append(obj)
        model.objects.bulk_create(created)
        self._update(model, list(changed.values()), changed_fields)
        if kind:
            self.ids[kind].update((natural_key(row), obj.pk) for row, obj in zip(rows, objects, strict=True))

    def _update(self, model, changed: list, fields: set) -> None:
        if not changed:
            return
        if any(field.name == "updated_at" for field in model._meta.fields):
            now = timezone.now()
            for obj in changed:
                obj.updated_at = now
            fields = fields | {"updated_at"}
        model.objects.bulk_update(changed, sorted(fields))
        self.updated[model] += len(changed)

    def _users(self) -> None:
        """One login per role; the demo password is set when a user is new or no longer has it."""
        shared_hash = make_password(demo.DEMO_PASSWORD)
        verified: dict[str, bool] = {}  # a stored hash → whether it is the demo password's
        for username, role, full_name, options in demo.USERS:
            values = self.resolve({
                "role": role, "first_name": full_name, "last_name": "", "email": f"{username}@demo.example",
                "is_active": True, "is_superuser": options.get("is_superuser", False),
                "is_staff": options.get("is_staff", False), "sponsor": options.get("sponsor"),
                "agency": options.get("agency"),
                "company": self.data["demo_company"] if options.get("company") else None,
            })  # fmt: skip
            user = User.objects.filter(username=username).first()
            user = user or User(username=username, password=shared_hash)
            diff = {field for field, value in values.items() if getattr(user, field) != value}
            if user.password not in verified:
                verified[user.password] = check_password(demo.DEMO_PASSWORD, user.password)
            if not verified[user.password]:
                user.password, diff = shared_hash, diff | {"password"}
            for field in diff - {"password"}:
                setattr(user, field, values[field])
            if user.pk is None or diff:
                self.updated[User] += user.pk is not None
                user.save()
            self.ids["user"][username] = user.pk
            if otp_required(user):  # a second factor newcomers can use (SPEC §20), printed with the login
                totp_device_provision(
                    user=user,
                    hex_key=hex_key_from_base32(demo.DEMO_OTP_SECRET),
                    recovery_codes=demo.DEMO_RECOVERY_CODES,
                )
        users = User.objects.in_bulk(list(self.ids["user"].values()))
        self.actors: dict[int, User] = {  # program id → who acts for it: its agency's demo login
            self.ids["program"][program["_slug"]]: users[self.ids["user"][demo.staff_of(program["agency"])]]
            for program in self.data["programs"]
        }

    def _consents(self) -> None:
        """The demo SMEs signed up on the page, so they agreed to the current 개인정보 수집·이용 동의
        (SPEC §20, part h6): their logins go straight in. Recorded once; a later run records nothing."""
        owing = User.objects.filter(role=Role.APPLICANT, pk__in=list(self.ids["user"].values()))
        for user in owing.exclude(privacy_consent_version=settings.PRIVACY_CONSENT_VERSION):
            consent_record(user=user, optional={"marketing": False})

    def _contributions(self) -> None:
        """Contributions are recorded through the contribution service, as staff record them (ledger
        entry and audit event included), once each, known by program, purpose and note; a stored
        catalogue one whose description changed (this year's dates move with today) is updated."""
        keys = ("program_id", "purpose", "note")
        rows = [*self.data["contributions"], *self._recorded_rows()]
        stored = set(Contribution.objects.values_list(*keys))
        is_stored = [tuple(self.resolve(row)[key] for key in keys) in stored for row in rows]
        catalogue = zip(self.data["contributions"], is_stored, strict=False)  # not the recorded ones
        self.sync(Contribution, keys, [row for row, known in catalogue if known])
        programs = Program.objects.in_bulk(list(self.ids["program"].values()))
        for row in [row for row, known in zip(rows, is_stored, strict=True) if not known]:
            values = self.resolve(row)
            fields = {field: values[field] for field in ("amount", "kind", "purpose", "received_on", "note")}
            program = programs[values["program_id"]]
            contribution_record(actor=self.actors[program.pk], program=program, **fields)

    def _recorded_rows(self) -> list[dict]:
        """The contributions a program describes as recorded by staff after the catalogue."""
        base = {"kind": Contribution.Kind.CASH}
        return [
            {**row, **base, "program": program["_slug"], "sponsor": program["sponsor"]}
            | {"recorded_by": demo.staff_of(program["agency"])}
            for program in self.data["programs"]
            for row in program.get("_recorded", [])
        ]

    def _budgets(self) -> None:
        """Each government pot is topped up to its program's matching budget through the budget
        service; never taken back here (the service refuses: the ledger only grows)."""
        programs = Program.objects.filter(pk__in=self.ids["program"].values()).order_by("pk")
        for program in programs:
            with contextlib.suppress(ValidationError):
                fund_budget_sync(program=program, actor=self.actors[program.pk], note=BUDGET_NOTE)

    def _history(self) -> None:
        """Each application's status changes, as the workflow service records them (docs/domain.md §4: one
        `application.<action>` event per transition, before → after, with its note), dated when they
        happened; written once, for applications that have none yet. Written here rather than
        replayed through application_transition, which dates every step today and could not submit
        to the programs that closed years ago."""
        kind = ContentType.objects.get_for_model(Application)
        ours = self.ids["application"]
        stored = AuditEvent.objects.filter(
            content_type=kind,
            object_id__in=ours.values(),
            action__in=[f"application.{a}" for a in TRANSITIONS],
        )
        recorded = set(stored.values_list("object_id", flat=True))
        owner = self.ids["user"]["applicant"]
        now, events, dates, declared = timezone.now(), [], [], []
        for row in self.data["applications"]:
            pk = ours[(row["program"], row["company"])]
            status: str = Application.Status.DRAFT
            for action, when, note in [] if pk in recorded else demo.history(row, now):
                transition = TRANSITIONS[action]
                if status not in transition.sources:  # the described path breaks the state machine
                    raise CommandError(f"{row['program']} {row['company']}: {action} from {status}")
                by_owner = OWNER in transition.by and (row["created_by"] or STAFF not in transition.by)
                staff = self.actors[self.ids["program"][row["program"]]].pk
                actor = (owner if row["created_by"] else None) if by_owner else staff
                after: dict = {"status": transition.target}
                if action == "submit":  # the four declarations made at submit (SPEC §15.1)
                    after["declarations"] = dict.fromkeys(SubmissionDeclaration.FIELDS, True)
                    if actor is not None:
                        declared.append(
                            (
                                SubmissionDeclaration(
                                    application_id=pk, user_id=actor, **after["declarations"]
                                ),
                                when,
                            )
                        )
                events.append(AuditEvent(
                    actor_id=actor, action=f"application.{action}", content_type=kind, object_id=pk,
                    before={"status": status}, after=after, note=note,
                    agency_id=self.ids["agency"][row["_agency"]],
                ))  # fmt: skip
                dates.append(when)
                status = transition.target
        events = AuditEvent.objects.bulk_create(events)
        for event, when in zip(events, dates, strict=True):
            event.created_at = when  # created_at is set on insert (auto_now_add); dated afterwards
        AuditEvent.objects.bulk_update(events, ["created_at"], batch_size=500)
        rows = SubmissionDeclaration.objects.bulk_create([row for row, _when in declared])
        for row, (_row, when) in zip(rows, declared, strict=True):
            row.created_at = when
        SubmissionDeclaration.objects.bulk_update(rows, ["created_at"], batch_size=500)

    def _commitments(self) -> None:
        """Selected-or-later applications are committed once, through the selection's own service."""
        selected = Application.objects.filter(
            pk__in=self.ids["application"].values(),
            status__in=(*SELECTED_OR_LATER, S.TERMINATED),
            total_cost__isnull=False,
        ).order_by("pk")
        commitments = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMMITMENT, application__in=selected)
        committed = set(commitments.values_list("application_id", flat=True))
        for application in selected:
            if application.pk in committed:
                cost_share_compute(application=application)  # idempotent: keeps the stored split
            else:
                fund_commit(application=application, actor=self.actors[application.program_id])

    def _payments(self) -> None:
        """Projects being built were paid half in advance, once the SME had deposited half its share
        (SPEC §18.2); completed ones the rest too, after the rest of the share, but for the settled
        sample (ops.execution_demo), whose final payment follows its settlement. Once each, through
        the services (the disbursement service splits pro rata between the pots)."""
        paid_statuses: dict[str, tuple[str, ...]] = {
            Application.Status.BUILDING: (Disbursement.Kind.ADVANCE,),
            Application.Status.COMPLETION_REVIEW: (Disbursement.Kind.ADVANCE,),
            Application.Status.COMPLETED: (Disbursement.Kind.ADVANCE, Disbursement.Kind.FINAL),
        }
        funded = (
            Application.objects.filter(
                pk__in=self.ids["application"].values(), status__in=paid_statuses, disbursements__isnull=True
            )
            .select_related("program")
            .order_by("pk")
        )
        settled = self._settled()
        for application in funded:
            actor = self.actors[application.program_id]
            outstanding = sum(application_outstanding(application_id=application.pk).values())
            advance = outstanding // 2 // 1000 * 1000
            start = application.program.closes_on
            execution_demo.deposit_first_half(
                application, actor=actor, before=self._build_starts(application)
            )
            for kind in paid_statuses[application.status]:
                if kind == Disbursement.Kind.FINAL and application.pk in settled:
                    continue  # paid after its settlement (ops.execution_demo)
                amount = advance if kind == Disbursement.Kind.ADVANCE else outstanding - advance
                paid_on = start + datetime.timedelta(days=60 if kind == Disbursement.Kind.ADVANCE else 240)
                if kind == Disbursement.Kind.FINAL:
                    execution_demo.deposit_rest(application, actor=actor, on=paid_on - DAY)
                if amount > 0:
                    disbursement_record(
                        actor=self.actors[application.program_id],
                        application=application,
                        amount=amount,
                        kind=kind,
                        paid_on=paid_on,
                    )

    def _sme_users(self) -> None:
        """The owners who sign for the companies other than the demo company (ops.projects_demo): made
        once, with no usable password: they are signatories of the demo, not logins."""
        self.sync(User, ("username",), self.data["sme_users"], "user", lambda row: row["username"])
        names = [row["username"] for row in self.data["sme_users"]]
        for user in User.objects.filter(username__in=names, password=""):
            user.set_unusable_password()
            user.save(update_fields=["password"])

    def _terminations(self) -> None:
        """A terminated project (협약해지, SPEC §4) was paid its advance while it was being built; then
        what was unpaid was released, once, through the release service (a clawback of what was paid
        comes with §18.5)."""
        terminated = Application.objects.filter(
            pk__in=self.ids["application"].values(), status=S.TERMINATED, total_cost__isnull=False
        ).order_by("pk")
        released = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RELEASE, application__in=terminated)
        done = set(released.values_list("application_id", flat=True))
        for application in [a for a in terminated.select_related("program") if a.pk not in done]:
            actor = self.actors[application.program_id]
            if not application.disbursements.exists():
                execution_demo.deposit_first_half(
                    application, actor=actor, before=self._build_starts(application)
                )
                # Paid while it was being built: the payment service pays projects in payable states only.
                Application.objects.filter(pk=application.pk).update(status=S.BUILDING)
                outstanding = sum(application_outstanding(application_id=application.pk).values())
                paid_on = application.program.closes_on + datetime.timedelta(days=60)
                disbursement_record(
                    actor=actor, application=application, amount=outstanding // 2 // 1000 * 1000,
                    kind=Disbursement.Kind.ADVANCE, paid_on=paid_on,
                )  # fmt: skip
                Application.objects.filter(pk=application.pk).update(status=S.TERMINATED)
            fund_release(application=application, actor=actor)

    def _settled(self) -> set[int]:
        completed = Application.objects.filter(pk__in=self.ids["application"].values(), status=S.COMPLETED)
        return execution_demo.settled_sample(
            list(completed.select_related("company")), self.data["demo_company"]
        )

    def _build_starts(self, application: Application) -> datetime.date:
        """When building started (the history's `start_build`): the first deposit comes before it."""
        if not hasattr(self, "_rows"):
            ours = self.ids["application"]
            self._rows = {ours[(row["program"], row["company"])]: row for row in self.data["applications"]}
        steps = {
            action: when for action, when, _note in demo.history(self._rows[application.pk], timezone.now())
        }
        when = steps.get("start_build") or steps.get("select")
        return timezone.localdate(when) if when else application.program.closes_on

    def _execution(self) -> None:
        """Spending, reviews, settlements, clawbacks and bans (ops.execution_demo), after the agreements
        the spending is measured against."""
        today = timezone.localdate()
        ours = (
            Application.objects.filter(pk__in=self.ids["application"].values())
            .select_related("program", "company")
            .order_by("pk")
        )
        demo_company = self.data["demo_company"]

        def owner_of(application: Application) -> User:
            number = application.company.business_number
            name = "applicant" if number == demo_company else projects_demo.sme_username(number)
            return User.objects.get(username=name)

        seeder = execution_demo.ExecutionSeeder(
            actors=self.actors, owner_of=owner_of, today=today, demo_company=demo_company
        )
        seeder.run(list(ours.filter(status__in=(S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED))))
        for application in ours.filter(status=S.TERMINATED).select_related("supplier"):
            actor = self.actors[application.program_id]
            execution_demo.terminated_clawback(application, actor=actor, today=today)
            execution_demo.supplier_ban(application, actor=actor, today=today)

    def _projects(self, ours: dict) -> None:
        """The agreements, their signatures and changes, the completion reports and the inspections of
        ops.projects_demo, dated when they happened, with their audit events."""
        data = self.data
        application = lambda row: row["application"]  # noqa: E731
        self.sync(Agreement, ("application_id",), data["agreements"], "agreement", application, scope=ours)
        agreements = {"agreement_id__in": list(self.ids["agreement"].values())}
        self.sync(AgreementSignature, ("agreement_id", "party"), data["signatures"], "signature",
                  lambda row: (row["agreement"], row["party"]), scope=agreements)  # fmt: skip
        self._dated(AgreementSignature, "signature", data["signatures"], "signed_at",
                    lambda row: (row["agreement"], row["party"]))  # fmt: skip
        change_key = lambda row: (row["application"], row["kind"], row["cause_on"])  # noqa: E731
        self.sync(AgreementChange, ("application_id", "kind", "cause_on"), data["changes"], "change",
                  change_key, scope=ours)  # fmt: skip
        self._dated(AgreementChange, "change", data["changes"], "requested_at", change_key)
        self._completion_reports(ours)
        inspection_key = lambda row: (row["application"], row["note"])  # noqa: E731
        self.sync(Inspection, ("application_id", "note"), data["inspections"], "inspection", inspection_key,
                  scope=ours)  # fmt: skip
        self._dated(Inspection, "inspection", data["inspections"], "created_at", inspection_key)
        self._agreement_documents()
        self._project_events()

    def _dated(self, model, kind: str, rows: list[dict], field: str, natural_key) -> None:
        """Set the moment a row happened, which its model stamps on insert (auto_now_add)."""
        stored = model.objects.in_bulk([self.ids[kind][natural_key(row)] for row in rows])
        late = []
        for row in rows:
            obj = stored[self.ids[kind][natural_key(row)]]
            if getattr(obj, field) != row[f"_{field}"]:
                setattr(obj, field, row[f"_{field}"])
                late.append(obj)
        model.objects.bulk_update(late, [field])

    def _completion_reports(self, ours: dict) -> None:
        """완료보고서 (SPEC §17) filed with each `submit_completion`: a small PDF, stored once."""
        rows = self.data["completion_reports"]
        pdf = projects_demo.COMPLETION_PDF
        folder = "private/applications/{}/completion_report/completion-report.pdf"
        described = [
            {**row, "file": folder.format(self.ids["application"][row["application"]]), "size": len(pdf)}
            for row in rows
        ]
        self.sync(Attachment, ("application_id", "kind", "original_name"), described, "report",
                  lambda row: row["application"], scope={**ours, "kind": "completion_report"})  # fmt: skip
        self._dated(Attachment, "report", rows, "uploaded_at", lambda row: row["application"])
        stored = Attachment.objects.filter(pk__in=self.ids["report"].values())
        for attachment in stored:
            name = attachment.file.name
            if name and not attachment.file.storage.exists(name):
                attachment.file.storage.save(name, ContentFile(pdf))

    def _agreement_documents(self) -> None:
        """The agreement PDFs and the hashes they are signed under, made by the agreement's own
        generator (projects/agreement_pdf.py) as `agreement_send` makes them: for every sent agreement
        of a program still running and of the demo company, the ones people open. Agreements of archived
        programs were signed on paper before this system (their hash stays empty and their page says
        no document is stored). Made once: a stored document is never made again."""
        from projects.agreement_pdf import agreement_pdf  # WeasyPrint: only where a PDF is made

        demo_company = self.ids["company"][self.data["demo_company"]]
        waiting = (
            Agreement.objects.filter(
                application_id__in=self.ids["application"].values(),
                status__in=[
                    Agreement.Status.SENT,
                    Agreement.Status.SIGNED_BY_SME,
                    Agreement.Status.COUNTERSIGNED,
                ],
                document="",
            )
            .exclude(
                Q(application__program__status=Program.Status.ARCHIVED)
                & ~Q(application__company_id=demo_company)
            )
            .select_related(
                "application__program__agency", "application__program__sponsor", "application__company"
            )
            .select_related("supplier")
            .order_by("pk")
        )
        for agreement in waiting:
            data = agreement_pdf(agreement=agreement, application=agreement.application)
            agreement.document.save(
                f"agreement-{agreement.application_id}-1.pdf", ContentFile(data), save=False
            )
            agreement.document_sha256 = hashlib.sha256(data).hexdigest()
            agreement.save(update_fields=["document", "document_sha256"])
            agreement.signatures.update(document_sha256=agreement.document_sha256)

    def _project_events(self) -> None:
        """The audit events of the agreements, changes and inspections (projects/audit.py), once each."""
        models = {"agreement": Agreement, "change": AgreementChange, "inspection": Inspection}
        kinds = {kind: ContentType.objects.get_for_model(model) for kind, model in models.items()}
        stored = set(
            AuditEvent.objects.filter(
                content_type__in=kinds.values(), action__regex=r"^(agreement|inspection)"
            ).values_list("content_type_id", "object_id", "action")
        )
        agencies = dict(Application.objects.filter(pk__in=self.ids["application"].values())
                        .values_list("pk", "program__agency_id"))  # fmt: skip
        events, dates = [], []
        for row in self.data["project_events"]:
            pk = self.ids[row["kind"]][row["key"]]
            content_type = kinds[row["kind"]]
            if (content_type.pk, pk, row["action"]) in stored:
                continue
            application_key = row["key"] if row["kind"] == "agreement" else row["key"][0]
            events.append(AuditEvent(
                actor_id=self.ids["user"][row["actor"]], action=row["action"], content_type=content_type,
                object_id=pk, before=row["before"], after=row["after"], note=row["note"],
                agency_id=agencies[self.ids["application"][application_key]],
            ))  # fmt: skip
            dates.append(row["when"])
        events = AuditEvent.objects.bulk_create(events)
        for event, when in zip(events, dates, strict=True):
            event.created_at = when
        AuditEvent.objects.bulk_update(events, ["created_at"], batch_size=500)


# --- What followed the applications (docs/domain.md §5, §7, §8), played out from fixed seeds ----------------


def evaluations(apps: list[dict]) -> tuple[list[dict], list[dict]]:
    """A committee of five per evaluated application, scoring over the default rubric; sets its score."""
    rng = rng_for("evaluations")
    assigned, scored = [], []
    for app in [a for a in apps if a["_evaluated"]]:
        key, status = (app["program"], app["company"]), app["status"]
        quality = rng.uniform(0.72, 0.93) if status in demo.EVER_SELECTED else rng.uniform(0.45, 0.75)
        bonus, totals = rng.choice([0, 0, 3, 3, 6, 9]), []
        for i, evaluator in enumerate(EVALUATORS):
            assigned.append(
                {"application": key, "evaluator": evaluator, "assigned_by": demo.staff_of(app["_agency"])}
            )
            if status == S.EVALUATION and rng.random() < (0.7 if i == 0 else 0.5):
                continue  # not scored yet: the committee is still at work
            scored.append({"application": key, "evaluator": evaluator, **_evaluation(rng, quality, bonus)})
            totals += [] if scored[-1]["total"] is None else [scored[-1]["total"]]
        if status != S.EVALUATION:
            app["score"] = trimmed_mean_score(totals)
    return assigned, scored


def _evaluation(rng: random.Random, quality: float, bonus: int) -> dict:
    if rng.random() < 0.05:
        return {
            "conflict_of_interest": True,
            "scores": {},
            "bonus": 0,
            "total": None,
            "comment": "이해충돌 신고",
        }
    scores = {}
    for item in DEFAULT_RUBRIC:
        points = round(item["max_points"] * (quality + rng.gauss(0, 0.06)))
        scores[item["key"]] = max(0, min(item["max_points"], points))
    total = sum(scores.values()) + bonus
    return {
        "conflict_of_interest": False,
        "scores": scores,
        "bonus": bonus,
        "total": total,
        "comment": rng.choice(COMMENTS),
    }


def mentoring(data: dict, today: datetime.date) -> tuple[list[dict], list[dict]]:
    """Mentors for applications being built that asked for one: best match first, within capacity,
    never a mentor of the application's own supplier, one or two each."""
    rng = rng_for("mentoring")
    companies = {company["business_number"]: company for company in data["companies"]}
    users = {mentor["name"]: mentor["user"] for mentor in data["mentors"]}
    load = dict.fromkeys(users, 0)
    assignments, sessions = [], []
    for app in data["applications"]:
        if app["status"] not in MENTORED or not app["wants_mentoring"]:
            continue
        company, key = companies[app["company"]], (app["program"], app["company"])
        candidates = [m for m in data["mentors"] if load[m["name"]] < m["capacity"]]
        candidates = [m for m in candidates if not (m["supplier"] and m["supplier"] == app["supplier"])]
        candidates.sort(key=lambda m: (-_match(m, company), load[m["name"]]))
        for mentor in candidates[: 2 if rng.random() < 0.25 else 1]:
            load[mentor["name"]] += 1
            starts_on = today - rng.randint(14, 60) * DAY  # under way, with at least two weeks to run
            ends_on = starts_on + rng.randint(max(28, (today - starts_on).days + 14), 180) * DAY
            assignments.append({"mentor": mentor["name"], "application": key,
                                "assigned_by": demo.staff_of(app["_agency"]),
                                "starts_on": starts_on, "ends_on": ends_on, "status": "active"})  # fmt: skip
            sessions += _sessions(rng, (mentor["name"], *key), users[mentor["name"]], starts_on, today - DAY)
    return assignments, sessions


def _match(mentor: dict, company: dict) -> int:
    """Industry counts double, region once (the suggestion ranking of docs/domain.md §7 weighs more)."""
    industry = company["industry_code"][:2] in mentor["ksic_divisions"]
    return 2 * industry + (company["region"] in mentor["regions"])


def _sessions(rng, assignment: tuple, username: str | None, starts_on, last_day) -> list[dict]:
    rows: list[dict] = []
    held_on = starts_on + 7 * DAY
    while held_on <= last_day:
        rows.append({
            "assignment": assignment,
            "logged_by": username,
            "held_on": held_on,
            "hours": Decimal(rng.choice(["1.0", "1.5", "2.0", "3.0", "4.0"])),
            "mode": rng.choice(["visit", "visit", "online"]),
            "notes": f"{len(rows) + 1}회차: {rng.choice(TOPICS)}",  # the number keys the session
        })  # fmt: skip
        held_on += rng.randint(12, 21) * DAY
    return rows


# KPI → (mean change for adopters, baseline). The means of the first four echo the aggregate of
# 1,240 completed factories (002_b06218ffd7235423.txt); the rest are invented, and every row
# belongs to an invented company.
KPIS = {
    "productivity": (0.25, lambda rng, c: rng.uniform(40, 400)),
    "defect_rate": (-0.276, lambda rng, c: rng.uniform(0.8, 6.0)),
    "unit_cost": (-0.292, lambda rng, c: rng.randint(8_000, 250_000)),
    "lead_time": (-0.19, lambda rng, c: rng.uniform(5, 30)),
    "on_time_delivery": (0.05, lambda rng, c: rng.uniform(78, 95)),
    "revenue": (0.12, lambda rng, c: c["annual_revenue"]),
    "operating_profit": (0.15, lambda rng, c: c["annual_revenue"] * rng.uniform(-0.02, 0.09)),
    "employees": (0.04, lambda rng, c: c["employees"]),
    "rd_spend": (0.07, lambda rng, c: c["annual_revenue"] * rng.uniform(0.005, 0.03)),
    "accidents": (-0.3, lambda rng, c: rng.randint(0, 4)),
}
WHOLE_KPIS = ("unit_cost", "revenue", "operating_profit", "employees", "rd_spend", "accidents")  # 원, 명, 건
NON_ADOPTER_KPIS = ["productivity", "revenue", "operating_profit", "employees", "rd_spend"]


def outcomes(data: dict, today: datetime.date) -> list[dict]:
    """KPIs of completed applications, and of some long-rejected or withdrawn ones as a comparison group."""
    rng = rng_for("outcomes")
    companies = {company["business_number"]: company for company in data["companies"]}
    closing = {program["_slug"]: program["closes_on"] for program in data["programs"]}
    rows = []
    for app in data["applications"]:
        closes_on, adopter = closing[app["program"]], app["status"] == S.COMPLETED
        compared = app["status"] in (S.REJECTED, S.WITHDRAWN) and closes_on < today - 400 * DAY
        if not adopter and not (compared and rng.random() < 0.4):
            continue
        measured_on = min(closes_on + 365 * DAY, today - DAY)
        for kpi in rng.sample(list(KPIS), rng.randint(6, 10)) if adopter else NON_ADOPTER_KPIS:
            baseline, result = _kpi_values(rng, kpi, companies[app["company"]], 1.0 if adopter else 0.3)
            rows.append({"application": (app["program"], app["company"]), "kpi": kpi, "baseline": baseline,
                         "result": result, "baseline_on": closes_on, "measured_on": measured_on,
                         "entered_by": app["created_by"]})  # fmt: skip
    return rows


def _kpi_values(rng: random.Random, kpi: str, company: dict, effect: float) -> tuple[Decimal, Decimal]:
    mean_change, baseline_of = KPIS[kpi]
    baseline = baseline_of(rng, company)
    result = baseline + abs(baseline) * (effect * mean_change + rng.gauss(0, 0.05))
    if kpi != "operating_profit":
        result = max(0, result)
    if kpi in ("defect_rate", "on_time_delivery"):
        result = min(99.9, result)
    if kpi in WHOLE_KPIS:
        return Decimal(round(baseline)), Decimal(round(result))
    return Decimal(str(round(baseline, 2))), Decimal(str(round(result, 2)))
