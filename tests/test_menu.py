"""base.html's menu: each role sees its own links (accounts.context_processors.roles)."""

import pytest
from django.urls import reverse

from tests.factories import MentorFactory, user_with_role

pytestmark = pytest.mark.django_db

MENUS = {
    "staff": {
        "applicants:staff-queue",
        "program:staff-programs",
        "reports:sponsor-home",
        "mentoring:staff-overview",
        "reports:reports",
        "program:staff-audit",
        "applicants:bans",  # 참여제한 (SPEC §15.2), part C
        "imports:list",  # 자료 가져오기 (SPEC §15.5), issue 21 part C
    },
    "sponsor": {"reports:sponsor-home", "reports:reports"},
    # The ministry reads every staff page (docs/domain.md §1): the staff menu.
    "ministry": {
        "applicants:staff-queue",
        "program:staff-programs",
        "reports:sponsor-home",
        "mentoring:staff-overview",
        "reports:reports",
        "program:staff-audit",
        "applicants:bans",  # 참여제한 (SPEC §15.2), part C
        "imports:list",  # 자료 가져오기 (SPEC §15.5), issue 21 part C
    },
    "evaluator": {"applicants:evaluations"},
    "applicant": {"applicants:apply", "applicants:my"},
    "mentor": {"mentoring:portal"},
}
EVERY_LINK = set().union(*MENUS.values())


def _nav(client) -> str:
    body = client.get(reverse("program:home")).content.decode()
    return body.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("role", MENUS)
def test_each_role_sees_its_own_menu(client, role):
    user = MentorFactory().user if role == "mentor" else user_with_role(role)
    client.force_login(user)

    nav = _nav(client)

    shown = {name for name in EVERY_LINK if f'href="{reverse(name)}"' in nav}
    assert shown == MENUS[role]


def test_a_visitor_sees_no_role_menu(client):
    assert not {name for name in EVERY_LINK if f'href="{reverse(name)}"' in _nav(client)}


def test_a_staff_user_sees_its_agency_in_the_header(client):
    """Staff belong to one agency (docs/domain.md §1.1); the header says which, without a query more."""
    staff = user_with_role("staff")
    client.force_login(staff)

    header = client.get(reverse("program:home")).content.decode()

    assert f"{staff.get_role_display()} · {staff.agency.name}" in header
