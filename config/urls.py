from django.contrib import admin
from django.contrib.auth import views as auth_views
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
    # Sign-in and sign-out are Django's; the password pages are the app's own (accounts/views/password.py):
    # Django's password_reset/ and password_change/ pages, on the admin's templates, are not served.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
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
