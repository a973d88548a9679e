"""Participation bans (SPEC §15.2). PART C fills this module."""

urlpatterns: list = []
