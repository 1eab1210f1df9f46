from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import audit, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("timeline/", views.timeline, name="timeline"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("activity/", audit.activity_feed, name="activity"),
    path("activity/export.csv", audit.activity_csv, name="activity-csv"),
    path("access-log/", audit.access_log, name="access-log"),
    path("access-log/export.csv", audit.access_log_csv, name="access-log-csv"),
    path("plan/export.md", audit.plan_document, name="plan-export"),
    path("vendors/", include("vendors.urls")),
    path("", include("compliance.urls")),
    path("admin/", admin.site.urls),
]
