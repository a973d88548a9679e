"""Part tokens of issue 22 (SPEC §20): its API under /api/v1/."""

urlpatterns: list = []
