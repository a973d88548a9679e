"""The API of SPEC §18 under /api/v1/, each part in its module."""

from execution.api import clawbacks, settlement, spending

urlpatterns = [*spending.urlpatterns, *settlement.urlpatterns, *clawbacks.urlpatterns]
