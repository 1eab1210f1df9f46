import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.models import Shift
from portal.history import save_with_history
from portal.models import AccessEvent
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    RunbookFactory,
    UserFactory,
    VendorFactory,
)
from tests.sessions import signed_in
from vendors.models import Agreement, AgreementEvent, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(client):
    user = UserFactory(username="audrey")
    user.groups.add(Group.objects.get(name="Viewer"))
    signed_in(client, user)
    return user


@pytest.fixture
def lena(db):
    return UserFactory(username="lena")


def move_to(model, day, **lookup):
    """Pretend these history rows were written at noon of `day` (local time)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    model.history.filter(**lookup).update(history_date=moment)


def test_it_lists_changes_of_every_kind_newest_first_with_what_changed(
    client, auditor, lena
):
    agreement = AgreementFactory(vendor__name="Sentry")
    agreement.status = Agreement.Status.REQUESTED
    save_with_history(agreement, lena, "Sent the BAA")
    RunbookFactory(title="Breach response")

    response = client.get("/activity/")

    entries = response.context["entries"]
    assert [(e.kind_label, e.title, e.action) for e in entries] == [
        ("Runbook", "Breach response", "created"),
        ("Agreement", "Sentry BAA", "changed"),
        ("Agreement", "Sentry BAA", "created"),
        ("Vendor", "Sentry", "created"),
    ]
    changed = entries[1]
    assert (changed.user, changed.reason) == (lena, "Sent the BAA")
    assert changed.summary() == "status: Not started → Requested"
    assert entries[0].url == "/runbooks/breach-response/"
    assert entries[3].url == Vendor.objects.get().get_absolute_url()
    assert b"<del>Not started</del>" in response.content


def test_it_filters_by_user(client, auditor, lena):
    vendor = VendorFactory(name="Sentry")
    vendor.service = "Errors"
    save_with_history(vendor, lena, "Clearer service")

    response = client.get("/activity/", {"user": lena.pk})

    assert [(e.title, e.user) for e in response.context["entries"]] == [
        ("Sentry", lena)
    ]


def test_it_filters_by_kind_of_record(client, auditor):
    VendorFactory(name="Sentry")
    ChecklistItemFactory(title="MFA for admins")

    response = client.get("/activity/", {"kind": "checklistitem"})

    assert [e.title for e in response.context["entries"]] == ["MFA for admins"]


def test_it_filters_by_date_range_in_the_portal_time_zone(client, auditor):
    for name, day in [("Old", 1), ("Inside", 5), ("Late", 9)]:
        VendorFactory(name=name)
        move_to(Vendor, datetime.date(2026, 1, day), name=name)

    response = client.get("/activity/", {"start": "2026-01-02", "end": "2026-01-05"})

    assert [e.title for e in response.context["entries"]] == ["Inside"]


def test_it_says_so_when_the_end_is_before_the_start(client, auditor):
    VendorFactory()

    response = client.get("/activity/", {"start": "2026-01-05", "end": "2026-01-02"})

    assert response.context["form"].errors == {
        "end": ["The end date is before the start date."]
    }
    assert response.context["entries"] == []


def test_it_pages_fifty_entries_at_a_time(client, auditor):
    VendorFactory.create_batch(51)

    first = client.get("/activity/")
    second = client.get("/activity/", {"page": 2})

    assert len(first.context["entries"]) == 50
    assert len(second.context["entries"]) == 1
    assert second.context["entries"][0].record.history_id == (
        Vendor.history.order_by("history_id").first().history_id
    )


def feed_queries(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/activity/")
    return len(queries)


def test_it_reads_a_page_in_the_same_number_of_queries_whatever_its_size(
    client, auditor, lena
):
    def world(n):
        for _ in range(n):
            agreement = AgreementFactory()
            agreement.status = Agreement.Status.SIGNED
            save_with_history(agreement, lena, "Signed")
            AgreementEvent.objects.create(
                agreement=agreement, kind="signed", happened_on=timezone.localdate()
            )
            ChecklistItemFactory()

    world(1)
    small = feed_queries(client)
    world(10)
    large = feed_queries(client)

    # Session, user, the count, the page,
    # one per kind on the page (vendor, agreement, agreement event, checklist
    # item, section, plan), the agreements' vendors, the events' agreements and
    # their vendors, and the user filter's choices.
    assert (small, large) == (14, 14)


def test_it_hides_kinds_the_user_may_not_view(client):
    user = UserFactory(username="outsider")
    client.force_login(user)

    response = client.get("/activity/")

    assert response.status_code == 403


def test_it_exports_the_filtered_feed_as_csv_and_logs_the_export(client, auditor, lena):
    vendor = VendorFactory(name="=Sentry")
    vendor.service = "Errors"
    save_with_history(vendor, lena, "Clearer service")

    response = client.get("/activity/export.csv", {"user": lena.pk})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "when,user,record,id,title,action,changes,reason"
    assert lines[1].split(",")[1:] == [
        "lena",
        "Vendor",
        str(vendor.pk),
        "'=Sentry",
        "changed",
        "service: Hosting → Errors",
        "Clearer service",
    ]
    assert len(lines) == 2
    event = AccessEvent.objects.get(kind="export")
    assert (event.user, event.detail) == (auditor, "activity feed as CSV")


def test_it_names_shifts_without_a_query_per_row(client, auditor, lena):
    def shifts(n):
        start = timezone.now()
        for hour in range(n):
            Shift.objects.create(
                engineer=lena,
                starts_at=start + datetime.timedelta(hours=hour),
                ends_at=start + datetime.timedelta(hours=hour + 1),
                escalation_contact="CTO",
            )

    shifts(1)
    small = feed_queries(client)
    shifts(10)
    large = feed_queries(client)

    assert small == large


def test_it_refuses_an_end_date_on_the_last_day_of_the_calendar(client, auditor):
    VendorFactory(name="Sentry")

    response = client.get("/activity/", {"end": "9999-12-31"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end": ["Give an end date before 9999-12-31."]
    }
    assert b"Give an end date before 9999-12-31." in response.content
    assert response.context["entries"] == []


@pytest.mark.django_db
def test_the_version_lookup_puts_no_order_by_inside_its_union():
    # SQLite, which `make run` uses, refuses ORDER BY in a compound statement's
    # parts; PostgreSQL accepts it, so only the SQL itself can show the mistake.
    from portal.activity import with_previous
    from vendors.models import Vendor

    sql = str(with_previous(Vendor.history.model, [1, 2]).query)

    union = sql[sql.index("IN (") : sql.rindex(")")]
    first_part = union[: union.index("UNION ALL")]
    # The second part orders inside its scalar subquery (LIMIT 1), which is
    # fine; after its own WHERE clause nothing may follow.
    second_part_end = union[union.rindex("IN (1, 2)") :]
    assert "ORDER BY" not in first_part
    assert "ORDER BY" not in second_part_end
