"""The page /staff/imports/ (SPEC §15.5; part C)."""

from imports.views import pages

app_name = "imports"

urlpatterns = [*pages.urlpatterns]
