"""`/apply/` on KRDS: fields in KRDS's form markup (templates/includes/field.html and the `forms`
template tags), the step indicator, and the documents step's file upload."""

import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from applicants.forms import BasicsForm, CompanyForm, EvaluationForm
from applicants.models import Application, Attachment
from program.models import Program
from tests.factories import ApplicationFactory, AttachmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def field_html(field) -> str:
    return render_to_string("includes/field.html", {"field": field})


def tag(html: str, element_id: str) -> str:
    """The opening tag of the element with id `element_id`."""
    found = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*>', html)
    assert found, f"no element #{element_id}"
    return found.group(0)


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.fixture
def draft(owner):
    return ApplicationFactory(company=owner.company, program=ProgramFactory(), total_cost=150_000_000)


# --- fields -------------------------------------------------------------------------------------------


def test_a_text_field_is_a_krds_input_with_its_hint():
    html = field_html(CompanyForm()["business_number"])
    assert '<div class="form-group field">' in html
    assert '<div class="form-tit"><label for="id_business_number">사업자등록번호' in html
    assert 'class="krds-input"' in tag(html, "id_business_number")
    assert 'aria-describedby="id_business_number-help"' in tag(html, "id_business_number")
    assert '<p class="form-hint" id="id_business_number-help">숫자 10자리' in html
    assert "aria-invalid" not in html and "is-error" not in html


def test_a_required_field_says_so_to_screen_readers_too():
    html = field_html(CompanyForm()["name"])
    assert (
        '<span class="form-required" aria-hidden="true">*</span><span class="sr-only"> 필수</span></label>'
        in html
    )


def test_an_error_is_at_the_field_in_krds_error_state():
    form = CompanyForm({"business_number": "123"})
    html = field_html(form["business_number"])
    opening = tag(html, "id_business_number")
    assert 'aria-invalid="true"' in opening
    assert 'aria-describedby="id_business_number-help id_business_number-error"' in opening
    assert '<div class="form-conts is-error">' in html
    error = re.search(r'<p class="form-hint-invalid[^"]*" id="id_business_number-error">([^<]+)</p>', html)
    assert error and "사업자등록번호" in error.group(1)


def test_a_select_is_a_krds_select_and_keeps_its_own_classes():
    form = BasicsForm(company=UserFactory(applicant=True).company)
    assert 'class="krds-form-select"' in tag(field_html(form["level"]), "id_level")

    class Classed(forms.Form):
        region = forms.ChoiceField(choices=[("a", "A")], widget=forms.Select(attrs={"class": "wide"}))

    assert 'class="wide krds-form-select"' in tag(field_html(Classed()["region"]), "id_region")


def test_a_checkbox_is_krds_check_markup_with_its_label_after_the_input():
    form = BasicsForm(company=UserFactory(applicant=True).company)
    html = field_html(form["wants_mentoring"])
    assert re.search(
        r'<div class="krds-form-check">'
        r'<input type="checkbox" name="wants_mentoring" id="id_wants_mentoring"[^>]*>'
        r'<label for="id_wants_mentoring">멘토링 희망</label></div>',
        html,
    )
    assert "krds-input" not in html


def test_a_radio_group_is_a_labelled_krds_check_area_with_the_error_on_every_option():
    form = EvaluationForm({}, rubric=[{"key": "plan", "label": "계획", "max_points": 10}])
    html = field_html(form["conflict_of_interest"])
    group = tag(html, "id_conflict_of_interest")  # the error summary's link lands here
    assert 'role="radiogroup"' in group and 'aria-labelledby="id_conflict_of_interest-label"' in group
    assert '<span class="form-label-text" id="id_conflict_of_interest-label">이해충돌 여부' in html
    radios = re.findall(r'<input type="radio"[^>]*>', html)
    assert len(radios) == 2
    for radio in radios:
        assert 'aria-invalid="true"' in radio and 'aria-describedby="id_conflict_of_interest-error"' in radio
    assert '<label for="id_conflict_of_interest_0">이해충돌 없음</label>' in html
    assert 'id="id_conflict_of_interest-error">이해충돌 여부를 선택해 주세요.</p>' in html


def test_the_login_page_renders_krds_fields(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'class="krds-input"' in tag(page, "id_username")
    assert 'class="krds-input"' in tag(page, "id_password")


# --- the step indicator ------------------------------------------------------------------------------


def steps_of(page: str) -> list[str]:
    nav = page.split('<ol class="krds-step-wrap">')[1].split("</ol>")[0]
    return re.findall(r"<li(?: [^>]*)?>.*?</li>", nav, flags=re.S)


def test_the_step_indicator_shows_done_current_and_upcoming_steps(client, owner, draft):
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/documents/").content.decode()
    basics, plan, documents, review = steps_of(page)
    for done, key in ((basics, "basics"), (plan, "plan")):
        assert done.startswith('<li class="done">')
        assert '<em class="sr-only">완료</em>' in done and f'href="/apply/{draft.pk}/{key}/"' in done
    assert documents.startswith('<li class="active" aria-current="step">')
    assert '<em class="sr-only">현재 단계</em>' in documents and "href" not in documents
    assert '<span class="step-tit">첨부서류</span>' in documents
    assert (
        review.startswith("<li>") and "완료" not in review and f'href="/apply/{draft.pk}/review/"' in review
    )


def test_a_new_application_has_no_step_to_link_yet(client, owner):
    ProgramFactory()
    client.force_login(owner)
    page = client.get("/apply/new/").content.decode()
    steps = steps_of(page)
    assert steps[0].startswith('<li class="active"') and "href" not in "".join(steps)


# --- the documents step ------------------------------------------------------------------------------


def upload(client, application, name, content, kind="business_plan"):
    return client.post(
        f"/apply/{application.pk}/documents/",
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_the_documents_step_states_types_and_limits_and_ties_them_to_the_input(client, owner, draft):
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/documents/").content.decode()
    assert "올릴 수 있는 형식: PDF, PNG, JPG, XLSX, HWP" in page
    assert "한 파일에 20.0\xa0MB까지, 서류 종류마다 5개, 모두 20개까지" in page
    file_input = tag(page, "id_file")
    assert 'type="file"' in file_input and 'aria-describedby="upload-rules"' in file_input
    assert 'accept=".pdf,.png,.jpg,.jpeg,.xlsx,.hwp"' in file_input
    assert 'enctype="multipart/form-data"' in page and "js/upload.js" in page


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("큰파일.pdf", PDF + b"0" * Attachment.MAX_SIZE, "파일이 너무 큽니다"),
        ("실행파일.exe", b"MZ\x90\x00", "올릴 수 없는 파일 형식입니다"),
    ],
)
def test_a_refused_file_is_shown_at_the_file_field_and_nothing_is_stored(
    client, owner, draft, name, content, error
):
    client.force_login(owner)
    response = upload(client, draft, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    file_input = tag(page, "id_file")
    assert (
        'aria-invalid="true"' in file_input and 'aria-describedby="upload-rules id_file-error"' in file_input
    )
    assert re.search(rf'<p class="form-hint-invalid[^"]*" id="id_file-error">[^<]*{error}', page)
    assert '<div class="form-conts is-error">' in page
    assert '<a href="#id_file">' in page  # the error summary leads to the field
    assert not Attachment.objects.exists()


def test_a_missing_file_is_asked_for_at_the_field(client, owner, draft):
    client.force_login(owner)
    response = client.post(f"/apply/{draft.pk}/documents/", {"kind": "quote"})
    assert response.status_code == 400
    assert 'id="id_file-error">' in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_are_listed_under_their_kind_required_kinds_first_and_missing_ones_flagged(
    client, owner, draft
):
    Program.objects.filter(pk=draft.program_id).update(required_documents=["quote", "business_plan"])
    AttachmentFactory(application=draft, kind="quote", original_name="견적서-A.pdf")
    client.force_login(owner)
    response = client.get(f"/apply/{draft.pk}/documents/")
    kinds = [group["kind"] for group in response.context["documents"]]
    assert kinds[:2] == ["quote", "business_plan"] and len(kinds) == 4
    page = response.content.decode()
    quote = page.split('id="kind-quote"')[1].split("</ul>")[0]
    plan = page.split('id="kind-business_plan"')[1].split("</ul>")[0]
    assert "견적서-A.pdf" in quote and "필수" in quote and "is-error" not in quote
    assert '<li class="is-error">' in plan and "필수 서류입니다. 제출 전에 올려 주세요." in plan


def test_deleting_a_file_asks_first_and_says_what_will_happen(client, owner, draft):
    attachment = AttachmentFactory(application=draft, kind="quote", original_name="견적서-A.pdf")
    client.force_login(owner)
    page = client.get(f"/apply/{draft.pk}/documents/").content.decode()
    delete = re.search(
        rf'<form method="post" action="/apply/{draft.pk}/documents/{attachment.pk}/delete/"[^>]*>', page
    )
    assert delete, "no delete form"
    assert 'data-confirm="‘견적서-A.pdf’ 파일을 지웁니다. 지운 파일은 되살릴 수 없습니다."' in delete.group(0)
    assert 'data-confirm-title="서류를 삭제할까요?"' in delete.group(
        0
    ) and "data-confirm-danger" in delete.group(0)


def test_the_documents_step_runs_a_constant_number_of_queries(
    client, owner, draft, django_assert_num_queries
):
    client.force_login(owner)
    url = f"/apply/{draft.pk}/documents/"
    client.get(url)  # warm the session and content-type caches
    # session, user and the application's own rows; none more for each file
    with django_assert_num_queries(7) as before:
        client.get(url)
    for kind in ("quote", "quote", "business_plan", "financial_statements"):
        AttachmentFactory(application=draft, kind=kind)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert sum(len(group["files"]) for group in response.context["documents"]) == 4


def test_a_submitted_application_has_no_upload_form(client, owner, draft):
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.SUBMITTED)
    client.force_login(owner)
    response = client.get(f"/apply/{draft.pk}/documents/")
    assert response.status_code == 302
