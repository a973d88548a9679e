"""SPEC §18.3 API: the settlement. PART A2 fills this module."""

urlpatterns: list = []
