from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from portal.audited_admin import (
    AuditedAdmin,
    AuditedImportExportAdmin,
    apply_to_each,
    assign_owner,
)

from . import checklist
from .models import (
    ChecklistItem,
    ChecklistSection,
    Measurement,
    Metric,
    Milestone,
    MilestoneTask,
    Phase,
    Plan,
    Runbook,
    Shift,
    Status,
    WorkItem,
)
from .resources import ChecklistItemResource, MetricResource, status_problems


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["name", "as_of", "target_launch", "claimed_status", "source_name"]
    search_fields = ["name", "source_name"]
    date_hierarchy = "as_of"


@admin.register(Phase)
class PhaseAdmin(AuditedAdmin):
    list_display = ["title", "plan", "kind", "number", "claimed", "position"]
    list_filter = ["kind", "plan"]
    search_fields = ["title", "claimed"]
    list_select_related = ["plan"]


@admin.register(WorkItem)
class WorkItemAdmin(AuditedAdmin):
    list_display = ["code", "title", "phase", "status", "optional"]
    list_editable = ["status"]
    list_filter = ["status", "optional", "plan", "phase"]
    search_fields = ["code", "title", "details"]
    list_select_related = ["phase"]


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(AuditedAdmin):
    list_display = ["name", "plan", "claimed", "position"]
    list_filter = ["plan"]
    search_fields = ["name"]
    list_select_related = ["plan"]


class ChecklistItemAdminForm(forms.ModelForm):
    """The ticking rules of `checklist.tick`, for the change form and the list."""

    def clean(self):
        cleaned = super().clean()
        if "status" not in self.changed_data:
            return cleaned
        # clean() runs before the form's values reach the instance.
        item = self.instance
        for problem in status_problems(
            item,
            cleaned.get("status"),
            cleaned.get("evidence", item.evidence),
            cleaned.get("owner", item.owner),
            cleaned.get("blocking", item.blocking),
            cleaned.get("derived", item.derived),
        ):
            self.add_error("status", problem)
        return cleaned


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedImportExportAdmin):
    resource_classes = [ChecklistItemResource]
    list_display = ["title", "section", "status", "blocking", "owner", "derived"]
    list_editable = ["status"]
    list_filter = ["status", "blocking", "derived", "plan", "section", "phase", "owner"]
    search_fields = ["title", "note", "evidence"]
    list_select_related = ["section", "owner"]
    actions = [assign_owner]

    form = ChecklistItemAdminForm

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=ChecklistItemAdminForm)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status == Status.DONE:
            obj.done_by, obj.done_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0


@admin.register(Metric)
class MetricAdmin(AuditedImportExportAdmin):
    resource_classes = [MetricResource]
    list_display = ["name", "category", "comparison", "target", "unit", "plan"]
    list_filter = ["category", "plan"]
    search_fields = ["name", "category", "target_text"]
    list_select_related = ["plan"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(AuditedAdmin):
    list_display = ["metric", "value", "measured_at", "recorded_by", "source"]
    list_filter = ["metric", "recorded_by"]
    search_fields = ["metric__name", "source"]
    list_select_related = ["metric", "recorded_by"]
    date_hierarchy = "measured_at"


@admin.register(Runbook)
class RunbookAdmin(AuditedAdmin):
    list_display = ["title", "filename", "owner", "last_reviewed_on"]
    list_filter = ["owner"]
    search_fields = ["title", "filename", "body"]
    list_select_related = ["owner"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["mark_reviewed", assign_owner]

    @admin.action(description="Mark reviewed today", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        today = timezone.localdate()
        count = apply_to_each(
            request,
            queryset,
            lambda runbook: setattr(runbook, "last_reviewed_on", today),
            f"Reviewed on {today.isoformat()} (admin action)",
        )
        self.message_user(
            request, f"{count} marked as reviewed today.", messages.SUCCESS
        )


class MilestoneTaskInline(admin.TabularInline):
    model = MilestoneTask
    extra = 0
    readonly_fields = ["done", "done_by", "done_at"]


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdmin):
    list_display = ["title", "label", "starts_on", "ends_on", "plan"]
    list_filter = ["plan"]
    search_fields = ["title", "note"]
    list_select_related = ["plan"]
    inlines = [MilestoneTaskInline]


@admin.register(MilestoneTask)
class MilestoneTaskAdmin(AuditedAdmin):
    list_display = ["title", "milestone", "done", "done_by", "done_at"]
    list_filter = ["done", "milestone"]
    search_fields = ["title"]
    list_select_related = ["milestone", "done_by"]
    # Ticking goes through `checklist.tick_task`: a launch gate refuses while
    # launch is blocked.
    readonly_fields = ["done", "done_by", "done_at"]
    actions = ["mark_done"]

    @admin.action(description="Tick done", permissions=["change"])
    def mark_done(self, request, queryset):
        done, refused = 0, []
        for task in queryset.filter(done=False):
            try:
                checklist.tick_task(task, request.user)
            except checklist.Refused as refusal:
                refused.append(refusal.message)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} ticked done.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)


@admin.register(Shift)
class ShiftAdmin(AuditedAdmin):
    list_display = ["engineer", "starts_at", "ends_at", "escalation_contact"]
    list_filter = ["engineer"]
    search_fields = ["engineer__username", "escalation_contact"]
    list_select_related = ["engineer"]
    date_hierarchy = "starts_at"
