"""The vendors app in the admin.

An agreement's lifecycle (request, follow-up, signature, refusal) belongs to
`vendors.lifecycle`, which checks dates, reasons and the signed PDF and keeps
the agreement's timeline. So the admin shows lifecycle fields read-only and its
"follow-up sent" action goes through `lifecycle.apply`; timeline events,
documents and reminder bookkeeping are read-only evidence here.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.audited_admin import (
    AuditedAdmin,
    AuditedImportExportAdmin,
    ReadOnlyAdminMixin,
    assign_owner,
)

from . import lifecycle
from .models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    FollowUpReminder,
    Vendor,
    VendorContact,
)
from .resources import AgreementResource, VendorResource

LIFECYCLE_FIELDS = [
    "status",
    "requested_on",
    "requested_to",
    "last_contact_on",
    "signed_on",
    "effective_on",
    "expires_on",
    "reason",
]


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ["kind", "status", "owner", "requested_on", "signed_on", "expires_on"]
    readonly_fields = ["status", "requested_on", "signed_on", "expires_on"]
    show_change_link = True


class VendorContactInline(admin.TabularInline):
    model = VendorContact
    extra = 0


@admin.register(Vendor)
class VendorAdmin(AuditedImportExportAdmin):
    resource_classes = [VendorResource]
    list_display = ["name", "service", "handles_phi", "updated_at"]
    list_filter = ["handles_phi", "agreements__status"]
    search_fields = ["name", "service", "phi_handling"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgreementInline, VendorContactInline]


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
    list_filter = ["kind", "status", "vendor__handles_phi", "owner"]
    search_fields = ["vendor__name", "requested_to", "notes"]
    list_select_related = ["vendor", "owner"]
    date_hierarchy = "last_contact_on"
    actions = ["mark_follow_up_sent", assign_owner]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["version"]
        return [*LIFECYCLE_FIELDS, "version"]

    @admin.action(
        description="Log a follow-up sent today (agreements awaiting a reply)",
        permissions=["change"],
    )
    def mark_follow_up_sent(self, request, queryset):
        today = timezone.localdate()
        done, refused = [], []
        for agreement in queryset.select_related("vendor"):
            try:
                lifecycle.apply(
                    agreement.vendor,
                    agreement.kind,
                    "follow-up",
                    agreement.version,
                    request.user,
                    {"happened_on": today, "note": "Sent from the admin"},
                    today=today,
                )
            except (ValidationError, lifecycle.StaleAgreement):
                refused.append(str(agreement))
            else:
                done.append(str(agreement))
        if done:
            self.message_user(
                request, f"Follow-up logged for {len(done)}.", messages.SUCCESS
            )
        if refused:
            self.message_user(
                request,
                "Not awaiting a reply, so no follow-up was logged: "
                + ", ".join(refused),
                messages.WARNING,
            )


@admin.register(VendorContact)
class VendorContactAdmin(AuditedAdmin):
    list_display = ["name", "vendor", "role", "email", "phone"]
    list_filter = ["vendor"]
    search_fields = ["name", "email", "vendor__name"]
    list_select_related = ["vendor"]


@admin.register(AgreementEvent)
class AgreementEventAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    list_display = ["agreement", "kind", "happened_on", "channel", "recorded_by"]
    list_filter = ["kind", "channel", "recorded_by"]
    search_fields = ["agreement__vendor__name", "note"]
    list_select_related = ["agreement__vendor", "recorded_by"]
    date_hierarchy = "happened_on"


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    list_display = ["agreement", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["uploaded_by"]
    search_fields = ["agreement__vendor__name", "original_name", "sha256"]
    list_select_related = ["agreement__vendor", "uploaded_by"]
    # The file itself is sent only by the vendor page's download view, which
    # checks permission and writes the access log.
    exclude = ["file"]


@admin.register(FollowUpReminder)
class FollowUpReminderAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    list_display = ["agreement", "owner", "sent_on", "sent_at"]
    list_filter = ["owner", "sent_on"]
    search_fields = ["agreement__vendor__name"]
    list_select_related = ["agreement__vendor", "owner"]
