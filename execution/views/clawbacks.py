"""SPEC §18 pages: clawbacks. PART D fills this module."""

urlpatterns: list = []
