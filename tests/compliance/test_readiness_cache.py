"""Readiness cached until the next recorded change or the next day."""

import datetime

import pytest
from django.utils import timezone

from compliance import readiness, readiness_history
from compliance.models import ChecklistItem, Status
from portal.history import save_with_history
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    ChecklistSectionFactory,
    UserFactory,
)
from vendors.models import Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PORTAL_READINESS_CACHE_SECONDS = 60


@pytest.fixture
def world(plan):
    """One PHI vendor without a signed BAA and two blocking items, one done."""
    AgreementFactory(vendor__name="Twilio", status=Agreement.Status.REQUESTED)
    section = ChecklistSectionFactory(plan=plan, name="Security")
    ChecklistItemFactory(section=section, title="MFA enforced")
    ChecklistItemFactory(section=section, title="TLS everywhere", status=Status.DONE)
    return plan


def counts(summary):
    return (summary.blocking_done, summary.blocking_total, len(summary.blockers))


def test_it_reuses_the_cached_readiness_with_one_query(
    cached, world, django_assert_num_queries
):
    first = readiness.current(world)
    # A change that writes no history row goes unseen: proof the copy is reused.
    ChecklistItem.objects.filter(title="MFA enforced").update(status=Status.DONE)

    with django_assert_num_queries(1):  # the data's fingerprint
        again = readiness.current(world)

    assert counts(first) == counts(again) == (1, 3, 2)


def test_it_recounts_after_a_change_with_its_history_row(cached, world):
    assert counts(readiness.current(world)) == (1, 3, 2)
    item = ChecklistItem.objects.get(title="MFA enforced")
    item.status = Status.DONE
    save_with_history(item, UserFactory(), "Ticked")

    assert counts(readiness.current(world)) == (2, 3, 1)
    assert [s.done for s in readiness.current_items(world)] == [True, True]


def test_it_recounts_on_a_new_day(cached, world, monkeypatch):
    today = timezone.localdate()
    assert counts(readiness.current(world)) == (1, 3, 2)
    ChecklistItem.objects.filter(title="MFA enforced").update(status=Status.DONE)

    monkeypatch.setattr(
        timezone, "localdate", lambda: today + datetime.timedelta(days=1)
    )

    assert counts(readiness.current(world)) == (2, 3, 1)


def test_it_counts_afresh_every_time_with_the_cache_off(world, settings):
    settings.PORTAL_READINESS_CACHE_SECONDS = 0
    assert counts(readiness.current(world)) == (1, 3, 2)

    ChecklistItem.objects.filter(title="MFA enforced").update(status=Status.DONE)

    assert counts(readiness.current(world)) == (2, 3, 1)


def test_it_caches_what_compute_says(cached, world):
    computed = readiness.compute(world)

    summary, items = readiness.current_with_items(world)

    assert summary.blockers == computed.blockers
    assert summary.contradictions == computed.contradictions
    assert [(s.name, s.done, s.total) for s in summary.sections] == [("Security", 1, 2)]
    assert [(i.done, i.blocking, i.contradicted) for i in items] == [
        (False, True, False),
        (True, True, False),
    ]


def test_it_caches_the_chart_until_the_next_change(cached, world):
    first = readiness_history.dashboard_context(world)["readiness_chart"]
    ChecklistItem.objects.filter(title="MFA enforced").update(status=Status.DONE)
    unchanged = readiness_history.dashboard_context(world)["readiness_chart"]
    agreement = Agreement.objects.get()
    agreement.status = Agreement.Status.SIGNED
    save_with_history(agreement, UserFactory(), "Signed")

    changed = readiness_history.dashboard_context(world)["readiness_chart"]

    assert (first.last.blocking_done, first.last.blocking_total) == (1, 3)
    assert (unchanged.last.blocking_done, unchanged.last.blocking_total) == (1, 3)
    # Today's point is today's readiness, recounted after the signature's history
    # row: it sees the update too.
    assert (changed.last.blocking_done, changed.last.blocking_total) == (3, 3)


def test_it_replays_the_past_days_once_a_day(cached, world, monkeypatch):
    readiness_history.cached_daily(world)
    replays = []
    monkeypatch.setattr(
        readiness_history, "daily", lambda *args: replays.append(args) or []
    )
    item = ChecklistItem.objects.get(title="MFA enforced")
    item.status = Status.DONE
    save_with_history(item, UserFactory(), "Ticked")

    days = readiness_history.cached_daily(world)

    assert replays == []
    assert [(d.day, d.blocking_done, d.blocking_total) for d in days] == [
        (timezone.localdate(), 2, 3)
    ]


def test_it_replays_the_past_days_again_on_a_new_day(cached, world, monkeypatch):
    today = timezone.localdate()
    readiness_history.cached_daily(world)
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)

    days = readiness_history.cached_daily(world)

    assert [(d.day, d.blocking_done, d.blocking_total) for d in days] == [
        (today, 1, 3),
        (tomorrow, 1, 3),
    ]


def test_it_serves_the_dashboard_panels_from_the_cache_until_a_change(
    cached, client, viewer, world
):
    client.force_login(viewer)
    assert "Launch is blocked: 2 open blockers." in client.get("/").content.decode()
    ChecklistItem.objects.filter(title="MFA enforced").update(status=Status.DONE)
    assert "Launch is blocked: 2 open blockers." in client.get("/").content.decode()
    agreement = Agreement.objects.get()
    agreement.status = Agreement.Status.SIGNED
    save_with_history(agreement, UserFactory(), "Signed")

    html = client.get("/").content.decode()

    assert "Nothing blocks launch." in html


def test_it_serves_a_readers_checklist_rows_from_the_cache_until_a_change(
    cached, client, viewer, engineer, world
):
    client.force_login(viewer)
    assert b"MFA enforced" in client.get("/checklist/?show=open").content
    ChecklistItem.objects.filter(title="MFA enforced").update(title="MFA (renamed)")
    cached_rows = client.get("/checklist/?show=open").content
    client.force_login(engineer)
    engineers_rows = client.get("/checklist/?show=open").content
    agreement = Agreement.objects.get()
    agreement.status = Agreement.Status.SIGNED
    save_with_history(agreement, UserFactory(), "Signed")
    client.force_login(viewer)

    fresh_rows = client.get("/checklist/?show=open").content

    assert b"MFA enforced" in cached_rows
    # An engineer's rows carry tick forms with their own token: never cached.
    assert b"MFA (renamed)" in engineers_rows
    assert b"MFA (renamed)" in fresh_rows


def test_it_serves_the_vendor_rows_and_the_feed_from_the_cache_until_a_change(
    cached, client, viewer, world
):
    client.force_login(viewer)
    assert b"Twilio" in client.get("/vendors/").content
    assert b"Twilio" in client.get("/activity/").content
    Agreement.objects.get().vendor.__class__.objects.update(name="Twilio Inc")
    cached_list = client.get("/vendors/").content
    item = ChecklistItem.objects.get(title="MFA enforced")
    item.status = Status.DONE
    save_with_history(item, UserFactory(), "Ticked")

    fresh_list = client.get("/vendors/").content
    fresh_feed = client.get("/activity/").content.decode()

    assert b"Twilio Inc" not in cached_list
    assert b"Twilio Inc" in fresh_list
    assert "Ticked" in fresh_feed
