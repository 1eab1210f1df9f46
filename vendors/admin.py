from django.contrib import admin, messages
from django.utils import timezone

from portal.audited_admin import AuditedImportExportAdmin, apply_to_each, assign_owner

from .models import Agreement, Vendor
from .resources import AgreementResource, VendorResource


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ["kind", "status", "owner", "requested_on", "signed_on", "expires_on"]


@admin.register(Vendor)
class VendorAdmin(AuditedImportExportAdmin):
    resource_classes = [VendorResource]
    list_display = ["name", "service", "handles_phi", "updated_at"]
    list_filter = ["handles_phi", "agreements__status"]
    search_fields = ["name", "service", "phi_handling"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(AuditedImportExportAdmin):
    resource_classes = [AgreementResource]
    list_display = [
        "vendor",
        "kind",
        "status",
        "owner",
        "requested_on",
        "last_contact_on",
        "signed_on",
        "expires_on",
    ]
    list_editable = ["status"]
    list_filter = ["kind", "status", "vendor__handles_phi", "owner"]
    search_fields = ["vendor__name", "requested_to", "notes"]
    list_select_related = ["vendor", "owner"]
    date_hierarchy = "last_contact_on"
    readonly_fields = ["version"]
    actions = ["mark_follow_up_sent", assign_owner]

    @admin.action(
        description="Mark follow-up sent today (last contact: today)",
        permissions=["change"],
    )
    def mark_follow_up_sent(self, request, queryset):
        today = timezone.localdate()
        count = apply_to_each(
            request,
            queryset,
            lambda agreement: setattr(agreement, "last_contact_on", today),
            f"Follow-up sent on {today.isoformat()} (admin action)",
        )
        self.message_user(
            request, f"{count} marked as followed up today.", messages.SUCCESS
        )
