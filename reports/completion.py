"""What `submit_completion` needs (SPEC §17): the completion report and a result for every KPI target
of the agreement. What is missing is read in projects (its one home); here it refuses the action."""

from django.utils.translation import gettext as _

from config.errors import DomainError
from program.choices import Kpi
from projects.inspection_selectors import completion_missing


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """The `application_transition` extension point: 400 `completion_incomplete` naming what is missing."""
    if action != "submit_completion":
        return
    missing = completion_missing(application=application)
    if not missing["report"] and not missing["kpis"]:
        return
    labels = dict(Kpi.choices)
    parts = [str(_("완료보고서"))] if missing["report"] else []
    parts += [_("성과 결과(%s)") % labels.get(kpi, kpi) for kpi in missing["kpis"]]
    raise DomainError(
        _("완료점검을 요청하기 전에 갖춰 주세요: %s") % ", ".join(parts),
        code="completion_incomplete",
        data={"missing": missing},
    )
