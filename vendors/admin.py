from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, Vendor


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ["kind", "status", "owner", "requested_on", "signed_on", "expires_on"]


@admin.register(Vendor)
class VendorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "service", "handles_phi"]
    list_filter = ["handles_phi"]
    search_fields = ["name", "service"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["vendor", "kind", "status", "owner", "requested_on", "signed_on"]
    list_filter = ["kind", "status"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor", "owner"]
    readonly_fields = ["version"]
