"""Pages for inspections (SPEC §16–§17)."""

urlpatterns: list = []
