"""A company's details after registration (issue 13 item 4): once it has an application past draft its
business number is fixed; every other change is audited before → after and shown to staff."""

import pytest
from rest_framework.test import APIClient

from applicants.models import Application, Company
from program.models import AuditEvent
from tests.factories import ApplicationFactory, UserFactory, valid_business_number

pytestmark = pytest.mark.django_db
FIXED = "신청서를 제출한 기업의 사업자등록번호는 바꿀 수 없습니다. 사업담당자에게 문의해 주세요."


def patch(user, company, body):
    client = APIClient()
    client.force_authenticate(user)
    return client.patch(f"/api/v1/companies/{company.pk}/", body, format="json")


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.mark.parametrize("status", ["submitted", "evaluation", "agreement", "withdrawn"])
def test_the_business_number_is_fixed_once_an_application_is_past_draft(owner, status):
    ApplicationFactory(company=owner.company, status=status)
    number = owner.company.business_number

    response = patch(owner, owner.company, {"business_number": valid_business_number(), "name": "새이름"})

    assert response.status_code == 400
    assert response.json()["business_number"] == [FIXED]
    company = Company.objects.get(pk=owner.company_id)
    assert (company.business_number, company.name) == (number, owner.company.name)
    assert not AuditEvent.objects.filter(action="company.update").exists()


def test_with_drafts_only_the_business_number_may_still_be_corrected_and_is_audited(owner):
    ApplicationFactory(company=owner.company)
    old, new = owner.company.business_number, valid_business_number()

    response = patch(owner, owner.company, {"business_number": new})

    assert response.status_code == 200, response.json()
    assert Company.objects.get(pk=owner.company_id).business_number == new
    event = AuditEvent.objects.get(action="company.update")
    assert (event.before, event.after, event.actor) == (
        {"business_number": old},
        {"business_number": new},
        owner,
    )


def test_other_changes_mid_process_are_audited_and_staff_see_them_on_the_application(owner, staff, client):
    application = ApplicationFactory(company=owner.company, status=Application.Status.EVALUATION)
    company = owner.company

    response = patch(
        owner,
        company,
        {
            "name": "바뀐정밀",
            "employees": 300,
            "is_sponsor_partner": True,
            "business_number": company.business_number,
        },
    )

    assert response.status_code == 200, response.json()
    event = AuditEvent.objects.get(action="company.update")
    assert event.actor == owner
    assert event.before == {"name": company.name, "employees": 40, "is_sponsor_partner": False}
    assert event.after == {"name": "바뀐정밀", "employees": 300, "is_sponsor_partner": True}

    client.force_login(staff)
    page = client.get(f"/staff/applications/{application.pk}/").content.decode()
    panel = page.split("기업정보 변경 이력")[1].split("</section>")[0]
    assert f"{company.name} → 바뀐정밀" in panel
    assert "40 → 300" in panel
    assert owner.username in panel or str(owner) in panel


def test_an_unchanged_patch_records_nothing(owner):
    ApplicationFactory(company=owner.company, status=Application.Status.EVALUATION)

    response = patch(owner, owner.company, {"name": owner.company.name})

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="company.update").exists()


def test_the_company_form_cannot_change_a_registered_company(owner, client):
    ApplicationFactory(company=owner.company, status=Application.Status.EVALUATION)
    client.force_login(owner)
    number = owner.company.business_number

    response = client.post("/apply/company/", {"business_number": valid_business_number(), "name": "딴이름"})

    assert response.status_code == 302
    company = Company.objects.get(pk=owner.company_id)
    assert (company.business_number, company.name) == (number, owner.company.name)
