"""Program set-up (issue 17 item 7): the rubric builder, the required documents and "이전 사업 복사"."""

import datetime

import pytest
from django.core.files.base import ContentFile

from funds.models import LedgerEntry
from program import announcements
from program.audit import object_particle
from program.models import AuditEvent, Program
from program.tests.test_staff_views import form_data
from tests.factories import AgencyFactory, ProgramFactory, UserFactory, fund_program, rubric_form_data

pytestmark = pytest.mark.django_db

TWO_ROWS = [{"label": "계획", "max_points": 60}, {"label": "효과", "max_points": 40}]


def rubric_only(rows, **more):
    """The form's data with the rubric builder holding `rows` instead."""
    data = {key: value for key, value in form_data().items() if not key.startswith("rubric-")}
    return {**data, **rubric_form_data(rows), **more}


def test_the_builder_shows_the_rubric_as_rows_with_its_total(client, staff):
    program = ProgramFactory(agency=staff.agency)
    client.force_login(staff)
    page = client.get(f"/staff/programs/{program.pk}/").content.decode()
    assert 'name="rubric-0-label"' in page and 'value="사업계획 적정성"' in page
    assert (
        'name="rubric-3-max_points"' in page and 'name="rubric-4-label"' in page
    )  # a blank row, without script
    assert "<template data-rubric-template>" in page and "rubric-__prefix__-label" in page
    assert '<output data-rubric-total aria-live="polite" for="rubric">100</output>' in page
    assert 'name="rubric"' not in page  # no raw JSON any more


def test_a_new_program_starts_from_the_default_rubric(client, staff):
    client.force_login(staff)
    page = client.get("/staff/programs/new/").content.decode()
    assert 'value="상생협력"' in page and ">100</output>" in page


def test_staff_save_rows_in_their_order_with_keys_kept_and_made(client, staff):
    program = ProgramFactory(agency=staff.agency)
    client.force_login(staff)
    data = rubric_only(
        [
            {"key": "plan", "label": "사업계획", "max_points": 50},
            {"label": "스마트화 수준", "max_points": 50},
        ],
        title=program.title,
        sponsor=program.sponsor_id,
        agency=program.agency_id,
    )
    data["rubric-0-ORDER"], data["rubric-1-ORDER"] = 2, 1  # moved up
    assert client.post(f"/staff/programs/{program.pk}/", data).status_code == 302
    program.refresh_from_db()
    assert program.rubric == [
        {"key": "item1", "label": "스마트화 수준", "max_points": 50},
        {"key": "plan", "label": "사업계획", "max_points": 50},
    ]
    event = AuditEvent.objects.get(action="program.update", object_id=program.pk)
    assert "rubric" in event.after


def test_a_row_marked_deleted_and_blank_rows_are_left_out(client, staff):
    client.force_login(staff)
    data = rubric_only([*TWO_ROWS, {"label": "삭제할 항목", "max_points": 10}])
    data["rubric-2-DELETE"] = "on"
    data["rubric-TOTAL_FORMS"] = 5  # two blank rows after
    assert client.post("/staff/programs/new/", data).status_code == 302
    assert [item["label"] for item in Program.objects.get().rubric] == ["계획", "효과"]


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        ([{"label": "계획", "max_points": 60}, {"label": "효과", "max_points": 30}], "rubric-error", "90점"),
        (
            [{"label": "계획", "max_points": 60}, {"label": "계획", "max_points": 40}],
            "id_rubric-1-label-error",
            "같은 이름",
        ),
        (
            [{"label": "계획", "max_points": 100}, {"label": "", "max_points": 0}],
            "id_rubric-1-label-error",
            "필수",
        ),
        (
            [{"label": "계획", "max_points": 100}, {"label": "효과", "max_points": 0}],
            "id_rubric-1-max_points-error",
            "1점 이상",
        ),
        ([{"label": "계획", "max_points": "열"}], "id_rubric-0-max_points-error", "정수"),
        ([], "rubric-error", "하나 이상"),
    ],
)
def test_a_bad_rubric_is_refused_at_its_row_with_the_form_kept(client, staff, rows, where, message):
    client.force_login(staff)
    response = client.post("/staff/programs/new/", rubric_only(rows, title="남길 제목"))
    assert response.status_code == 400
    page = response.content.decode()
    error = page[page.index(f'id="{where}"') :]
    assert message in error[: error.index("</p>")]
    assert 'value="남길 제목"' in page  # the form kept
    assert not Program.objects.exists()


def test_the_total_shown_after_an_error_is_the_rows_as_typed(client, staff):
    client.force_login(staff)
    response = client.post("/staff/programs/new/", rubric_only([{"label": "계획", "max_points": 70}]))
    assert ">70</output>" in response.content.decode()


def test_required_documents_are_a_list_of_kinds_with_a_box_each(client, staff):
    client.force_login(staff)
    page = client.get("/staff/programs/new/").content.decode()
    assert page.count('name="required_documents"') == 4 and "제출 전 필수" in page
    assert (
        client.post("/staff/programs/new/", rubric_only(TWO_ROWS, required_documents=["quote"])).status_code
        == 302
    )
    assert Program.objects.get().required_documents == ["quote"]


def test_the_edit_page_runs_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    program = ProgramFactory(agency=staff.agency)
    client.force_login(staff)
    # the program and its rubric, documents, FAQ and files; the header's unread count
    with django_assert_max_num_queries(9):
        client.get(f"/staff/programs/{program.pk}/")


# ---- 이전 사업 복사


@pytest.fixture
def last_year(staff):
    program = ProgramFactory(
        agency=staff.agency,
        year=2025,
        title="2025 삼성 상생형",
        track="유형1",
        description="안내문",
        gov_ratio=40,
        sponsor_ratio=20,
        sme_ratio=40,
        gov_cap_basic=42_000_000,
        gov_budget=1_000_000_000,
        rubric=[
            {"key": "plan", "label": "계획", "max_points": 70},
            {"key": "fit", "label": "적합성", "max_points": 30},
        ],
        required_documents=["quote", "business_plan"],
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date(2025, 4, 30),
        status=Program.Status.CLOSED,
    )
    fund_program(program, government=1_000_000_000)
    return program


def as_submitted(response, **overrides) -> dict:
    """What the browser posts back from the form a page shows (the program form and the rubric
    builder as they were filled), with `overrides` typed in."""
    form, rubric = response.context["form"], response.context["rubric"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    management = rubric.management_form
    data |= {management.add_prefix(name): management[name].value() for name in management.fields}
    for row in rubric.forms:
        for name in row.fields:
            value = row[name].value()
            if value not in (None, False):
                data[row.add_prefix(name)] = value
    return {**data, **overrides}


def test_copy_opens_the_new_program_form_filled_for_next_year_with_empty_dates(
    client, staff, last_year, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(f"/staff/programs/{last_year.pk}/copy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "날짜는 새로 입력해 주세요" in page
    assert 'value="2026 삼성 상생형"' in page and 'name="year" value="2026"' in page
    assert 'value="적합성"' in page and 'value="70"' in page  # the rubric's rows
    assert 'name="opens_on" value=' not in page and 'name="closes_on" value=' not in page
    form = response.context["form"]
    assert form["sponsor"].value() == last_year.sponsor_id and form["status"].value() == "draft"
    assert form["required_documents"].value() == ["quote", "business_plan"]
    assert Program.objects.count() == 1  # nothing made by opening the form


def test_the_copy_is_made_only_when_submitted_with_its_dates(client, staff, last_year):
    client.force_login(staff)
    form_page = client.get(f"/staff/programs/{last_year.pk}/copy/")
    response = client.post(
        f"/staff/programs/{last_year.pk}/copy/",
        as_submitted(form_page, opens_on="2026-03-02", closes_on="2026-04-30"),
    )
    assert response.status_code == 302 and response["Location"] == "/staff/programs/"
    copy = Program.objects.exclude(pk=last_year.pk).get()
    assert (copy.year, copy.title, copy.status) == (2026, "2026 삼성 상생형", Program.Status.DRAFT)
    same = ["sponsor_id", "agency_id", "track", "description", "gov_ratio", "sponsor_ratio", "sme_ratio"]
    same += ["gov_cap_basic", "gov_budget", "rubric", "required_documents", "rounding_unit", "cap_excess_to"]
    assert [getattr(copy, name) for name in same] == [getattr(last_year, name) for name in same]
    assert (copy.opens_on, copy.closes_on) == (datetime.date(2026, 3, 2), datetime.date(2026, 4, 30))
    created = AuditEvent.objects.get(action="program.create", object_id=copy.pk)
    assert created.actor == staff and created.after["opens_on"] == "2026-03-02"
    # the new program's government pot follows its matching budget, as for any new program
    assert LedgerEntry.objects.filter(program=copy, pot="government").exists()


def test_the_copy_carries_the_announcements_faq_and_files(client, staff, last_year):
    """SPEC §19: the 공고's FAQ and its files come along (stored again for the new program)."""
    last_year.faqs.create(question="자부담은?", answer="40 %입니다.", order=1)
    last_year.faqs.create(question="연장은?", answer="3개월까지.", order=2)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    announcements.program_file_add(
        actor=staff,
        program=last_year,
        kind="notice",
        title="공고문",
        upload=ContentFile(pdf, name="공고문.pdf"),
    )
    client.force_login(staff)
    form_page = client.get(f"/staff/programs/{last_year.pk}/copy/")
    assert "자주 묻는 질문 2건과 첨부파일 1건도" in form_page.content.decode()
    client.post(
        f"/staff/programs/{last_year.pk}/copy/",
        as_submitted(form_page, opens_on="2026-03-02", closes_on="2026-04-30"),
    )
    copy = Program.objects.exclude(pk=last_year.pk).get()
    assert list(copy.faqs.values_list("question", "answer")) == [
        ("자부담은?", "40 %입니다."),
        ("연장은?", "3개월까지."),
    ]
    copied, original = copy.files.get(), last_year.files.get()
    assert (copied.title, copied.original_name, copied.kind) == ("공고문", "공고문.pdf", "notice")
    assert copied.file.name != original.file.name and copied.file.read() == pdf
    assert AuditEvent.objects.filter(action="program.file_add", object_id=copy.pk).exists()


def test_a_copy_without_dates_is_refused_at_the_fields_and_the_form_kept(client, staff, last_year):
    client.force_login(staff)
    form_page = client.get(f"/staff/programs/{last_year.pk}/copy/")
    response = client.post(f"/staff/programs/{last_year.pk}/copy/", as_submitted(form_page, track="유형2"))
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"opens_on", "closes_on"}
    page = response.content.decode()
    assert 'id="id_opens_on-error"' in page
    assert 'value="유형2"' in page and "날짜는 새로 입력해 주세요" in page  # what was typed is kept
    assert Program.objects.count() == 1 and not AuditEvent.objects.filter(action="program.create").exists()


def test_a_copy_with_a_taken_title_is_refused_at_the_title(client, staff, last_year):
    client.force_login(staff)
    form_page = client.get(f"/staff/programs/{last_year.pk}/copy/")
    data = as_submitted(form_page, opens_on="2026-03-02", closes_on="2026-04-30")
    assert client.post(f"/staff/programs/{last_year.pk}/copy/", data).status_code == 302
    again = client.post(f"/staff/programs/{last_year.pk}/copy/", data)
    assert again.status_code == 400 and list(again.context["form"].errors) == ["title"]
    assert Program.objects.filter(year=2026).count() == 1


def test_the_lists_one_button_form_opens_the_copy_form(client, staff, last_year):
    client.force_login(staff)
    response = client.post(f"/staff/programs/{last_year.pk}/copy/")
    assert response.status_code == 302 and response["Location"] == f"/staff/programs/{last_year.pk}/copy/"
    assert Program.objects.count() == 1


def test_the_list_and_the_form_offer_the_copy(client, staff, last_year):
    client.force_login(staff)
    url = f"/staff/programs/{last_year.pk}/copy/"
    assert url in client.get("/staff/programs/").content.decode()
    assert f'href="{url}"' in client.get(f"/staff/programs/{last_year.pk}/").content.decode()


def test_only_the_programs_agency_staff_may_copy(client, last_year):
    other = UserFactory(role="staff", agency=AgencyFactory(name="중소기업중앙회"))
    client.force_login(other)
    assert client.get(f"/staff/programs/{last_year.pk}/copy/").status_code == 404
    assert client.post(f"/staff/programs/{last_year.pk}/copy/").status_code == 404
    client.force_login(UserFactory(role="ministry"))
    assert client.get(f"/staff/programs/{last_year.pk}/copy/").status_code == 403
    assert client.post(f"/staff/programs/{last_year.pk}/copy/").status_code == 403
    assert 'copy/"' not in client.get("/staff/programs/").content.decode()
    assert Program.objects.count() == 1


@pytest.mark.parametrize(
    ("words", "particle"), [("신청서", "를"), ("사업", "을"), ("「라인 · 정밀7」", "을"), ("ABC", "을(를)")]
)
def test_the_sentence_takes_the_right_particle(words, particle):
    assert object_particle(words) == particle
