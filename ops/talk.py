"""Demo data for talking to people (SPEC §19): the open and coming programs' 공고 with FAQ, the
threads of applications waiting for 보완 and of the demo company's own projects, and each demo
user's inbox. Stored by seed_demo after the applications; idempotent like the rest (a row is made
once, by its natural key)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applicants.models import Application, Company, Message
from program.models import AuditEvent, Notification, Program, ProgramFaq

ANNOUNCEMENT = """## 사업 목적
대기업·중견기업이 출연한 상생협력기금과 정부 예산을 함께 투입해 중소·중견 제조기업의 **스마트공장 구축**을
지원합니다. 주관기관({sponsor})의 협력 네트워크와 현장 멘토링을 함께 제공합니다.

## 지원 내용
- 스마트공장 솔루션(MES, ERP, POP, 비전검사, 설비 IoT 등) 구축 비용의 일부 지원
- 주관기관 전문가의 현장 멘토링 (구축 기간 중 월 1회 이상)
- 구축 후 성과 분석과 고도화 연계

## 추진 절차
1. 온라인 신청 (사업계획서·견적서 등 제출)
2. 요건검토 → 선정평가 (서면·발표)
3. 선정 → 협약 체결 → 구축 ({months}개월 이내)
4. 완료점검 → 잔금 지급 → 성과 관리 (3년)

## 유의사항
- 같은 내용으로 다른 정부 사업의 지원을 받았거나 받고 있는 기업은 신청할 수 없습니다.
- 허위 서류 제출, 공급기업과의 담합이 확인되면 선정이 취소되고 지원금이 환수되며, 참여가 제한됩니다.
"""

ELIGIBILITY = (
    "「중소기업기본법」에 따른 중소·중견 제조기업 (제조업 KSIC 10~34).\n"
    "기초 단계: 스마트공장 미구축 기업, 고도화 단계: 기초 수준 이상 구축 기업."
)

FAQS = [
    (
        "기업 부담금은 현금으로만 내야 하나요?",
        "네. 기업 부담금(총사업비의 40 %)은 협약 후 사업비 전용 계좌에 현금으로 입금해야 하며, "
        "입금이 확인되어야 구축을 시작할 수 있습니다.",
    ),
    (
        "공급기업은 언제 정하나요?",
        "신청서에 희망 공급기업과 견적서를 함께 제출합니다. 협약 후 공급기업을 바꾸려면 "
        "사유 발생일로부터 15일 이내에 협약변경을 신청해야 합니다.",
    ),
    (
        "구축 기간을 연장할 수 있나요?",
        "협약 종료 1개월 전까지 협약변경(기간 연장)을 신청하면 최대 3개월까지 연장할 수 있습니다.",
    ),
    (
        "이미 다른 스마트공장 사업에 선정된 적이 있으면 신청할 수 없나요?",
        "같은 수준의 지원을 받은 기업은 신청할 수 없습니다. "
        "기초 단계를 완료한 기업은 고도화 단계로 신청할 수 있습니다.",
    ),
]

CONTACT = "{agency} 스마트공장 지원팀 · 전화 1357 (중소기업 통합콜센터) · smartfactory@example.go.kr (데모용)"

THREAD_OF_DEMO_PROJECT = [
    (
        "staff",
        "applicant",
        "성과 입력 기간 안내드립니다. 구축 완료 후 1년 시점의 불량률과 생산성을 입력해 주세요.",
    ),
    ("applicant", "applicant", "불량률은 월평균으로 계산하면 될까요? 측정 기준이 궁금합니다."),
    ("staff", "applicant", "네, 최근 3개월 월평균으로 입력하시고 산출 근거는 메시지에 첨부해 주시면 됩니다."),
    ("staff", "internal", "[내부] 도입 전 불량률 근거 자료 확인 완료. 현장 확인은 생략해도 됨."),
]
ANSWER = "말씀하신 견적서를 다시 올렸습니다. 설비 IoT 항목의 수량도 현장 기준으로 고쳤습니다."


def seed_talk(*, application_ids: dict, program_ids: dict, demo_company: str, actors: dict) -> None:
    """Store the demo's 공고, FAQ, threads and inbox notices that are not stored yet."""
    now = timezone.now()
    _announcements(program_ids)
    staff_by_program = actors
    applicant = User.objects.get(username="applicant")
    demo = Company.objects.get(business_number=demo_company)
    ours = Application.objects.filter(pk__in=application_ids.values()).select_related("company", "program")
    kind = ContentType.objects.get_for_model(Application)
    notes = dict(
        AuditEvent.objects.filter(
            content_type=kind, object_id__in=application_ids.values(), action="application.request_changes"
        ).values_list("object_id", "note")
    )
    stored = set(Message.objects.filter(application__in=ours).values_list("application_id", "body"))
    messages = []

    def add(application, who, visibility, body, when):
        if (application.pk, body) in stored:
            return
        author = applicant if who == "applicant" else staff_by_program[application.program_id]
        name = author.get_full_name() or author.username
        messages.append((Message(application=application, author=author, author_name=name, body=body,
                                 visibility=visibility), when))  # fmt: skip

    waiting = [a for a in ours if a.status == Application.Status.CHANGES_REQUESTED]
    for index, application in enumerate(waiting):
        note = notes.get(application.pk) or "제출 서류를 보완해 주세요."
        add(application, "staff", Message.Visibility.APPLICANT, note, now - datetime.timedelta(days=3))
        if index % 2 == 0:  # half of them have answered already
            add(
                application,
                "applicant",
                Message.Visibility.APPLICANT,
                ANSWER,
                now - datetime.timedelta(days=1),
            )
    own = [a for a in ours if a.company_id == demo.pk and a.status == Application.Status.COMPLETED]
    for application in own[:1]:
        for step, (who, visibility, body) in enumerate(THREAD_OF_DEMO_PROJECT):
            add(application, who, visibility, body, now - datetime.timedelta(days=20 - 3 * step))
    made = Message.objects.bulk_create([message for message, _when in messages])
    for message, (_unsaved, when) in zip(made, messages, strict=True):
        message.created_at = when
    Message.objects.bulk_update(made, ["created_at"])
    _inbox(applicant, own[:1], waiting, staff_by_program)


def _announcements(program_ids: dict) -> None:
    programs = Program.objects.filter(pk__in=program_ids.values()).select_related("sponsor", "agency")
    for program in programs:
        if program.status == Program.Status.ARCHIVED or program.announcement:
            continue
        program.announcement = ANNOUNCEMENT.format(sponsor=program.sponsor.name, months=program.build_months)
        program.eligibility = program.eligibility or ELIGIBILITY
        program.contact = program.contact or CONTACT.format(agency=program.agency.name)
        program.save(update_fields=["announcement", "eligibility", "contact", "updated_at"])
        if not program.faqs.exists():
            ProgramFaq.objects.bulk_create(
                ProgramFaq(program=program, question=q, answer=a, order=i) for i, (q, a) in enumerate(FAQS)
            )


def _inbox(applicant: User, own: list, waiting: list, staff_by_program: dict) -> None:
    """A few notices in each inbox, some read: what the events above would have sent."""
    rows = []
    for application in own:
        url = reverse("applicants:my-detail", args=[application.pk]) + "#messages"
        rows.append((applicant, "message.new", f"새 메시지: {application.title}", url, False))
    for application in waiting[:3]:
        staff = staff_by_program[application.program_id]
        url = reverse("applicants:staff-detail", args=[application.pk]) + "#tab-messages"
        rows.append(
            (staff, "message.new", f"보완 답변: {application.company.name} · {application.title}", url, False)
        )
    for application in waiting[3:6]:
        staff = staff_by_program[application.program_id]
        url = reverse("applicants:staff-detail", args=[application.pk])
        rows.append((staff, "application.submitted", f"신청서 제출: {application.company.name}", url, True))
    stored = set(
        Notification.objects.filter(user__in={row[0] for row in rows}).values_list("user_id", "title")
    )
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title, url=url, read_at=now if read else None)
        for user, kind, title, url, read in rows
        if (user.pk, title) not in stored
    )
