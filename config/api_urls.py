from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.security import obtain_auth_token
from applicants.api.views import ApplicationViewSet, CompanyViewSet, EvaluationViewSet, SupplierViewSet
from funds.api.views import ContributionViewSet, cost_share_preview
from mentoring.api.views import MentoringAssignmentViewSet, MentoringSessionViewSet, MentorViewSet
from program.api.views import ProgramViewSet, SponsorViewSet
from reports.api import ReportViewSet
from reports.outcome_api import OutcomeViewSet

router = DefaultRouter()
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

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("cost-share/preview/", cost_share_preview, name="cost-share-preview"),
    path("", include(router.urls)),
]
