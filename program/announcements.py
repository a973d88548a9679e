"""A program's 공고 (SPEC §19): what the public page reads, and how staff change its FAQ and files.

The page's text fields (announcement, eligibility, contact) are the program's and are saved with it
(program.services.program_save); the FAQ and the files live in their own rows and are changed here,
audited on the program like any other change of it.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import NotAllowed
from config.money import won_short
from config.uploads import check_file, file_extension
from program.choices import DocumentKind, SupportLevel
from program.models import Program, ProgramFaq, ProgramFile
from program.permissions import can_change_program, is_outside_agency
from program.services import audit_event_record

# ---- reads


def announcement_list(*, today: datetime.date | None = None) -> QuerySet[Program]:
    """Every program with a public page (all but drafts): those taking applications first, each
    group by its closing date."""
    today = today or timezone.localdate()
    taking = Q(status=Program.Status.OPEN, opens_on__lte=today, closes_on__gte=today)
    return (
        Program.objects.exclude(status=Program.Status.DRAFT)
        .select_related("sponsor", "agency")
        .annotate(
            taking=Case(When(taking, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .order_by("-taking", "closes_on", "title")
    )


def announcement_get(*, pk: int) -> Program:
    """The program of a public page, with its FAQ and files; 404 for a draft, whoever asks."""
    programs = announcement_list().prefetch_related("faqs", "files")
    program = programs.filter(pk=pk).first()
    if program is None:
        raise Http404
    return program


def program_file_public(*, pk: int, file_pk: int) -> ProgramFile:
    """A file of a program's public page; 404 when the program is a draft or the file not its."""
    found = (
        ProgramFile.objects.filter(pk=file_pk, program_id=pk)
        .exclude(program__status=Program.Status.DRAFT)
        .first()
    )
    if found is None:
        raise Http404
    return found


def is_taking_applications(program: Program, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return program.status == Program.Status.OPEN and program.opens_on <= today <= program.closes_on


def days_left(program: Program, *, today: datetime.date | None = None) -> int | None:
    """Whole days until the window closes (0 on the closing day); None once it has closed."""
    today = today or timezone.localdate()
    if not is_taking_applications(program, today=today):
        return None
    return (program.closes_on - today).days


def support_levels(program: Program) -> list[tuple[str, int | None]]:
    """Each support level with the government's cap on it (None: no cap)."""
    caps = program.gov_caps
    return [(str(label), caps[value]) for value, label in SupportLevel.choices]


def required_document_labels(program: Program) -> list[str]:
    labels = dict(DocumentKind.choices)
    return [str(labels[kind]) for kind in program.required_documents if kind in labels]


def cost_share_sentence(program: Program) -> str:
    """The policy in words: `정부 30 % (기초 최대 4,200만 원) · 주관기관 30 % · 기업 40 %`."""
    capped = [
        _("%(level)s 최대 %(cap)s") % {"level": label, "cap": won_short(cap)}
        for label, cap in support_levels(program)
        if cap is not None
    ]
    gov = _("정부 %(ratio)s %%") % {"ratio": program.gov_ratio}
    if capped:
        gov = f"{gov} ({', '.join(capped)})"
    sponsor = _("주관기관 %(ratio)s %%") % {"ratio": program.sponsor_ratio}
    sme = _("기업 %(ratio)s %%") % {"ratio": program.sme_ratio}
    return " · ".join([gov, sponsor, sme])


# ---- writes (staff, on the program form)


def _check_may_change(actor, program: Program) -> None:
    if is_outside_agency(actor, program.agency_id):
        raise Http404  # another agency's program (docs/domain.md §1)
    if not can_change_program(actor, program):
        raise NotAllowed()


def _faq_values(program: Program) -> list[str]:
    return [f"{faq.question} → {faq.answer}" for faq in program.faqs.order_by("order", "id")]


@transaction.atomic
def program_faqs_save(*, actor, program: Program, faqs: list[dict[str, str]]) -> None:
    """Replace the program's FAQ by `faqs` (`[{"question", "answer"}]`, in their order); audited
    when it changed."""
    _check_may_change(actor, program)
    before = _faq_values(program)
    program.faqs.all().delete()
    ProgramFaq.objects.bulk_create(
        ProgramFaq(program=program, question=row["question"], answer=row["answer"], order=index)
        for index, row in enumerate(faqs, start=1)
    )
    after = _faq_values(program)
    if before != after:
        audit_event_record(
            actor=actor,
            action="program.faq_update",
            target=program,
            before={"faq": before},
            after={"faq": after},
        )


@transaction.atomic
def program_file_add(*, actor, program: Program, kind: str, title: str, upload) -> ProgramFile:
    """Attach a 공고문, 양식 or other file to the program's page, checked by its bytes (PDF, HWP,
    XLSX); a ValidationError on `file` otherwise."""
    _check_may_change(actor, program)
    try:
        content_type = check_file(
            upload, extensions=ProgramFile.ALLOWED_EXTENSIONS, max_size=ProgramFile.MAX_SIZE
        )
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if program.files.count() >= ProgramFile.MAX_PER_PROGRAM:
        raise ValidationError(
            {"file": _("한 사업에 파일은 %d개까지 올릴 수 있습니다.") % ProgramFile.MAX_PER_PROGRAM}
        )
    program_file = ProgramFile(
        program=program,
        kind=kind,
        title=title,
        original_name=upload.name[-255:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    program_file.file.save(f"{uuid.uuid4().hex}.{file_extension(upload.name)}", upload, save=False)
    program_file.full_clean()
    program_file.save()
    audit_event_record(
        actor=actor,
        action="program.file_add",
        target=program,
        after={"file": f"{program_file.get_kind_display()}: {title} ({program_file.original_name})"},
    )
    return program_file


@transaction.atomic
def program_announcement_copy(*, actor, source: Program, program: Program) -> None:
    """이전 사업 복사 carries the 공고's FAQ and files (공고문, 양식) too: each file is stored again
    for the new program (a later change to one never touches the other), checked and audited like
    an upload."""
    faqs = [{"question": faq.question, "answer": faq.answer} for faq in source.faqs.order_by("order", "pk")]
    if faqs:
        program_faqs_save(actor=actor, program=program, faqs=faqs)
    for source_file in source.files.order_by("pk"):
        with source_file.file.open("rb") as stored:
            upload = ContentFile(stored.read(), name=source_file.original_name)
        program_file_add(
            actor=actor, program=program, kind=source_file.kind, title=source_file.title, upload=upload
        )


@transaction.atomic
def program_file_delete(*, actor, program_file: ProgramFile) -> None:
    """Take a file off the program's page; the stored bytes go once the deletion has committed."""
    program = program_file.program
    _check_may_change(actor, program)
    name = program_file.file.name or ""
    audit_event_record(
        actor=actor,
        action="program.file_delete",
        target=program,
        before={
            "file": f"{program_file.get_kind_display()}: {program_file.title} ({program_file.original_name})"
        },
    )
    program_file.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
