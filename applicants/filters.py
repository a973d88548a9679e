import django_filters
import django_filters.constants
from django.db.models import F, Q

from applicants.models import Application, Company
from config.api import IdFilter
from config.numbers import is_ascii_digits
from program.choices import Region, SupportLevel


def company_search(value: str) -> Q:
    """Companies by name (a part of it) or business number (its first digits, with or without
    hyphens): a trigram index on the name, the unique column's prefix index on the number."""
    value = value.strip()
    digits = value.replace("-", "")
    companies = Q(name__icontains=value)
    if is_ascii_digits(digits):
        companies |= Q(business_number__startswith=digits)
    return companies


def search_applications(queryset, value: str):
    """`q`: company name, business number (with or without hyphens) or title."""
    value = value.strip()
    if not value:
        return queryset
    companies = company_search(value)
    if len(value) < 3:  # no trigram in it: the indexes cannot narrow it down, one pass is cheapest
        return queryset.filter(
            Q(company__in=Company.objects.filter(companies).values("pk")) | Q(title__icontains=value)
        )
    # One id list from two index scans (company: trigram on name, btree prefix on business number;
    # application: trigram on title, migration 0005) instead of an OR across the join, which makes
    # PostgreSQL upper-case and match every row of both tables (docs/performance.md).
    by_company = Application.objects.filter(company__in=Company.objects.filter(companies).values("pk"))
    by_title = Application.objects.filter(title__icontains=value)
    ids = by_company.order_by().values("pk").union(by_title.order_by().values("pk"))
    return queryset.filter(pk__in=ids)


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Unscored or unsubmitted rows go last either way; ties are broken by id for stable pages."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map.get(param.lstrip("-"), param.lstrip("-")))
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        # Blank entries (`?ordering=,`, a trailing comma) are skipped, as django-filter's own
        # OrderingFilter does: F("") would fail the query (500).
        params = [param for param in value or () if param not in django_filters.constants.EMPTY_VALUES]
        if not params:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in params], "-id")


class ApplicationFilter(django_filters.FilterSet):
    # No DISTINCT: status is a column of the row, so the filter cannot repeat a row (django-filter's
    # default for multiple choices would sort and deduplicate every wide row of the result).
    status = django_filters.MultipleChoiceFilter(choices=Application.Status.choices, distinct=False)
    program = IdFilter(field_name="program_id")
    level = django_filters.ChoiceFilter(choices=SupportLevel.choices)
    region = django_filters.ChoiceFilter(field_name="company__region", choices=Region.choices)
    industry = django_filters.CharFilter(field_name="company__industry_code", lookup_expr="startswith")
    submitted_after = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    submitted_before = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")
    q = django_filters.CharFilter(method="filter_q")
    ordering = NullsLastOrderingFilter(
        fields=(("submitted_at", "submitted_at"), ("score", "score"), ("total_cost", "total_cost"))
    )

    class Meta:
        model = Application
        fields = [
            "status",
            "program",
            "level",
            "region",
            "industry",
            "submitted_after",
            "submitted_before",
            "q",
        ]

    def filter_q(self, queryset, name, value):
        return search_applications(queryset, value)
