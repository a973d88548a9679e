"""SPEC §18 pages: spending. PART D fills this module."""

urlpatterns: list = []
