import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.models import AccessEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def auditor(db):
    user = UserFactory(username="audrey")
    user.groups.add(Group.objects.get(name="Viewer"))
    return user


def test_it_records_a_login_with_user_and_address(client, auditor):
    client.post("/accounts/login/", {"username": "audrey", "password": PASSWORD})

    event = AccessEvent.objects.get()
    assert (event.kind, event.user, event.username, event.address) == (
        "login",
        auditor,
        "audrey",
        "127.0.0.1",
    )


def test_it_records_a_failed_login_with_the_name_tried(client, auditor):
    response = client.post(
        "/accounts/login/", {"username": "nobody", "password": "guess"}
    )

    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert (event.kind, event.user, event.username, event.address) == (
        "login_failed",
        None,
        "nobody",
        "127.0.0.1",
    )


def test_it_records_a_logout(client, auditor):
    client.force_login(auditor)

    client.post("/accounts/logout/")

    assert list(AccessEvent.objects.values_list("kind", "username")) == [
        ("logout", "audrey"),
        ("login", "audrey"),
    ]


def test_it_lists_events_newest_first_for_an_auditor(client, auditor):
    client.force_login(auditor)
    AccessEvent.objects.create(kind="download", username="lena", detail="Sentry BAA")

    response = client.get("/access-log/")

    assert [(e.kind, e.username) for e in response.context["page"]] == [
        ("download", "lena"),
        ("login", "audrey"),
    ]
    assert b"Sentry BAA" in response.content


def test_it_filters_events_by_kind_user_and_date(client, auditor):
    client.force_login(auditor)
    lena = UserFactory(username="lena")
    old = AccessEvent.objects.create(kind="login", user=lena, username="lena")
    AccessEvent.objects.filter(pk=old.pk).update(
        at=timezone.make_aware(datetime.datetime(2026, 1, 1, 12))
    )
    recent = AccessEvent.objects.create(kind="login", user=lena, username="lena")
    today = timezone.localdate().isoformat()

    response = client.get(
        "/access-log/", {"kind": "login", "user": lena.pk, "start": today}
    )

    assert list(response.context["page"]) == [recent]


def test_it_refuses_the_access_log_to_a_user_without_permission(client):
    client.force_login(UserFactory(username="outsider"))

    response = client.get("/access-log/")

    assert response.status_code == 403


def test_it_exports_the_access_log_as_csv_and_records_the_export(client, auditor):
    client.force_login(auditor)
    AccessEvent.objects.create(kind="login_failed", username="=cmd|calc")

    response = client.get("/access-log/export.csv", {"kind": "login_failed"})

    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "when,event,user,address,detail"
    assert lines[1].split(",")[1:] == ["Failed login", "'=cmd|calc", "", ""]
    assert len(lines) == 2
    export = AccessEvent.objects.get(kind="export")
    assert (export.user, export.detail) == (auditor, "access log as CSV")


def test_it_refuses_an_end_date_on_the_last_day_of_the_calendar(client, auditor):
    client.force_login(auditor)

    response = client.get("/access-log/", {"end": "9999-12-31"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end": ["Give an end date before 9999-12-31."]
    }
    assert b"Give an end date before 9999-12-31." in response.content
    assert list(response.context["page"]) == []


def test_it_exports_nothing_for_an_end_date_on_the_last_day(client, auditor):
    client.force_login(auditor)

    response = client.get("/access-log/export.csv", {"end": "9999-12-31"})

    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == ["when,event,user,address,detail"]
