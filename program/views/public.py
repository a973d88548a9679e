from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from config.files import stored_file_response
from program import announcements
from program.home import home_section_html, home_sections
from program.markdown import markdown_html


def home(request):
    """`/`: signed out, the programs' announcements (open first) and sign-in; signed in, the role's
    home (program/home.py)."""
    if request.user.is_authenticated:
        sections = [(s, home_section_html(request, s)) for s in home_sections(request)]
        return render(request, "program/home/home.html", {"sections": sections})
    today = timezone.localdate()
    programs = [
        (program, announcements.days_left(program, today=today))
        for program in announcements.announcement_list(today=today)
    ]
    return render(request, "program/home.html", {"programs": programs})


@require_GET
def announcement(request, pk):
    """`/programs/<id>/`: the program's 공고, public for every program that is not a draft (SPEC §19)."""
    program = announcements.announcement_get(pk=pk)
    today = timezone.localdate()
    context = {
        "program": program,
        "announcement_html": markdown_html(program.announcement),
        "days_left": announcements.days_left(program, today=today),
        "taking": announcements.is_taking_applications(program, today=today),
        "upcoming": program.status == program.Status.OPEN and today < program.opens_on,
        "levels": announcements.support_levels(program),
        "policy": announcements.cost_share_sentence(program),
        "documents": announcements.required_document_labels(program),
        "faqs": program.faqs.all(),
        "files": program.files.all(),
    }
    return render(request, "program/announcement.html", context)


@require_GET
def announcement_file(request, pk, file_pk):
    """A file of a program's 공고 (공고문, 양식): public as the page is, always as an attachment."""
    program_file = announcements.program_file_public(pk=pk, file_pk=file_pk)
    return stored_file_response(
        program_file.file.name, filename=program_file.original_name, content_type=program_file.content_type
    )
