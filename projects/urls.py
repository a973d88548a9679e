"""The pages of the funded project's life (SPEC §16–§17), each part in its module."""

from projects.views import agreements, changes, inspections

app_name = "projects"

urlpatterns = [*agreements.urlpatterns, *changes.urlpatterns, *inspections.urlpatterns]
