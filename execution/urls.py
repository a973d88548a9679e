"""The pages of spending, settlement and clawbacks (SPEC §18), each part in its module."""

from execution.views import clawbacks, settlement, spending

app_name = "execution"

urlpatterns = [*spending.urlpatterns, *settlement.urlpatterns, *clawbacks.urlpatterns]
