"""The API of SPEC §16–§17 for inspections."""

urlpatterns: list = []
