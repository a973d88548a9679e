"""Part consent of issue 22 (SPEC §20): its pages."""

urlpatterns: list = []
