"""The API of SPEC §16–§17 for agreements."""

urlpatterns: list = []
