"""The page /staff/imports/ (SPEC §15.5; part D)."""

app_name = "imports"

urlpatterns: list = []
