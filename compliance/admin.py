from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
    WorkItem,
)


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "as_of", "target_launch", "source_name"]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "kind", "number"]
    list_filter = ["kind", "plan"]


@admin.register(WorkItem)
class WorkItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "phase", "status", "optional"]
    list_filter = ["status", "optional", "phase"]
    search_fields = ["title"]


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "claimed", "position"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "section", "status", "blocking", "owner", "derived"]
    list_filter = ["section", "status", "blocking"]
    search_fields = ["title", "evidence"]
    list_select_related = ["section", "owner"]


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0


@admin.register(Metric)
class MetricAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "comparison", "target", "unit"]
    list_filter = ["category"]
    search_fields = ["name"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["metric", "value", "measured_at", "recorded_by", "source"]
    list_select_related = ["metric", "recorded_by"]


@admin.register(Runbook)
class RunbookAdmin(SimpleHistoryAdmin):
    list_display = ["title", "filename", "owner", "last_reviewed_on"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}


class MilestoneTaskInline(admin.TabularInline):
    model = MilestoneTask
    extra = 0


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "label", "starts_on", "ends_on", "plan"]
    inlines = [MilestoneTaskInline]


@admin.register(MilestoneTask)
class MilestoneTaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "milestone", "done", "done_by", "done_at"]
    list_filter = ["done", "milestone"]
