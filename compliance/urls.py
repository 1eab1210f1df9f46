from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("checklist/", views.checklist, name="checklist"),
    path("metrics/", views.metric_list, name="metrics"),
    path("runbooks/", views.runbook_list, name="runbooks"),
    path("runbooks/<slug:slug>/", views.runbook_detail, name="runbook"),
]
