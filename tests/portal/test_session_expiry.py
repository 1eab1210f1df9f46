"""Automatic logoff: a session ends after 15 idle minutes (HIPAA 164.312(a)(2)(iii))."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from tests.factories import UserFactory

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
