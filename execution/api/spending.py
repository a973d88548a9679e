"""SPEC §18.1-18.2 API: spending lines and deposits. PART A1 fills this module."""

urlpatterns: list = []
