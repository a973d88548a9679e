"""Pages for changes (SPEC §16–§17)."""

urlpatterns: list = []
