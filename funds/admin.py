from django.contrib import admin

from config.admin import ReadOnlyAdmin
from funds.models import Contribution, CostShare, CostShareRequest, Disbursement, LedgerEntry, PotTotal


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("received_on", "sponsor", "program", "amount", "kind", "purpose", "recorded_by")
    list_filter = ("kind", "purpose", "sponsor")
    search_fields = ("sponsor__name", "program__title", "note")
    list_select_related = ("sponsor", "program", "recorded_by")
    date_hierarchy = "received_on"


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Append-only: money moves only through funds.services."""

    list_display = ("created_at", "program", "pot", "kind", "amount", "application", "actor")
    list_filter = ("pot", "kind")
    search_fields = ("program__title", "application__title", "note")
    list_select_related = ("program", "application", "actor")
    date_hierarchy = "created_at"


@admin.register(PotTotal)
class PotTotalAdmin(ReadOnlyAdmin):
    """Kept by the database (a trigger on every ledger entry); shown for checking only."""

    list_display = ("program", "pot", "kind", "amount", "entries")
    list_filter = ("pot", "kind")
    search_fields = ("program__title",)
    list_select_related = ("program",)


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ("paid_on", "application", "kind", "amount", "gov_part", "sponsor_part", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("application__title", "application__company__name")
    list_select_related = ("application", "recorded_by")
    date_hierarchy = "paid_on"


@admin.register(CostShare)
class CostShareAdmin(ReadOnlyAdmin):
    list_display = ("application", "total", "government", "sponsor", "sme", "capped", "computed_at")
    list_filter = ("capped",)
    search_fields = ("application__title", "application__company__name")
    list_select_related = ("application",)


@admin.register(CostShareRequest)
class CostShareRequestAdmin(ReadOnlyAdmin):
    """The outbox (funds.outbox): rows here are cost-share tasks waiting for the broker."""

    list_display = ("created_at", "application", "attempts")
    search_fields = ("application__title", "application__company__name")
    list_select_related = ("application",)
    date_hierarchy = "created_at"
