"""SPEC §18 pages: settlement. PART D fills this module."""

urlpatterns: list = []
