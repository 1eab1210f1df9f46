"""Pages whose parts are cached as HTML still show what the request asks for."""

import time

import pytest
from django.core.cache import caches

from compliance import views as compliance_views
from compliance.models import MilestoneTask
from portal import audit
from portal.roles import ENGINEERING, VIEWER
from tests.factories import (
    ChecklistItemFactory,
    MilestoneTaskFactory,
    PlanFactory,
    UserFactory,
    VendorFactory,
)
from tests.roles import member_of
from vendors import views as vendor_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, settings):
    settings.PORTAL_READINESS_CACHE_SECONDS = 60
    user = UserFactory(username="reader")
    user.groups.add(member_of(VIEWER))
    client.force_login(user)
    return user


def pages_one_and_two(client, path):
    """The HTML of the first and the second page of a paged list."""
    first = client.get(path).content.decode()
    second = client.get(f"{path}?page=2").content.decode()
    return first, second


@pytest.mark.parametrize(
    ("module", "per_page", "path", "first_row", "last_row"),
    [
        (vendor_views, "VENDORS_PER_PAGE", "/vendors/", "Anthropic", "Cloudflare"),
        # Newest first: the last vendor made heads the feed.
        (audit, "PER_PAGE", "/activity/", "Cloudflare", "Anthropic"),
    ],
    ids=["vendors", "activity"],
)
def test_the_second_page_of_a_vendor_list_is_not_the_first_one_again(
    client, reader, monkeypatch, module, per_page, path, first_row, last_row
):
    monkeypatch.setattr(module, per_page, 2)
    for name in ("Anthropic", "Braintrust", "Cloudflare"):
        VendorFactory(name=name)

    first, second = pages_one_and_two(client, path)

    assert (first_row in first, last_row in first) == (True, False)
    assert (first_row in second, last_row in second) == (False, True)


def test_the_second_page_of_the_checklist_is_not_the_first_one_again(
    client, reader, monkeypatch
):
    monkeypatch.setattr(compliance_views, "ITEMS_PER_PAGE", 2)
    plan = PlanFactory()
    for title in ("Backups tested", "Consent screens", "Dependency audit"):
        ChecklistItemFactory(section__plan=plan, title=title)

    first, second = pages_one_and_two(client, "/checklist/")

    assert ("Backups tested" in first, "Dependency audit" in first) == (True, False)
    assert ("Backups tested" in second, "Dependency audit" in second) == (False, True)


def test_the_dashboard_panels_come_from_the_cache_as_html_not_as_text(client, reader):
    PlanFactory(name="Launch plan")
    client.get("/")

    html = client.get("/").content.decode()

    assert html.count('<section class="panel summary">') == 1
    assert html.count("&lt;section") == 0


def test_a_readers_timeline_comes_from_the_cache_an_engineers_is_fresh(client, reader):
    MilestoneTaskFactory(title="Send BAA requests")
    assert "Send BAA requests" in client.get("/timeline/").content.decode()
    # A change without a history row is unseen by the cache: proof it is used.
    MilestoneTask.objects.update(title="Send BAA requests to vendors")
    readers = client.get("/timeline/").content.decode()
    engineer = UserFactory(username="engineer")
    engineer.groups.add(member_of(ENGINEERING))
    client.force_login(engineer)

    engineers = client.get("/timeline/").content.decode()

    assert ("Send BAA requests to vendors" in readers, "Tick done" in readers) == (
        False,
        False,
    )
    assert "Send BAA requests to vendors" in engineers
    assert engineers.count("Tick done") == 1


def test_a_processs_own_copy_ends_when_the_shared_copy_would(
    client, reader, settings, monkeypatch
):
    start, lifetime = time.time(), settings.PORTAL_READINESS_CACHE_SECONDS
    MilestoneTaskFactory(title="Send BAA requests")
    client.get("/timeline/")
    MilestoneTask.objects.update(title="Send BAA requests to vendors")
    # As if another process had made the shared copy: this one reads it later.
    caches["html"].clear()
    monkeypatch.setattr(time, "time", lambda: start + lifetime - 10)
    kept = client.get("/timeline/").content.decode()
    monkeypatch.setattr(time, "time", lambda: start + lifetime + 1)

    fresh = client.get("/timeline/").content.decode()

    assert ("to vendors" in kept, "to vendors" in fresh) == (False, True)
