"""Pages for agreements (SPEC §16–§17)."""

urlpatterns: list = []
