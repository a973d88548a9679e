"""The program's agreement periods (SPEC §16): build_months and max_extension_months on the program
form and in the program API, with their limits."""

import pytest

from program.models import Program
from program.tests.test_staff_views import form_data
from tests.factories import ProgramFactory, api_client

pytestmark = pytest.mark.django_db


def test_staff_set_the_periods_on_the_form(client, staff):
    client.force_login(staff)

    response = client.post(
        "/staff/programs/new/", form_data(agency=staff.agency_id, build_months=8, max_extension_months=2)
    )

    assert response.status_code == 302, response.context["form"].errors
    program = Program.objects.get(title="2022 유형1")
    assert (program.build_months, program.max_extension_months) == (8, 2)


def test_left_out_the_periods_keep_their_defaults(client, staff):
    client.force_login(staff)

    client.post("/staff/programs/new/", form_data(agency=staff.agency_id))

    program = Program.objects.get(title="2022 유형1")
    assert (program.build_months, program.max_extension_months) == (6, 3)


@pytest.mark.parametrize(
    ("field", "value"), [("build_months", 0), ("build_months", 25), ("max_extension_months", 13)]
)
def test_periods_out_of_range_are_refused_at_the_field(client, staff, field, value):
    client.force_login(staff)

    response = client.post("/staff/programs/new/", form_data(agency=staff.agency_id, **{field: value}))

    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    assert not Program.objects.filter(title="2022 유형1").exists()


def test_the_api_reads_and_writes_the_periods(staff):
    program = ProgramFactory(agency=staff.agency, status="draft")
    client = api_client(staff)

    assert client.get(f"/api/v1/programs/{program.pk}/").data["build_months"] == 6
    response = client.patch(f"/api/v1/programs/{program.pk}/", {"max_extension_months": 13}, format="json")
    assert response.status_code == 400 and "max_extension_months" in response.data
    response = client.patch(f"/api/v1/programs/{program.pk}/", {"max_extension_months": 0}, format="json")
    assert response.status_code == 200 and response.data["max_extension_months"] == 0
