from django.urls import include, path
from rest_framework.routers import DefaultRouter

from applicants.api.views import ApplicationViewSet, CompanyViewSet, EvaluationViewSet, SupplierViewSet
from funds.api.views import (
    ApplicationDisbursementViewSet,
    ContributionViewSet,
    ProgramMoneyViewSet,
    cost_share_preview,
)
from mentoring.api.views import MentoringAssignmentViewSet, MentoringSessionViewSet, MentorViewSet
from program.api.views import AgencyViewSet, NotificationViewSet, ProgramViewSet, SponsorViewSet
from reports.api import ReportViewSet
from reports.dashboard_api import SponsorDashboardViewSet
from reports.outcome_api import OutcomeViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("sponsors", SponsorViewSet, basename="sponsor")
router.register("programs", ProgramViewSet, basename="program")
router.register("companies", CompanyViewSet, basename="company")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("applications", ApplicationViewSet, basename="application")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("mentors", MentorViewSet, basename="mentor")
router.register("mentoring-assignments", MentoringAssignmentViewSet, basename="mentoring-assignment")
router.register("mentoring-sessions", MentoringSessionViewSet, basename="mentoring-session")
router.register("reports", ReportViewSet, basename="report")
router.register("outcomes", OutcomeViewSet, basename="outcome")
router.register("notifications", NotificationViewSet, basename="notification")


def detail_action(viewset, methods: tuple[str, ...], action: str, basename: str):
    """An action on one object served by the app that owns it, not the app that owns the object
    (docs/architecture.md): the view the router would make for `@action(detail=True)`, so the
    permissions, schema and URL name (`<basename>-<action>`) stay what they were."""
    return viewset.as_view({method: action for method in methods}, detail=True, basename=basename)


urlpatterns = [
    path("", include("accounts.api.urls")),
    path("cost-share/preview/", cost_share_preview, name="cost-share-preview"),
    # Before the router: these paths sit under other apps' resources.
    path(
        "programs/<pk>/ranking/",
        detail_action(ProgramMoneyViewSet, ("get",), "ranking", "program"),
        name="program-ranking",
    ),
    path(
        "programs/<pk>/fund/",
        detail_action(ProgramMoneyViewSet, ("get",), "fund", "program"),
        name="program-fund",
    ),
    path(
        "sponsors/<pk>/dashboard/",
        detail_action(SponsorDashboardViewSet, ("get",), "dashboard", "sponsor"),
        name="sponsor-dashboard",
    ),
    path(
        "applications/<pk>/disbursements/",
        detail_action(ApplicationDisbursementViewSet, ("get", "post"), "disbursements", "application"),
        name="application-disbursements",
    ),
    # The agreement, its changes and the inspection (SPEC §16-§17): projects' own routes.
    path("", include("projects.api.urls")),
    # Spending, deposits, the settlement and clawbacks (SPEC §18); participation bans (§15.2).
    path("", include("execution.api.urls")),
    path("", include("imports.api.urls")),
    path("", include("applicants.api.bans")),
    # A company's support history across agencies (SPEC §15.4): funds' route under companies/.
    path("", include("funds.api.history")),
    path("", include(router.urls)),
]
