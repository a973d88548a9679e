"""The whole application in a real browser (issue 3 item 10, 11).

An SME signs up (confirming from the mailed link), registers its company, saves a draft, watches the
split as it types the total, uploads a document and submits; staff screen and assign evaluators;
evaluators score; staff select; the SME sees the result. axe-core checks the SME form, the staff
queue and the detail page.
"""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application, Attachment
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import ProgramFactory, UserFactory, fund_program, valid_business_number

pytestmark = [pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def program():
    program = ProgramFactory(
        title="2026 LS ELECTRIC 상생형 스마트공장", gov_ratio=30, sponsor_ratio=30, sme_ratio=40
    )
    fund_program(program, sponsor=500_000_000, government=500_000_000)
    return program


def sme_registers_and_submits(page, program) -> Application:
    page.goto("/apply/")
    expect(page).to_have_url(re.compile(r"/apply/signup/$"))
    assert_accessible(page)
    page.get_by_label("사용자 이름").fill("hanbit")
    page.locator("#id_first_name").fill("김한빛")
    page.get_by_label("이메일").fill("kim@hanbit.example")
    page.locator("#id_password1").fill("sturdy-gear-2026")
    page.get_by_label("비밀번호 확인").fill("sturdy-gear-2026")
    # 개인정보 수집·이용 동의 (SPEC §20): its own box, not ticked in advance; the optional one left empty.
    expect(page.get_by_role("heading", name="개인정보 수집·이용 동의")).to_be_visible()
    # KRDS draws the box on the label, which takes the click.
    privacy = page.get_by_label("위 개인정보 수집·이용에 동의합니다(필수)")
    expect(privacy).not_to_be_checked()
    page.locator("label[for=id_privacy]").click()
    expect(privacy).to_be_checked()
    page.get_by_role("button", name="가입하기").click()

    # The page says only that mail was sent; the account is confirmed from the mailed link.
    expect(page).to_have_url(re.compile(r"/apply/signup/sent/$"))
    expect(page.get_by_role("heading", name="확인 메일을 보냈습니다")).to_be_visible()
    assert_accessible(page)
    (message,) = [m for m in mail.outbox if m.to == ["kim@hanbit.example"]]
    page.goto(re.search(r"https?://\S+/apply/signup/activate/\S+/", message.body).group(0))
    page.get_by_role("button", name="가입 완료").click()

    expect(page).to_have_url(re.compile(r"/apply/company/$"))
    number = valid_business_number()
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    page.get_by_label("사업자등록번호").fill(wrong)
    page.get_by_label("기업명").fill("한빛정밀")
    page.get_by_label("대표자").fill("김한빛")
    page.get_by_label("지역").select_option("경북")
    page.get_by_label("업종코드(KSIC)").fill("29199")
    page.get_by_label("상시근로자 수").fill("42")
    page.get_by_label("연매출액(원)").fill("3,500,000,000")
    page.get_by_label("설립일").fill("2009-03-02")
    page.get_by_role("button", name="기업 등록").click()
    field = page.get_by_label("사업자등록번호")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_business_number-error")).to_have_text(
        "유효하지 않은 사업자등록번호입니다. 번호를 다시 확인해 주세요."
    )
    expect(page.get_by_label("기업명")).to_have_value("한빛정밀")  # nothing typed is lost
    assert_accessible(page)
    shot(page, "apply-company-error")
    field.fill(f"{number[:3]}-{number[3:5]}-{number[5:]}")
    page.get_by_role("button", name="기업 등록").click()

    expect(page).to_have_url(re.compile(r"/apply/$"))
    page.get_by_role("link", name=re.compile("신청서 작성")).first.click()
    page.get_by_label("지원 수준").select_option("basic")
    page.get_by_label("과제명").fill("MES 도입으로 사출 공정 실시간 관리")
    assert_accessible(page)
    page.get_by_role("button", name="임시저장").click()
    expect(page.locator(".messages")).to_contain_text("임시저장했습니다.")
    application = Application.objects.get(company__business_number=number)
    assert application.status == Application.Status.DRAFT

    page.get_by_role("link", name=re.compile("사업계획·사업비")).click()
    page.get_by_label("사업계획").fill("사출 12대의 가동 정보를 MES로 모아 불량을 줄입니다.")
    page.get_by_label("총사업비(원, 부가세 제외)").press_sequentially("150000000")
    preview = page.locator("#preview-result")
    # an API round trip after the typing stops: on a loaded machine (the whole suite on 2 cores) it waits
    expect(preview.locator("[data-part=government]")).to_have_text("45,000,000원", timeout=20_000)
    expect(preview.locator("[data-part=sponsor]")).to_have_text("45,000,000원")
    expect(preview.locator("[data-part=sme]")).to_have_text("60,000,000원")
    assert_accessible(page)
    shot(page, "apply-plan-preview")
    page.get_by_role("button", name="저장하고 다음").click()

    expect(page).to_have_url(re.compile(rf"/apply/{application.pk}/documents/$"))
    page.get_by_label("서류 종류").select_option("business_plan")
    page.get_by_label("파일").set_input_files(
        files=[{"name": "사업계획서.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="올리기").click()
    expect(page.get_by_role("link", name="사업계획서.pdf")).to_be_visible()
    page.get_by_label("파일").set_input_files(
        files=[{"name": "견적서.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}]
    )
    page.get_by_role("button", name="올리기").click()
    expect(page.locator("#id_file-error")).to_contain_text("파일 내용이 확장자(.pdf)와 맞지 않습니다")
    assert_accessible(page)
    shot(page, "apply-documents")
    assert Attachment.objects.filter(application=application).count() == 1

    page.get_by_role("link", name="다음: 검토·제출").click()
    missing = page.locator("#missing-documents")  # the program requires all four: no submit button yet
    expect(missing).to_contain_text("사업자등록증")
    expect(page.get_by_role("button", name="제출하기")).to_have_count(0)
    assert_accessible(page)
    missing.get_by_role("link", name="서류 올리기").click()
    for kind, name in (
        ("business_registration", "사업자등록증.pdf"),
        ("financial_statements", "재무제표.pdf"),
        ("quote", "견적서.pdf"),
    ):
        page.get_by_label("서류 종류").select_option(kind)
        page.get_by_label("파일").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="올리기").click()
        expect(page.get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("link", name="다음: 검토·제출").click()
    expect(page.get_by_role("button", name="제출하기")).to_be_visible()  # the page has loaded
    assert_accessible(page)
    shot(page, "apply-review")
    # The four declarations (SPEC §15.1): unticked, submitting is refused next to them and nothing is lost.
    # KRDS draws the box on the label, which takes the click.
    declarations, labels = (
        page.locator("#declarations input[type=checkbox]"),
        page.locator("#declarations label"),
    )
    expect(declarations).to_have_count(4)
    labels.first.click()
    page.get_by_role("button", name="제출하기").click()
    page.get_by_role("dialog", name="신청서를 제출할까요?").get_by_role(
        "button", name="제출", exact=True
    ).click()
    expect(page.locator("#declarations .field-error")).to_have_count(3)
    expect(declarations.first).to_be_checked()
    for index in range(1, 4):
        labels.nth(index).click()
        expect(declarations.nth(index)).to_be_checked()
    page.get_by_role("button", name="제출하기").click()
    dialog = page.get_by_role("dialog", name="신청서를 제출할까요?")  # static/js/confirm.js
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="제출", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/my/applications/{application.pk}/$"))
    expect(page.locator(".status")).to_have_text("접수")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    return application


def test_an_sme_applies_staff_and_evaluators_decide_and_the_sme_sees_the_result(
    new_page, program, eager_tasks
):
    staff = UserFactory(role=Role.STAFF, username="officer")
    evaluators = [UserFactory(role=Role.EVALUATOR, username=f"judge{i}") for i in range(3)]

    sme = new_page()
    application = sme_registers_and_submits(sme, program)

    office = new_page()
    login(office, staff.username)
    office.goto("/staff/applications/?status=submitted")
    assert_accessible(office)
    shot(office, "staff-queue")
    office.get_by_role("link", name=application.title).click()
    assert_accessible(office)
    for action in ("요건검토 시작", "선정평가 시작"):  # each asks first (static/js/confirm.js)
        office.get_by_role("button", name=action).click()
        office.get_by_role("dialog").get_by_role("button", name=action).click()
    expect(office.locator(".status").first).to_have_text("선정평가")
    office.get_by_role("tab", name="평가").click()  # the committee is on its tab
    for evaluator in evaluators:
        office.get_by_label("평가위원 배정").select_option(evaluator.username)
        office.get_by_role("button", name="배정", exact=True).click()
        expect(office.locator(".messages")).to_contain_text("평가위원을 배정했습니다.")
    assert_accessible(office)
    shot(office, "staff-detail-evaluation")

    for points, evaluator in zip((80, 90, 85), evaluators, strict=True):
        judge = new_page()
        login(judge, evaluator.username)
        judge.goto("/evaluations/")
        judge.get_by_role("link", name=application.title).click()
        judge.get_by_label("이해충돌 없음").check()
        inputs = judge.locator("input[type=number][name^=score_]")
        maxima = [int(inputs.nth(i).get_attribute("max")) for i in range(inputs.count())]
        remaining = points
        for i, top in enumerate(maxima):
            give = min(top, remaining) if i < len(maxima) - 1 else remaining
            inputs.nth(i).fill(str(give))
            remaining -= give
        judge.get_by_label("평가의견").fill("실행 계획이 구체적임")
        judge.get_by_role("button", name="저장").click()
        expect(judge.get_by_text(f"현재 총점: {points}")).to_be_visible()

    application.refresh_from_db()
    assert application.score == 85  # mean of 80, 90, 85 (fewer than 5: nothing dropped)

    office.goto(f"/staff/programs/{program.pk}/ranking/")
    expect(office.get_by_role("link", name=application.title)).to_be_visible()
    shot(office, "staff-ranking")
    office.goto(f"/staff/applications/{application.pk}/")
    office.get_by_role("button", name="선정", exact=True).click()
    dialog = office.get_by_role("dialog", name="선정할까요?")  # static/js/confirm.js
    expect(dialog).to_contain_text("약정됩니다")
    dialog.get_by_role("button", name="선정", exact=True).click()
    expect(office.locator(".status").first).to_have_text("선정")

    sme.goto("/my/")
    row = sme.get_by_role("row", name=re.compile(application.title))
    expect(row).to_contain_text("선정")
    expect(row).to_contain_text("60,000,000원")  # the SME's 40 % of 150,000,000
    assert_accessible(sme)
    shot(sme, "my-selected")
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED


def test_typed_input_survives_a_reload_before_saving(new_page, program):
    owner = UserFactory(applicant=True)
    application = Application.objects.create(
        program=program, company=owner.company, level="basic", title="초안", created_by=owner
    )
    page = new_page()
    login(page, owner.username)
    page.goto(f"/apply/{application.pk}/plan/")
    page.get_by_label("사업계획").fill("아직 저장하지 않은 계획")
    page.get_by_label("총사업비(원, 부가세 제외)").fill("120,000,000")
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("저장하지 않은 입력을 복원했습니다.")
    expect(page.get_by_label("사업계획")).to_have_value("아직 저장하지 않은 계획")
    expect(page.get_by_label("총사업비(원, 부가세 제외)")).to_have_value("120,000,000")
    page.get_by_role("button", name="임시저장").click()
    expect(page.locator(".messages")).to_contain_text("임시저장했습니다.")
    application.refresh_from_db()
    assert (application.plan, application.total_cost) == ("아직 저장하지 않은 계획", 120_000_000)
    page.reload()
    expect(page.get_by_role("status")).to_have_count(0)  # saved: nothing left to restore


def test_the_pages_switch_to_english(new_page, program):
    with translation.override("en"):
        heading = gettext("상생형 스마트공장 사업 공고")
    assert heading != "상생형 스마트공장 사업 공고", "no English catalogue"
    page = new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="변경").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text(heading)
    assert_accessible(page)
    shot(page, "home-en")
