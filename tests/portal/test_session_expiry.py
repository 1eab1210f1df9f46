"""Automatic logoff: a session ends after 15 idle minutes (HIPAA 164.312(a)(2)(iii))."""

import datetime
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.roles import VIEWER
from tests.factories import UserFactory
from tests.roles import member_of

pytestmark = pytest.mark.django_db


def at(moment):
    """Run the block as if the clock showed `moment`."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def minutes(count):
    return datetime.timedelta(minutes=count)


def test_it_keeps_a_session_alive_while_the_user_is_active(client):
    start = timezone.now()
    with at(start):
        client.force_login(UserFactory(username="engineer"))

    # Each request pushes the end of the session 15 minutes further.
    for elapsed in (14, 28, 42):
        with at(start + minutes(elapsed)):
            response = client.get("/")
        assert response.status_code == 200


def test_it_logs_out_a_session_idle_for_more_than_15_minutes(client):
    start = timezone.now()
    with at(start):
        client.force_login(UserFactory(username="engineer"))
    with at(start + minutes(10)):
        assert client.get("/").status_code == 200

    with at(start + minutes(25) + datetime.timedelta(seconds=1)):
        response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_it_still_accepts_a_session_idle_for_just_under_15_minutes(client):
    start = timezone.now()
    with at(start):
        client.force_login(UserFactory(username="engineer"))

    with at(start + minutes(15) - datetime.timedelta(seconds=1)):
        response = client.get("/")

    assert response.status_code == 200


def session_writes(queries):
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "django_session"')]


def signed_in_at(client, moment):
    """Logged in, and a first page read, at `moment`: the session is saved then."""
    with at(moment):
        client.force_login(UserFactory(username="engineer"))
        assert client.get("/").status_code == 200


def test_a_page_read_within_a_minute_of_the_last_save_writes_nothing(client):
    start = timezone.now()
    signed_in_at(client, start)
    with (
        at(start + datetime.timedelta(seconds=59)),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get("/runbooks/").status_code == 200
    assert session_writes(queries) == []

    with (
        at(start + datetime.timedelta(seconds=60)),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get("/runbooks/").status_code == 200
    assert len(session_writes(queries)) == 1


def test_the_session_ends_15_minutes_after_its_last_save_not_its_last_read(client):
    start = timezone.now()
    signed_in_at(client, start)
    # Read but not saved: the end stays 15 minutes after the login.
    with at(start + datetime.timedelta(seconds=30)):
        assert client.get("/").status_code == 200

    with at(start + minutes(15) + datetime.timedelta(seconds=1)):
        response = client.get("/")

    assert response.status_code == 302


def test_a_read_a_minute_after_the_last_save_moves_the_end(client):
    start = timezone.now()
    signed_in_at(client, start)
    with at(start + datetime.timedelta(seconds=61)):
        assert client.get("/").status_code == 200

    with at(start + minutes(16)):
        response = client.get("/")

    assert response.status_code == 200


def test_logging_out_leaves_no_session_behind(client):
    client.force_login(UserFactory(username="engineer"))

    client.post("/accounts/logout/")

    assert Session.objects.count() == 0
    assert client.get("/").status_code == 302


def test_a_removed_permission_reaches_the_users_pages_within_a_minute(client):
    start = timezone.now()
    reader = UserFactory(username="reader")
    reader.groups.add(member_of(VIEWER))
    with at(start):
        client.force_login(reader)
        assert client.get("/vendors/").status_code == 200
    reader.groups.clear()

    with at(start + datetime.timedelta(seconds=59)):
        remembered = client.get("/vendors/").status_code
    with at(start + datetime.timedelta(seconds=60)):
        afresh = client.get("/vendors/").status_code

    assert (remembered, afresh) == (200, 403)


def test_a_page_read_within_a_minute_of_the_last_save_reads_no_permissions(client):
    reader = UserFactory(username="reader")
    reader.groups.add(member_of(VIEWER))
    client.force_login(reader)
    # The first page saves the session, and the permissions with it.
    assert client.get("/vendors/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/vendors/").status_code == 200

    assert [q["sql"] for q in queries if "auth_permission" in q["sql"]] == []


def test_a_deactivated_user_is_signed_out_on_the_next_request(client):
    reader = UserFactory(username="reader")
    reader.groups.add(member_of(VIEWER))
    client.force_login(reader)
    assert client.get("/vendors/").status_code == 200

    reader.is_active = False
    reader.save()

    assert client.get("/vendors/").status_code == 302


def test_a_changed_password_signs_the_user_out_on_the_next_request(client):
    reader = UserFactory(username="reader")
    reader.groups.add(member_of(VIEWER))
    client.force_login(reader)
    assert client.get("/vendors/").status_code == 200

    reader.set_password("a new password, changed by an admin")
    reader.save()

    assert client.get("/vendors/").status_code == 302


def test_an_unknown_session_cookie_is_treated_as_signed_out(client):
    client.cookies["sessionid"] = "a-session-key-that-never-existed"

    response = client.get("/")

    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/")


def test_a_deleted_user_is_signed_out_on_the_next_request(client):
    reader = UserFactory(username="reader")
    reader.groups.add(member_of(VIEWER))
    client.force_login(reader)
    assert client.get("/vendors/").status_code == 200

    reader.delete()

    assert client.get("/vendors/").status_code == 302
