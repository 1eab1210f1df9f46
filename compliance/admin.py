from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from portal.audited_admin import (
    AuditedAdmin,
    AuditedImportExportAdmin,
    apply_to_each,
    assign_owner,
)

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
    Status,
    WorkItem,
)
from .resources import ChecklistItemResource, MetricResource


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


class ChecklistItemListForm(forms.ModelForm):
    def clean_status(self):
        status = self.cleaned_data["status"]
        item = self.instance
        if item.derived and status != item.status:
            raise forms.ValidationError(
                f"Computed from other data ({item.get_derived_display()}); "
                "it cannot be set by hand."
            )
        return status


def record_completion(obj, user, done):
    """Who finished it and when, kept in step with its done state."""
    if done:
        obj.done_by, obj.done_at = user, timezone.now()
    else:
        obj.done_by, obj.done_at = None, None


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedImportExportAdmin):
    resource_classes = [ChecklistItemResource]
    list_display = ["title", "section", "status", "blocking", "owner", "derived"]
    list_editable = ["status"]
    list_filter = ["status", "blocking", "derived", "plan", "section", "owner"]
    search_fields = ["title", "note", "evidence"]
    list_select_related = ["section", "owner"]
    actions = [assign_owner]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=ChecklistItemListForm)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            record_completion(obj, request.user, obj.status == Status.DONE)
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
    list_editable = ["done"]
    list_filter = ["done", "milestone"]
    search_fields = ["title"]
    list_select_related = ["milestone", "done_by"]
    actions = ["mark_done"]

    def save_model(self, request, obj, form, change):
        if "done" in form.changed_data:
            record_completion(obj, request.user, obj.done)
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark done", permissions=["change"])
    def mark_done(self, request, queryset):
        def finish(task):
            task.done = True
            record_completion(task, request.user, True)

        count = apply_to_each(
            request, queryset.filter(done=False), finish, "Marked done (admin action)"
        )
        self.message_user(request, f"{count} marked done.", messages.SUCCESS)
