"""A test-only URL configuration whose views fail in each way a real view can."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection, transaction
from django.http import Http404
from django.urls import include, path


def forbidden(request):
    raise PermissionDenied("Editing agreements needs the Legal role.")


def missing(request):
    raise Http404("No Vendor matches the given query.")


def suspicious(request):
    raise SuspiciousOperation("Tampered upload name /etc/passwd")


def database_error(request):
    # The savepoint keeps the test's own transaction usable after the error.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM no_such_table")


urlpatterns = [
    path("forbidden/", forbidden),
    path("missing/", missing),
    path("suspicious/", suspicious),
    path("database-error/", database_error),
    path("", include("portal.urls")),
]
