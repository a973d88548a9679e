"""The API of SPEC §16–§17 for changes."""

urlpatterns: list = []
