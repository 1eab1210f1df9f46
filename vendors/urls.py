from django.urls import path

from . import views

app_name = "vendors"
urlpatterns = [
    path("", views.vendor_list, name="list"),
    path("<slug:slug>/", views.vendor_detail, name="detail"),
    path("<slug:slug>/history/", views.vendor_history, name="history"),
    path("<slug:slug>/contacts/", views.contact_add, name="contact_add"),
    path(
        "<slug:slug>/contacts/<int:pk>/remove/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("<slug:slug>/notes/", views.vendor_notes, name="notes"),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
    path(
        "<slug:slug>/<str:kind>/<str:action>/",
        views.agreement_action,
        name="action",
    ),
]
