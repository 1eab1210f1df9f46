"""Errors show the portal's own page, never a traceback or a database message."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.urls("tests.portal.error_urls")

LAYOUT = "· Launch readiness portal</title>"


@pytest.fixture
def failing_client(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def test_it_shows_the_403_page_with_what_is_missing(failing_client, user):
    failing_client.force_login(user)

    response = failing_client.get("/forbidden/")

    assert response.status_code == 403
    body = response.content.decode()
    assert LAYOUT in body
    assert "<h1>You are not allowed to do this</h1>" in body
    assert "<p>Editing agreements needs the Legal role.</p>" in body
    # A logged-in user keeps the navigation of the layout.
    assert 'href="/vendors/"' in body


def test_it_shows_the_404_page_without_the_lookup_detail(failing_client, user):
    failing_client.force_login(user)

    response = failing_client.get("/missing/")

    assert response.status_code == 404
    body = response.content.decode()
    assert LAYOUT in body
    assert "<h1>Page not found</h1>" in body
    assert "No Vendor matches" not in body


def test_it_shows_the_404_page_for_an_unknown_vendor(failing_client, user):
    user.groups.add(Group.objects.get(name="Viewer"))
    failing_client.force_login(user)

    response = failing_client.get("/vendors/no-such-vendor/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_it_shows_the_400_page_without_the_reason(failing_client, user):
    failing_client.force_login(user)

    response = failing_client.get("/suspicious/")

    assert response.status_code == 400
    body = response.content.decode()
    assert LAYOUT in body
    assert "<h1>The request could not be understood</h1>" in body
    assert "passwd" not in body


def test_it_shows_the_500_page_without_traceback_or_database_message(
    failing_client, user
):
    failing_client.force_login(user)

    response = failing_client.get("/database-error/")

    assert response.status_code == 500
    body = response.content.decode()
    assert LAYOUT in body
    assert "<h1>Something went wrong on our side</h1>" in body
    for leak in ("Traceback", "no_such_table", "secret_column", "psycopg"):
        assert leak not in body


def test_it_shows_the_400_page_for_an_unknown_host(failing_client):
    response = failing_client.get("/accounts/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>The request could not be understood</h1>" in body
    assert "evil.example" not in body


def test_it_shows_the_csrf_page_in_the_layout(user, settings):
    from django.test import Client

    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/accounts/login/", {"username": "viewer", "password": "wrong"}
    )

    assert response.status_code == 403
    body = response.content.decode()
    assert LAYOUT in body
    assert "<h1>The form has expired</h1>" in body
