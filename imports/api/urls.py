"""`imports/` of SPEC §15.5 under /api/v1/ (part B)."""

urlpatterns: list = []
