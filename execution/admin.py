"""집행·정산·환수 in the admin: shown, never edited. Every row is written by execution's services,
which check the rules, move the money through the ledger and audit (SPEC §18)."""

from django.contrib import admin

from config.admin import ReadOnlyAdmin
from execution.models import Clawback, ClawbackCollection, Deposit, Settlement, SpendingLine


@admin.register(SpendingLine)
class SpendingLineAdmin(ReadOnlyAdmin):
    list_display = ("application", "spent_on", "item", "amount", "evidence", "status", "flagged")
    list_filter = ("status", "flagged", "evidence")
    search_fields = ("invoice_number", "supplier_business_number", "application__title")
    list_select_related = ("application",)
    date_hierarchy = "spent_on"
    exclude = ("document",)  # private storage: served by the app after its access check, not by URL


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin):
    list_display = ("application", "deposited_on", "amount", "recorded_by")
    list_select_related = ("application", "recorded_by")
    date_hierarchy = "deposited_on"
    exclude = ("document",)  # private storage, as above


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("application", "eligible", "government", "sponsor", "sme", "confirmed_at")
    list_select_related = ("application",)


@admin.register(Clawback)
class ClawbackAdmin(ReadOnlyAdmin):
    list_display = ("application", "reason", "government", "sponsor", "due_on", "status")
    list_filter = ("status", "reason")
    list_select_related = ("application",)
    date_hierarchy = "due_on"


@admin.register(ClawbackCollection)
class ClawbackCollectionAdmin(ReadOnlyAdmin):
    list_display = ("clawback", "collected_on", "amount", "gov_part", "sponsor_part")
    list_select_related = ("clawback__application",)
