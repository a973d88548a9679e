import django_filters
import django_filters.constants
from django.db.models import F, Q

from applicants.models import Application
from program.choices import Region, SupportLevel


def search_applications(queryset, value: str):
    """`q`: company name, business number (with or without hyphens) or title."""
    value = value.strip()
    if not value:
        return queryset
    digits = value.replace("-", "")
    condition = Q(company__name__icontains=value) | Q(title__icontains=value)
    if digits.isdigit():
        condition |= Q(company__business_number__startswith=digits)
    return queryset.filter(condition)


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Unscored or unsubmitted rows go last either way; ties are broken by id for stable pages."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map.get(param.lstrip("-"), param.lstrip("-")))
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value], "-id")


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Application.Status.choices)
    program = django_filters.NumberFilter(field_name="program_id")
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
