"""Codes and numbers typed by users are ASCII digits only (issue 13 item 7): Python's isdigit() and
int() take '²', '①' and other scripts' digits, which ended in a 500 or were stored."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from applicants.models import Company
from applicants.tests.test_api import company_body
from applicants.validators import validate_ksic_manufacturing
from config.numbers import parse_whole_number
from tests.factories import CompanyFactory, UserFactory

UNICODE_CODES = ["①2345", "²0000", "10①23", "１０１２３", "١٠١٢٣", "2629\n"]


@pytest.mark.parametrize("code", UNICODE_CODES)
def test_an_industry_code_in_other_digits_is_refused(code):
    with pytest.raises(ValidationError, match="업종코드는"):
        validate_ksic_manufacturing(code)


def test_an_ascii_industry_code_passes():
    validate_ksic_manufacturing("26299")


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["①2345", "²0000", "10①23"])
def test_the_api_answers_400_and_stores_nothing(code):
    client = APIClient()
    client.force_authenticate(UserFactory(role="applicant"))
    response = client.post("/api/v1/companies/", company_body(industry_code=code), format="json")
    assert response.status_code == 400
    assert "업종코드는" in str(response.json()["industry_code"])
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_a_company_cannot_be_changed_to_a_unicode_industry_code():
    user = UserFactory(role="applicant")
    company = CompanyFactory(industry_code="26299")
    user.company = company
    user.save()
    client = APIClient()
    client.force_authenticate(user)
    response = client.patch(f"/api/v1/companies/{company.pk}/", {"industry_code": "10①23"}, format="json")
    assert response.status_code == 400
    company.refresh_from_db()
    assert company.industry_code == "26299"


@pytest.mark.parametrize(
    ("raw", "signed", "number"),
    [("12", False, 12), (" 7 ", False, 7), ("-5", True, -5), ("-5", False, None), ("--5", True, None),
     ("²", False, None), ("①", False, None), ("١٢", False, None), ("", False, None), ("1e3", False, None),
     ("9" * 18, False, 10**18 - 1), ("9" * 19, False, None), ("9" * 5000, True, None)],
)  # fmt: skip
def test_parse_whole_number_takes_ascii_digits_only(raw, signed, number):
    assert parse_whole_number(raw, signed=signed) == number


HUGE = "9" * 5_000  # int() refuses more than 4,300 digits with a ValueError


@pytest.mark.django_db
def test_an_id_of_thousands_of_digits_is_a_400_not_a_500(staff):
    from tests.factories import EvaluatorAssignmentFactory

    client = APIClient()
    client.force_authenticate(staff)
    assert client.get("/api/v1/mentors/suggestions/", {"application": HUGE}).status_code == 400
    body = {"application": HUGE, "mentor": 1}
    assert client.post("/api/v1/mentoring-assignments/", body, format="json").status_code == 400
    assignment = EvaluatorAssignmentFactory()
    client.force_authenticate(assignment.evaluator)
    assert client.post("/api/v1/evaluations/", {"application": HUGE}, format="json").status_code == 400


@pytest.mark.parametrize("typed", ["①50,000,000", "١٥٠٠٠", "²", HUGE, "9" * 19])
def test_a_krw_amount_in_other_digits_or_too_long_is_a_field_error(typed):
    from applicants.forms import KrwField

    with pytest.raises(ValidationError, match="원 단위 숫자로"):
        KrwField().clean(typed)


def test_a_krw_amount_is_read_as_people_type_it():
    from applicants.forms import KrwField

    assert KrwField().clean("150,000,000원") == 150_000_000
