"""The 공고 page per program (SPEC §19): Markdown without raw HTML, the page's content, its files
(public for every program but a draft), the list on `/`, and staff editing it on the program form."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from config.money import NBSP
from program import announcements
from program.markdown import markdown_html
from program.models import AuditEvent, Program, ProgramFaq, ProgramFile
from program.tests.test_staff_views import form_data
from tests.factories import AgencyFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pdf(name="공고문.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _staff_of(program):
    return UserFactory(role="staff", agency=program.agency)


def _with_file(program, *, title="2026 공고문"):
    return announcements.program_file_add(
        actor=_staff_of(program), program=program, kind=ProgramFile.Kind.NOTICE, title=title, upload=_pdf()
    )


# ---- Markdown


def test_markdown_renders_the_text_and_escapes_raw_html():
    html = markdown_html("# 개요\n\n**굵게** 와 <script>alert(1)</script> <b onclick=x>b</b>\n\n- 하나")
    assert "<h2>개요</h2>" in html  # under the page's own h1
    assert "<strong>굵게</strong>" in html and "<li>하나</li>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b " not in html and "&lt;b onclick=x&gt;" in html


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "//evil.example/x"],
)
def test_markdown_refuses_links_that_are_not_web_pages(link):
    html = markdown_html(f"[누르기]({link})")
    assert "<a" not in html


def test_markdown_links_carry_noopener_nofollow_and_images_are_not_shown():
    html = markdown_html("[안내](https://www.smart-factory.kr/) ![그림](https://x.example/a.png)")
    assert '<a href="https://www.smart-factory.kr/" rel="noopener nofollow">안내</a>' in html
    assert "<img" not in html


# ---- the public page


def test_the_page_shows_the_announcement_policy_window_files_faq_and_contact(client):
    today = timezone.localdate()
    program = ProgramFactory(
        capped_2022=True,
        closes_on=today + datetime.timedelta(days=5),
        announcement="## 사업 목적\n\n<script>alert(1)</script>",
        eligibility="제조 중소기업",
        contact="스마트공장추진단 02-000-0000",
        required_documents=["business_plan"],
    )
    ProgramFaq.objects.create(program=program, question="중복 지원이 되나요?", answer="안 됩니다.", order=1)
    program_file = _with_file(program)
    response = client.get(f"/programs/{program.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h3>사업 목적</h3>" in body and "&lt;script&gt;" in body and "<script>alert" not in body
    assert (
        f"정부 30 % (기초 최대 4,200만{NBSP}원, 고도화1 최대 1억 2,000만{NBSP}원, "
        f"고도화2 최대 2억 4,000만{NBSP}원) · 주관기관 30 % · 기업 40 %"
    ) in body
    assert "마감까지 5일" in body
    assert "제조 중소기업" in body and "스마트공장추진단 02-000-0000" in body and "사업계획서" in body
    assert "중복 지원이 되나요?" in body and "안 됩니다." in body
    assert f"/programs/{program.pk}/files/{program_file.pk}/" in body and "2026 공고문" in body
    assert f"/apply/new/?program={program.pk}" in body  # 신청하기 while open


def test_a_closed_program_says_closed_and_offers_no_application(client):
    today = timezone.localdate()
    program = ProgramFactory(
        status=Program.Status.CLOSED,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=1),
    )
    body = client.get(f"/programs/{program.pk}/").content.decode()
    assert "마감" in body and "/apply/new/" not in body


def test_the_policy_without_caps_has_no_brackets():
    program = ProgramFactory.build(gov_ratio=50, sponsor_ratio=50, sme_ratio=0)
    assert announcements.cost_share_sentence(program) == "정부 50 % · 주관기관 50 % · 기업 0 %"


def test_a_draft_has_no_page_for_anyone(client):
    program = ProgramFactory(status=Program.Status.DRAFT)
    program_file = _with_file(program)
    assert client.get(f"/programs/{program.pk}/").status_code == 404
    assert client.get(f"/programs/{program.pk}/files/{program_file.pk}/").status_code == 404
    client.force_login(_staff_of(program))  # its own agency's staff edit it on the program form
    assert client.get(f"/programs/{program.pk}/").status_code == 404


def test_a_file_downloads_for_anyone_as_an_attachment(client):
    program = ProgramFactory()
    program_file = _with_file(program)
    response = client.get(f"/programs/{program.pk}/files/{program_file.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    other = ProgramFactory()
    assert client.get(f"/programs/{other.pk}/files/{program_file.pk}/").status_code == 404


def test_the_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    program = ProgramFactory()
    ProgramFaq.objects.create(program=program, question="질문 1", answer="답 1")
    _with_file(program)
    with django_assert_num_queries(3):  # the program, its FAQ, its files
        client.get(f"/programs/{program.pk}/")
    for n in range(5):
        ProgramFaq.objects.create(program=program, question=f"질문 {n + 2}", answer="답")
        _with_file(program, title=f"양식 {n}")
    with django_assert_num_queries(3):
        assert client.get(f"/programs/{program.pk}/").status_code == 200


# ---- staff on the program form


def _edit_data(program, **overrides):
    data = {
        **form_data(),
        "title": program.title,
        "sponsor": program.sponsor_id,
        "agency": program.agency_id,
        "announcement": "## 공고\n\n본문",
        "eligibility": "제조 중소기업",
        "contact": "02-000-0000",
        "faq-TOTAL_FORMS": "2",
        "faq-INITIAL_FORMS": "0",
        "faq-0-question": "언제 발표하나요?",
        "faq-0-answer": "6월에 발표합니다.",
        "faq-1-question": "",
        "faq-1-answer": "",
    }
    data.update(overrides)
    return data


def test_staff_preview_the_announcement_and_nothing_is_saved(client):
    program = ProgramFactory()
    client.force_login(_staff_of(program))
    data = _edit_data(program, preview="1", announcement="**미리** <script>x</script>")
    response = client.post(f"/staff/programs/{program.pk}/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>미리</strong>" in body and "&lt;script&gt;x&lt;/script&gt;" in body
    program.refresh_from_db()
    assert program.announcement == "" and not program.faqs.exists()
    assert not AuditEvent.objects.exists()


def test_staff_save_the_text_faq_and_a_file_and_each_is_audited(client):
    program = ProgramFactory()
    client.force_login(_staff_of(program))
    data = _edit_data(
        program, **{"newfile-kind": "form", "newfile-title": "신청 양식", "newfile-file": _pdf("양식.pdf")}
    )
    response = client.post(f"/staff/programs/{program.pk}/", data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.announcement, program.eligibility, program.contact) == (
        "## 공고\n\n본문",
        "제조 중소기업",
        "02-000-0000",
    )
    assert [(f.question, f.answer) for f in program.faqs.all()] == [("언제 발표하나요?", "6월에 발표합니다.")]
    (saved,) = program.files.all()
    assert (saved.kind, saved.title, saved.original_name) == ("form", "신청 양식", "양식.pdf")
    actions = set(AuditEvent.objects.filter(object_id=program.pk).values_list("action", flat=True))
    assert {"program.update", "program.faq_update", "program.file_add"} <= actions
    update = AuditEvent.objects.get(action="program.update")
    assert update.after["announcement"] == "## 공고\n\n본문"


def test_staff_delete_a_file_and_it_is_audited(client):
    program = ProgramFactory()
    program_file = _with_file(program)
    client.force_login(_staff_of(program))
    data = _edit_data(program, delete_file=[str(program_file.pk)])
    assert client.post(f"/staff/programs/{program.pk}/", data).status_code == 302
    assert not program.files.exists()
    assert AuditEvent.objects.filter(action="program.file_delete", object_id=program.pk).exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ\x90\x00", "올릴 수 없는 파일 형식입니다"),
        ("공고문.pdf", b"MZ\x90\x00not a pdf", "파일 내용이 확장자(.pdf)와 맞지 않습니다"),
        ("그림.png", b"\x89PNG\r\n\x1a\n....", "올릴 수 없는 파일 형식입니다"),
    ],
)
def test_a_bad_file_is_refused_at_the_field_and_nothing_changes(client, name, content, error):
    program = ProgramFactory()
    client.force_login(_staff_of(program))
    data = _edit_data(program, **{"newfile-file": SimpleUploadedFile(name, content)})
    response = client.post(f"/staff/programs/{program.pk}/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert error in body and 'id="id_newfile-file-error"' in body
    assert "언제 발표하나요?" in body  # the form kept as typed
    program.refresh_from_db()
    assert program.announcement == "" and not program.files.exists() and not AuditEvent.objects.exists()


def test_a_question_without_an_answer_is_told_at_the_field(client):
    program = ProgramFactory()
    client.force_login(_staff_of(program))
    response = client.post(f"/staff/programs/{program.pk}/", _edit_data(program, **{"faq-0-answer": ""}))
    assert response.status_code == 400
    assert "답변을 입력해 주세요." in response.content.decode()
    assert not program.faqs.exists()


def test_staff_of_another_agency_change_no_file():
    program = ProgramFactory()
    program_file = _with_file(program)
    outsider = UserFactory(role="staff", agency=AgencyFactory(name="중소기업중앙회"))
    with pytest.raises(Http404):
        announcements.program_file_delete(actor=outsider, program_file=program_file)
    assert program.files.exists()
