"""The participation-ban pages (SPEC §15.2): the register, the form, lifting; the refusals a ban causes
on the pages (submit, the application's supplier, an approved supplier change); the flags staff see on
the review queue and the application page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applicants.models import Application, ParticipationBan
from applicants.services.bans import ban_lift, ban_record
from program.models import AuditEvent
from projects.models import Agreement, AgreementChange
from projects.services.changes import change_request
from projects.tests.test_changes import make_project
from tests.factories import (
    DECLARATIONS_FORM,
    ApplicationFactory,
    CompanyFactory,
    ParticipationBanFactory,
    ProgramFactory,
    SupplierFactory,
    UserFactory,
    user_with_role,
    valid_business_number,
)

pytestmark = pytest.mark.django_db
S = Application.Status
TODAY = timezone.localdate


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def supplier_ban(supplier, **extra):
    return ParticipationBanFactory(subject_type="supplier", business_number=supplier.business_number, **extra)


# ---- the register


def test_the_register_shows_each_ban(staff_client):
    company = CompanyFactory(name="대성금속")
    ParticipationBanFactory(business_number=company.business_number, reason="허위 완료보고", basis="제31조")
    ParticipationBanFactory(subject_type="supplier", ends_on=None, second_strike=True)

    page = staff_client.get("/staff/bans/").content.decode()

    assert "대성금속" in page and "허위 완료보고" in page and "제31조" in page
    assert company.business_number_display in page
    assert "영구" in page and "2차 위반" in page
    assert page.count('name="note"') == 2 and 'href="/staff/bans/new/"' in page
    assert 'href="/staff/bans/"' in page  # the menu's 참여제한


def test_the_register_searches_by_number_or_name_and_filters_by_state(staff_client):
    named = ParticipationBanFactory(business_number=CompanyFactory(name="한빛정밀").business_number)
    lifted = ParticipationBanFactory(lifted_on=TODAY())
    supplier = SupplierFactory(name="스마트솔루션코리아")
    by_supplier = supplier_ban(supplier)

    def shown(**params):
        return set(staff_client.get("/staff/bans/", params).context["page"].object_list)

    assert shown() == {named, by_supplier}  # 제한 중 by default
    assert shown(state="lifted") == {lifted}
    assert shown(state="all") == {named, lifted, by_supplier}
    assert shown(q="한빛") == {named}
    assert shown(q="솔루션코리아") == {by_supplier}
    number = lifted.business_number
    assert shown(q=f"{number[:3]}-{number[3:5]}-{number[5:]}", state="all") == {lifted}
    assert shown(state="nonsense") == {named, by_supplier}


def test_the_register_takes_the_same_queries_however_long(staff_client, django_assert_num_queries):
    ParticipationBanFactory()
    staff_client.get("/staff/bans/")
    # session, user, the count, the page (names and users joined in), the header's unread count
    with django_assert_num_queries(5):
        staff_client.get("/staff/bans/")
    for _ in range(8):
        supplier_ban(SupplierFactory(), lifted_on=TODAY(), lifted_by=UserFactory())
    with django_assert_num_queries(5):
        response = staff_client.get("/staff/bans/", {"state": "all"})
    assert len(response.context["page"]) == 9


def test_the_ministry_reads_the_register_without_buttons(client):
    ParticipationBanFactory()
    client.force_login(UserFactory(ministry=True))

    page = client.get("/staff/bans/").content.decode()

    assert 'name="note"' not in page and 'href="/staff/bans/new/"' not in page
    assert client.get("/staff/bans/new/").status_code == 200
    assert client.post("/staff/bans/new/", {}).status_code == 403


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "mentor"])
def test_the_pages_are_404_to_other_roles(client, role):
    ban = ParticipationBanFactory()
    client.force_login(user_with_role(role))

    assert client.get("/staff/bans/").status_code == 404
    assert client.get("/staff/bans/new/").status_code == 404
    assert client.post(f"/staff/bans/{ban.pk}/lift/", {"note": "x"}).status_code == 404
    assert ParticipationBan.objects.get().lifted_on is None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/staff/bans/")["Location"].startswith("/accounts/login/")


# ---- recording and lifting


def test_staff_record_a_ban_for_three_years(staff_client):
    number = valid_business_number()
    data = {"subject_type": "company", "business_number": number, "reason": "허위 증빙", "basis": ""}

    response = staff_client.post("/staff/bans/new/", data)

    assert response.status_code == 302 and response["Location"] == "/staff/bans/"
    ban = ParticipationBan.objects.get()
    assert ban.starts_on == TODAY() and ban.ends_on is not None and not ban.second_strike
    again = staff_client.post("/staff/bans/new/", data, follow=True)
    assert "영구 참여제한" in again.content.decode()
    assert ParticipationBan.objects.filter(second_strike=True, ends_on=None).count() == 1


def test_ticking_permanent_or_typing_an_end_says_the_end(staff_client):
    base = {"subject_type": "supplier", "reason": "불법 하도급"}
    staff_client.post(
        "/staff/bans/new/", {**base, "business_number": valid_business_number(), "permanent": "on"}
    )
    staff_client.post(
        "/staff/bans/new/",
        {
            **base,
            "business_number": valid_business_number(),
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )

    assert sorted(ParticipationBan.objects.values_list("ends_on", flat=True), key=str) == [
        datetime.date(2026, 12, 31),
        None,
    ]


def test_a_refused_ban_shows_each_reason_at_its_field(staff_client):
    response = staff_client.post(
        "/staff/bans/new/",
        {
            "subject_type": "company",
            "business_number": "123-45-6789",
            "reason": "허위",
            "ends_on": "2020-01-01",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "사업자등록번호는 숫자 10자리" in page
    assert not ParticipationBan.objects.exists()


def test_staff_lift_a_ban_with_a_note(staff_client, staff):
    ban = ParticipationBanFactory()

    refused = staff_client.post(f"/staff/bans/{ban.pk}/lift/", {"note": " "})
    lifted = staff_client.post(f"/staff/bans/{ban.pk}/lift/", {"note": "처분 취소 판결"})
    again = staff_client.post(f"/staff/bans/{ban.pk}/lift/", {"note": "다시"})

    assert refused.status_code == 400 and "해제 사유를 입력해 주세요" in refused.content.decode()
    assert lifted.status_code == 302
    ban.refresh_from_db()
    assert (ban.lifted_on, ban.lift_note, ban.lifted_by) == (TODAY(), "처분 취소 판결", staff)
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="ban.lift").count() == 1


def test_the_ministry_cannot_lift(client):
    ban = ParticipationBanFactory()
    client.force_login(UserFactory(ministry=True))

    assert client.post(f"/staff/bans/{ban.pk}/lift/", {"note": "해제"}).status_code == 403
    assert ParticipationBan.objects.get().lifted_on is None


# ---- the refusals on the pages


def test_a_banned_company_cannot_submit_from_its_page(client):
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, documents=True)
    ParticipationBanFactory(business_number=owner.company.business_number, ends_on=None)
    client.force_login(owner)

    response = client.post(
        f"/my/applications/{application.pk}/transition/", {"action": "submit", **DECLARATIONS_FORM}
    )

    assert response.status_code == 409
    assert "참여제한 중인 기업은 신청서를 제출할 수 없습니다(영구)" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == S.DRAFT


def test_a_banned_supplier_cannot_be_chosen_on_the_form(client):
    owner = UserFactory(applicant=True)
    program = ProgramFactory()
    draft = ApplicationFactory(company=owner.company, program=program)
    banned = SupplierFactory()
    supplier_ban(banned)
    client.force_login(owner)

    response = client.post(
        f"/apply/{draft.pk}/basics/",
        {"program": program.pk, "level": "basic", "title": "새 제목", "supplier": banned.pk},
    )

    assert response.status_code == 400
    assert "참여제한 중인 공급기업입니다" in response.content.decode()
    draft.refresh_from_db()
    assert draft.supplier is None and draft.title != "새 제목"


def test_a_banned_supplier_change_is_refused_on_the_staff_page(client):
    application, owner, staff = make_project()
    today = TODAY()
    Agreement.objects.filter(application=application).update(
        starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=120)
    )
    new = SupplierFactory()
    change = change_request(
        actor=owner, application=application, kind="supplier", cause_on=today, reason="부도", new_supplier=new
    )
    supplier_ban(new)
    client.force_login(staff)

    response = client.post(f"/staff/applications/{application.pk}/changes/{change.pk}/approve/", {"note": ""})

    assert response.status_code == 400 and "참여제한 중인 공급기업입니다" in response.content.decode()
    assert AgreementChange.objects.get().status == "pending"


# ---- the flags


def test_the_queue_flags_live_applications_whose_supplier_is_banned(staff_client):
    banned = SupplierFactory()
    supplier_ban(banned)
    flagged = ApplicationFactory(submitted=True, supplier=banned, title="플래그 과제")
    ended = ApplicationFactory(status=S.REJECTED, supplier=banned, submitted_at=timezone.now())
    clean = ApplicationFactory(submitted=True, supplier=SupplierFactory())

    response = staff_client.get("/staff/applications/", {"status": ["submitted", "rejected"]})

    rows = {application: application.supplier_flag for application in response.context["page"]}
    assert rows == {flagged: True, ended: False, clean: False}
    assert response.content.decode().count("참여제한 공급기업") == 1


def test_the_queue_keeps_its_queries_with_flags(staff_client, django_assert_num_queries):
    banned = SupplierFactory()
    supplier_ban(banned)
    ApplicationFactory.create_batch(5, submitted=True, supplier=banned)
    # session, user, programs for the filter, count, page (the flag a subquery of the page's query)
    with django_assert_num_queries(6):
        response = staff_client.get("/staff/applications/")
    assert all(application.supplier_flag for application in response.context["page"])


def test_the_application_page_warns_of_a_banned_supplier(staff_client):
    banned = SupplierFactory(name="불량솔루션")
    ban = supplier_ban(banned, reason="세금계산서 역발행")
    application = ApplicationFactory(submitted=True, supplier=banned)

    page = staff_client.get(f"/staff/applications/{application.pk}/").content.decode()

    assert "불량솔루션은(는) 참여제한 중인 공급기업입니다" in page and "세금계산서 역발행" in page
    assert ban.ends_on.strftime("%Y") in page
    ban.lifted_on = TODAY()
    ban.save()
    assert (
        "참여제한 중인 공급기업"
        not in staff_client.get(f"/staff/applications/{application.pk}/").content.decode()
    )


def test_the_warning_costs_the_page_one_query_banned_or_not(staff_client, django_assert_num_queries):
    supplier = SupplierFactory()
    application = ApplicationFactory(submitted=True, supplier=supplier)
    url = f"/staff/applications/{application.pk}/"
    staff_client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as clean:
        staff_client.get(url)
    supplier_ban(supplier)
    with django_assert_num_queries(len(clean.captured_queries)):
        page = staff_client.get(url).content.decode()
    assert "참여제한 중인 공급기업입니다" in page
    # the supplier's ban in the application's query; the company's in the support history panel (§15.4)
    assert sum("applicants_participationban" in q["sql"] for q in clean.captured_queries) == 2


def test_the_audit_trail_names_ban_events(staff_client, staff):
    ban = ban_record(
        actor=staff, subject_type="company", business_number=valid_business_number(), reason="담합"
    )
    ban_lift(actor=staff, ban=ban, note="취소")

    page = staff_client.get("/staff/audit/")

    assert page.status_code == 200
    assert "참여제한 등록" in page.content.decode() and "참여제한 해제" in page.content.decode()
