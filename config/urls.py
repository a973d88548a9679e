from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import health
from config.metrics import metrics

urlpatterns = [
    path("health/", health, name="health"),
    # Prometheus, with METRICS_TOKEN only; 404 to everyone else (config/metrics.py).
    path("metrics/", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script from a URL: no inline script, the CSP holds there too.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("applicants.urls")),
    path("", include("program.urls")),
    path("", include("funds.urls")),
    path("", include("mentoring.urls")),
    path("", include("projects.urls")),
    path("", include("execution.urls")),
    path("", include("imports.urls")),
    path("", include("reports.urls")),
]
