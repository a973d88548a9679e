"""Audit events in words: `program.create` → "사업 생성", `application.select` → "선정".

Each app names the actions it audits in its own `audit.py` (`audit_labels`), registered under the
`audit_labels` extension point (config/plugins.py); `audit_label` asks them in their order there. So
the audit trail (docs/domain.md §4) is read in words without the base importing the apps above it.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from config.plugins import plugins

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Labels = dict[str, "StrOrPromise"]

LABELS: Labels = {
    "program.create": _("사업 생성"),
    "program.update": _("사업 수정"),
}


def audit_labels() -> Labels:
    """program's own actions."""
    return LABELS


def audit_label(action: str) -> "StrOrPromise":
    """The words for an audit action, from the first app that names it; else the action as stored."""
    for labels in plugins("audit_labels"):
        label = labels().get(action)
        if label is not None:
            return label
    return action
