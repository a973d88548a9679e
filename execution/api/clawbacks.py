"""SPEC §18.4 API: clawbacks and collections. PART A2 fills this module."""

urlpatterns: list = []
