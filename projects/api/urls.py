"""The API of the funded project's life (SPEC §16–§17) under /api/v1/, each part in its module."""

from projects.api import agreements, changes, inspections

urlpatterns = [*agreements.urlpatterns, *changes.urlpatterns, *inspections.urlpatterns]
