from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/count/", views.checklist_count, name="checklist_count"),
    path("checklist/<int:pk>/", views.checklist_item, name="checklist_item"),
    path("checklist/<int:pk>/tick/", views.checklist_tick, name="checklist_tick"),
    path("checklist/<int:pk>/untick/", views.checklist_untick, name="checklist_untick"),
    path("milestones/tasks/<int:pk>/tick/", views.task_tick, name="task_tick"),
    path("milestones/tasks/<int:pk>/untick/", views.task_untick, name="task_untick"),
    path("metrics/", views.metric_list, name="metrics"),
    path("metrics/<int:pk>/record/", views.metric_record, name="metric_record"),
    path("runbooks/", views.runbook_list, name="runbooks"),
    path("runbooks/<slug:slug>/", views.runbook_detail, name="runbook"),
    path("runbooks/<slug:slug>/edit/", views.runbook_edit, name="runbook_edit"),
    path("runbooks/<slug:slug>/review/", views.runbook_review, name="runbook_review"),
    path(
        "runbooks/<slug:slug>/history/", views.runbook_history, name="runbook_history"
    ),
    path(
        "runbooks/<slug:slug>/compare/", views.runbook_compare, name="runbook_compare"
    ),
    path("oncall/", views.oncall_page, name="oncall"),
    path("oncall/shifts/", views.shift_add, name="shift_add"),
    path("oncall/shifts/<int:pk>/delete/", views.shift_delete, name="shift_delete"),
]
