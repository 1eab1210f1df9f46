"""/vendors/: statuses, follow-up dates and filters."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory, VendorFactory
from tests.sessions import signed_in
from vendors.models import Agreement

Status = Agreement.Status


@pytest.fixture
def world(db):
    today = timezone.localdate()
    overdue = VendorFactory(name="Overdue Health", slug="overdue-health")
    AgreementFactory(
        vendor=overdue,
        status=Status.REQUESTED,
        requested_on=today - datetime.timedelta(days=12),
        last_contact_on=today - datetime.timedelta(days=8),
    )
    signed = VendorFactory(name="Signed Labs", slug="signed-labs")
    AgreementFactory(vendor=signed, status=Status.SIGNED)
    VendorFactory(name="No Phi Mail", slug="no-phi-mail", handles_phi=False)
    return today


def names(response):
    return [row.vendor.name for row in response.context["rows"]]


def test_it_shows_days_since_request_and_the_next_follow_up(client, viewer, world):
    client.force_login(viewer)

    response = client.get(reverse("vendors:list"))

    row = response.context["rows"][1]
    assert row.vendor.name == "Overdue Health"
    assert row.days_since_request == 12
    assert row.next_follow_up_on == world - datetime.timedelta(days=1)
    assert row.overdue is True
    assert '<span class="follow-up overdue">overdue by 1 day</span>' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["No Phi Mail", "Overdue Health", "Signed Labs"]),
        ({"status": "signed"}, ["Signed Labs"]),
        ({"status": "not_started"}, ["No Phi Mail"]),
        ({"overdue": "on"}, ["Overdue Health"]),
        ({"phi": "no"}, ["No Phi Mail"]),
        ({"phi": "yes", "status": "requested"}, ["Overdue Health"]),
    ],
)
def test_it_filters_the_vendors(client, viewer, world, query, expected):
    client.force_login(viewer)

    response = client.get(reverse("vendors:list"), query)

    assert names(response) == expected


def test_it_ignores_a_filter_it_does_not_know(client, viewer, world):
    client.force_login(viewer)

    response = client.get(reverse("vendors:list"), {"status": "bribed"})

    assert names(response) == ["No Phi Mail", "Overdue Health", "Signed Labs"]
    assert response.context["form"].errors["status"] == [
        "Select a valid choice. bribed is not one of the available choices."
    ]


def test_it_says_due_today_by_the_portal_clock_not_utc(
    client, viewer, vendor, monkeypatch, settings
):
    settings.TIME_ZONE = "America/Sao_Paulo"
    # 01:30 UTC on 10 March is still 22:30 on 9 March in São Paulo.
    late_evening = datetime.datetime(2026, 3, 10, 1, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening)
    AgreementFactory(
        vendor=vendor,
        status=Status.REQUESTED,
        requested_on=datetime.date(2026, 3, 2),
    )
    client.force_login(viewer)

    response = client.get(reverse("vendors:list"))

    assert response.context["today"] == datetime.date(2026, 3, 9)
    assert "due today" in response.content.decode()


def test_it_is_refused_to_a_user_in_no_group(client, outsider):
    client.force_login(outsider)

    response = client.get(reverse("vendors:list"))

    assert response.status_code == 403
    assert "You may not see vendor agreements" in response.content.decode()


def list_queries(client, count, batch):
    """The tables read by each SELECT of one list page, after adding vendors."""
    for n in range(count):
        AgreementFactory(
            vendor=VendorFactory(name=f"Bulk {batch} {n}"),
            status=Status.REQUESTED,
            requested_on=datetime.date(2026, 3, 1),
        )
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("vendors:list"))
    return [q["sql"].split('"')[1] for q in queries if q["sql"].startswith("SELECT")]


def test_it_runs_the_same_number_of_queries_for_more_vendors(client, viewer):
    signed_in(client, viewer)

    small, large = list_queries(client, 2, "a"), list_queries(client, 6, "b")

    # Permissions come with the session; the paginator counts the vendors
    # (COUNT(*) AS "__count"), then reads its page.
    assert small == large
    assert small == [
        "django_session",
        "auth_user",
        "__count",
        "vendors_vendor",
        "vendors_agreement",
    ]


def test_it_lists_the_vendors_fifty_to_a_page_keeping_the_filter(client, viewer):
    # Vendors 00, 12, 24, 36 and 48 handle no PHI: 55 of the 60 do.
    for number in range(60):
        VendorFactory(name=f"Vendor {number:02d}", handles_phi=number % 12 != 0)
    client.force_login(viewer)

    first = client.get(reverse("vendors:list") + "?phi=yes")
    second = client.get(reverse("vendors:list") + "?phi=yes&page=2")

    assert len(first.context["rows"]) == 50
    assert names(first)[:2] == ["Vendor 01", "Vendor 02"]
    assert b'<a href="?phi=yes&amp;page=2">Next</a>' in first.content
    assert names(second) == [
        "Vendor 55",
        "Vendor 56",
        "Vendor 57",
        "Vendor 58",
        "Vendor 59",
    ]
    assert b'<a href="?phi=yes&amp;page=1">Previous</a>' in second.content
