"""Repeated failed logins lock the username or the address out for a while."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Dozens of logins here; the production hasher's cost proves nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username, password, address="127.0.0.1", **headers):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail_to_log_in(client, usernames, address="127.0.0.1", **headers):
    """Log in with a wrong password once per username; the status codes."""
    return [
        log_in(client, username, "wrong password", address, **headers).status_code
        for username in usernames
    ]


def is_logged_in(client):
    return client.get("/").status_code == 200


def test_it_locks_a_username_out_after_five_failures(client):
    UserFactory(username="engineer")
    statuses = fail_to_log_in(client, ["engineer"] * 5)

    # The fifth failure reaches the limit and is answered with the lockout page.
    assert statuses == [200, 200, 200, 200, 429]
    # Even the right password is refused now, from another address too.
    response = log_in(client, "engineer", PASSWORD, address="10.0.0.9")

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert is_logged_in(client) is False


def test_it_records_the_failures(client):
    UserFactory(username="engineer")

    fail_to_log_in(client, ["engineer"] * 5, address="10.0.0.7")

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "engineer"
    assert attempt.ip_address == "10.0.0.7"
    assert attempt.failures_since_start == 5


def test_it_locks_an_address_out_after_five_failures_on_any_usernames(client):
    UserFactory(username="engineer")
    guesses = ["admin", "root", "legal", "eng", "ops"]
    assert fail_to_log_in(client, guesses, address="10.0.0.7")[-1] == 429

    from_there = log_in(client, "engineer", PASSWORD, address="10.0.0.7")

    assert from_there.status_code == 429
    assert is_logged_in(client) is False
    # The same user from their own address is not punished for the attacker.
    from_home = log_in(client, "engineer", PASSWORD, address="10.0.0.8")
    assert from_home.status_code == 302
    assert is_logged_in(client) is True


def test_it_ignores_a_forged_forwarded_for_header(client):
    UserFactory(username="engineer")
    for number in range(5):
        fail_to_log_in(
            client,
            [f"guess{number}"],
            address="10.0.0.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )

    response = log_in(
        client,
        "engineer",
        PASSWORD,
        address="10.0.0.7",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )

    assert response.status_code == 429


def test_it_lets_the_user_in_again_after_the_cool_off(client):
    UserFactory(username="engineer")
    fail_to_log_in(client, ["engineer"] * 5)
    # Fifteen minutes and a second pass.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1)
    )

    response = log_in(client, "engineer", PASSWORD)

    assert response.status_code == 302
    assert response.url == "/"
    assert is_logged_in(client) is True


def test_it_forgets_fewer_failures_after_a_successful_login(client):
    UserFactory(username="engineer")
    assert fail_to_log_in(client, ["engineer"] * 4) == [200, 200, 200, 200]
    assert log_in(client, "engineer", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    assert fail_to_log_in(client, ["engineer"] * 4) == [200, 200, 200, 200]

    assert log_in(client, "engineer", PASSWORD).status_code == 302
