"""Reading participation bans (참여제한, SPEC §15.2): what "a ban covers a day" means, in one place,
and the register as staff and the ministry read it."""

import datetime

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from applicants.models import Company, ParticipationBan, Supplier

Subject = ParticipationBan.SubjectType
STATES = ("active", "lifted", "all")


def covering(day: datetime.date, prefix: str = "") -> Q:
    """The bans covering `day`: started, not yet ended (no end: for good), and not lifted on or
    before it — a ban lifted today no longer covers today (it ends, in effect, yesterday)."""
    return (
        Q(**{f"{prefix}starts_on__lte": day})
        & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day}))
        & (Q(**{f"{prefix}lifted_on__isnull": True}) | Q(**{f"{prefix}lifted_on__gt": day}))
    )


def ban_liftable(ban: ParticipationBan, today: datetime.date) -> bool:
    """A ban may be lifted while it is in force or yet to start: not lifted, not run out."""
    return ban.lifted_on is None and (ban.ends_on is None or ban.ends_on >= today)


def ban_covering(*, subject_type: str, business_number: str, on: datetime.date) -> ParticipationBan | None:
    """The ban covering `on` that ends last (a permanent one first), or None: one query on the
    (subject_type, business_number, starts_on) index."""
    bans = ParticipationBan.objects.filter(
        covering(on), subject_type=subject_type, business_number=business_number
    )
    return bans.order_by(F("ends_on").desc(nulls_first=True), "-id").first()


def supplier_banned(outer: str = "supplier__business_number", day: datetime.date | None = None) -> Exists:
    """An annotation: the row's supplier is banned on `day` (today in Seoul). One subquery of the
    row's own query, not a query per row."""
    day = day or timezone.localdate()
    return Exists(
        ParticipationBan.objects.filter(
            covering(day), subject_type=Subject.SUPPLIER, business_number=OuterRef(outer)
        )
    )


def _subject_name() -> Case:
    """The company's or the supplier's name when the register knows the number (a subquery each)."""
    company = Company.objects.filter(business_number=OuterRef("business_number")).values("name")[:1]
    supplier = Supplier.objects.filter(business_number=OuterRef("business_number")).values("name")[:1]
    return Case(
        When(subject_type=Subject.COMPANY, then=Subquery(company)),
        When(subject_type=Subject.SUPPLIER, then=Subquery(supplier)),
        default=Value(""),
    )


def _search(text: str) -> Q:
    """By business number (digits, hyphens ignored) or by the company's or supplier's name."""
    digits = text.replace("-", "")
    by_name = Q(
        subject_type=Subject.COMPANY,
        business_number__in=Company.objects.filter(name__icontains=text).values("business_number"),
    ) | Q(
        subject_type=Subject.SUPPLIER,
        business_number__in=Supplier.objects.filter(name__icontains=text).values("business_number"),
    )
    if digits.isascii() and digits.isdigit():
        return Q(business_number__startswith=digits) | by_name
    return by_name


def ban_list(
    *,
    search: str = "",
    state: str = "all",
    subject_type: str = "",
    business_number: str = "",
    today: datetime.date | None = None,
) -> QuerySet[ParticipationBan]:
    """The register, newest first, each row with `subject_name` and the users who recorded and
    lifted it joined in: one query however many rows. `state`: active (covering today), lifted, all."""
    today = today or timezone.localdate()
    bans = ParticipationBan.objects.select_related("created_by", "lifted_by").annotate(
        subject_name=_subject_name()
    )
    if state == "active":
        bans = bans.filter(covering(today))
    elif state == "lifted":
        bans = bans.filter(lifted_on__isnull=False)
    if subject_type:
        bans = bans.filter(subject_type=subject_type)
    if business_number:
        bans = bans.filter(business_number=business_number.replace("-", ""))
    if search.strip():
        bans = bans.filter(_search(search.strip()))
    return bans.order_by("-starts_on", "-id")
