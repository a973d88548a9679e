"""Each role predicate answers True for its own role only, and False for anonymous or inactive users."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role, User
from accounts.roles import (
    is_applicant,
    is_evaluator,
    is_mentor,
    is_ministry,
    is_official,
    is_sponsor_user,
    is_staff,
)

PREDICATES = {
    Role.STAFF: is_staff,
    Role.EVALUATOR: is_evaluator,
    Role.APPLICANT: is_applicant,
    Role.SPONSOR: is_sponsor_user,
    Role.MENTOR: is_mentor,
    Role.MINISTRY: is_ministry,
}


def person(role, **fields):
    if role == Role.SPONSOR:
        fields.setdefault("sponsor_id", 1)
    return User(username=f"someone-{role}", role=role, **fields)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("predicate_role", Role.values)
def test_it_recognises_only_its_own_role(role, predicate_role):
    assert PREDICATES[predicate_role](person(role)) is (role == predicate_role)


@pytest.mark.parametrize("predicate", PREDICATES.values(), ids=Role.values)
def test_it_says_no_for_an_anonymous_user(predicate):
    assert predicate(AnonymousUser()) is False


def test_it_says_no_for_no_user():
    assert not any(check(None) for check in PREDICATES.values())


@pytest.mark.parametrize("role", Role.values)
def test_it_says_no_for_an_inactive_user(role):
    assert PREDICATES[role](person(role, is_active=False)) is False


def test_a_sponsor_user_needs_a_sponsor():
    assert is_sponsor_user(person(Role.SPONSOR, sponsor_id=None)) is False


def test_an_applicant_need_not_have_registered_its_company_yet():
    assert is_applicant(person(Role.APPLICANT, company_id=None)) is True


def test_the_django_admin_flag_does_not_make_program_staff():
    assert is_staff(person(Role.APPLICANT, is_staff=True)) is False


@pytest.mark.parametrize("role", Role.values)
def test_officials_are_staff_and_the_ministry(role):
    assert is_official(person(role)) is (role in (Role.STAFF, Role.MINISTRY))
