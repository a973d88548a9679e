"""A funded project's agreement and inspection in words, from the annotations of
projects.selectors_sponsor.with_project_state."""

from django import template

from projects.selectors_sponsor import agreement_status_label, inspection_result_label, is_extended

register = template.Library()


@register.filter
def agreement_label(status) -> str:
    """`체결`, `서명 요청`, …; `협약 전` before an agreement is drafted."""
    return agreement_status_label(status)


@register.filter
def inspection_label(result) -> str:
    """`적합`, `보완`, `부적합`; empty before any inspection."""
    return inspection_result_label(result)


@register.simple_tag
def extended(project) -> bool:
    """Whether approved extensions moved the project's agreement end."""
    return is_extended(
        getattr(project, "agreement_starts_on", None),
        getattr(project, "agreement_ends_on", None),
        getattr(project, "agreement_original_ends_on", None),
    )
