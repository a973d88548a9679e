"""Ranked mentor suggestions for one application (docs/domain.md §7), with the reasons in Korean.

Three queries whatever the number of mentors: the application with its company and supplier, every
assignable mentor's matching columns with its current load (scored in plain Python), then the best
ten as full rows for their reasons.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils.translation import gettext as _

from applicants.models import Application
from mentoring.models import Mentor, MentoringAssignment
from mentoring.selectors import mentors_with_load
from mentoring.vocabulary import KSIC_DIVISIONS, needed_expertise
from program.choices import Expertise, Region

if TYPE_CHECKING:
    from mentoring.selectors import MentorWithLoad

ACTIVE = MentoringAssignment.Status.ACTIVE
# Points per criterion; they sum to 100.
INDUSTRY_POINTS, REGION_POINTS, EXPERTISE_POINTS, LOAD_POINTS = 35, 20, 35, 10
# Matching this many of the needed expertise areas earns all the expertise points.
EXPERTISE_FULL_MATCH = 3


@dataclass(frozen=True)
class Suggestion:
    mentor: Mentor  # annotated with `load`: its active assignments
    score: int
    reasons: list[str]


def suggestion_candidates(*, application: Application):
    """Mentors who could take the application now, each with its active load, in one query.

    Left out: inactive mentors, mentors at capacity, mentors of the application's supplier (a conflict
    of interest) and mentors already actively assigned to it.
    """
    already = MentoringAssignment.objects.filter(application_id=application.pk, status=ACTIVE)
    mentors = (
        mentors_with_load()
        .filter(is_active=True, load__lt=F("capacity"))
        .exclude(pk__in=already.values("mentor_id"))
        .select_related("sponsor", "supplier")
        .defer("bio")
    )
    if application.supplier_id is not None:
        mentors = mentors.exclude(supplier_id=application.supplier_id)
    return mentors


def _expertise_points(matched: set[str], needed: set[str]) -> int:
    if not needed:
        return 0
    full = min(len(needed), EXPERTISE_FULL_MATCH)
    return EXPERTISE_POINTS * min(len(matched), full) // full


def _points(divisions, regions, expertise, capacity: int, load: int, *, division, region, needed) -> int:
    """A mentor's score (0–100) from its matching columns; the one rule for ranking and for showing."""
    score = LOAD_POINTS * (capacity - load) // capacity
    if division in (divisions or ()):
        score += INDUSTRY_POINTS
    if region in (regions or ()):
        score += REGION_POINTS
    return score + _expertise_points(needed.intersection(expertise or ()), needed)


def _score(mentor: "MentorWithLoad", *, division: str, region: str, needed: set[str]) -> Suggestion:
    reasons = []
    if division in (mentor.ksic_divisions or ()):
        reasons.append(
            _("업종 일치: %(code)s(%(name)s)") % {"code": division, "name": KSIC_DIVISIONS.get(division, "")}
        )
    if region in (mentor.regions or ()):
        reasons.append(_("활동 지역 일치: %s") % Region(region).label)
    matched = needed.intersection(mentor.expertise or ())
    if matched:
        labels = [str(e.label) for e in Expertise if e.value in matched]
        reasons.append(_("전문분야 일치: %s") % ", ".join(labels))
    load = {"load": mentor.load, "capacity": mentor.capacity}
    reasons.append(_("현재 배정 %(load)d/%(capacity)d건") % load)
    score = _points(
        mentor.ksic_divisions,
        mentor.regions,
        mentor.expertise,
        mentor.capacity,
        mentor.load,
        division=division,
        region=region,
        needed=needed,
    )
    return Suggestion(mentor=mentor, score=score, reasons=reasons)


def mentor_suggestions(*, application: Application, limit: int = 10) -> list[Suggestion]:
    """The best `limit` mentors for `application`, best first.

    Ranked by score (industry division, region, expertise against the supplier's solutions and the
    plan, free capacity), then by lower load, name and id. Every candidate is scored from a few plain
    columns; only the best `limit` are loaded as mentors and given their reasons (three queries in all,
    whatever the size of the pool).
    """
    application = Application.objects.select_related("company", "supplier").get(pk=application.pk)
    company, supplier = application.company, application.supplier
    needed = needed_expertise(
        solution_areas=supplier.solution_areas if supplier else (),
        text=f"{application.title}\n{application.plan}",
    )
    division, region = company.industry_code[:2], company.region
    ranked = []
    rows = suggestion_candidates(application=application).values_list(
        "pk", "name", "ksic_divisions", "regions", "expertise", "capacity", "load"
    )
    for pk, name, divisions, regions, expertise, capacity, load in rows:
        score = _points(
            divisions, regions, expertise, capacity, load, division=division, region=region, needed=needed
        )
        ranked.append((-score, load, name, pk))
    best = sorted(ranked)[:limit]
    if not best:
        return []
    mentors = suggestion_candidates(application=application).in_bulk([pk for *_rest, pk in best])
    return [
        _score(mentors[pk], division=division, region=region, needed=needed)
        for *_rest, pk in best
        if pk in mentors
    ]
