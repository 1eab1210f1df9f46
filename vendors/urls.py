from django.urls import path

from . import views

app_name = "vendors"
urlpatterns = [
    path("", views.vendor_list, name="list"),
    path("<slug:slug>/", views.vendor_detail, name="detail"),
    path("<slug:slug>/history/", views.vendor_history, name="history"),
    path("<slug:slug>/contacts/", views.contact_add, name="contact_add"),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
    path(
        "<slug:slug>/<str:kind>/<str:action>/",
        views.agreement_action,
        name="action",
    ),
]
