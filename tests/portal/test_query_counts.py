"""Every page runs the same number of queries when the plan grows tenfold.

To cover a new page, add a row to PAGES: its path (formatted with the `world`'s
objects) and its query count, with a comment listing the queries. Add to
`grow` whatever new data the page lists.
"""

from dataclasses import dataclass

import pytest

from compliance.models import Status
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    ChecklistSectionFactory,
    MeasurementFactory,
    MetricFactory,
    MilestoneFactory,
    MilestoneTaskFactory,
    PhaseFactory,
    PlanFactory,
    RunbookFactory,
    UserFactory,
    VendorFactory,
    WorkItemFactory,
)
from tests.roles import member_of
from tests.sessions import signed_in
from vendors.models import Agreement

pytestmark = pytest.mark.django_db

SIZE = 2


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every owner is a user; hashing their passwords properly would be most of
    the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    plan: object
    viewer: object
    vendor: object = None
    runbook: object = None


def grow(world, size):
    """Add `size` of every kind of row the pages list, each with its relations."""
    plan = world.plan
    for _ in range(size):
        vendor = VendorFactory()
        AgreementFactory(vendor=vendor, status=Agreement.Status.SIGNED)
        AgreementFactory(vendor=vendor, kind=Agreement.Kind.DPA)
        world.vendor = world.vendor or vendor

        metric = MetricFactory(plan=plan)
        MeasurementFactory(metric=metric, value=80)
        MeasurementFactory(metric=metric, value=60)

        section = ChecklistSectionFactory(plan=plan)
        owner = UserFactory()
        ChecklistItemFactory(section=section, owner=owner)
        ChecklistItemFactory(
            section=section, metric=metric, status=Status.DONE, done_by=owner
        )

        phase = PhaseFactory(plan=plan)
        WorkItemFactory(plan=plan, phase=phase, status=Status.DONE)
        WorkItemFactory(plan=plan, phase=phase)
        WorkItemFactory(plan=plan, optional=True)

        milestone = MilestoneFactory(plan=plan)
        MilestoneTaskFactory(milestone=milestone, done=True)
        MilestoneTaskFactory(milestone=milestone)

        runbook = RunbookFactory(owner=owner)
        world.runbook = world.runbook or runbook
    # An edit of the plan, so that the newest page of /activity/ holds the same
    # kinds of record at both sizes.
    plan.save()


# Every page of a logged-in user starts with the same 2 queries (session, user).
# The session is saved, with the user's permissions, once a minute at most
# (portal/sessions.py); `signed_in` saves it, so no page here saves it or reads
# permissions.
# Readiness is uncached here (the tests' default); CACHED_PAGES counts the pages
# that read it from the cache.
PAGES = [
    # plan; readiness: vendors, their agreements, checklist items (with section,
    # metric, owner, done_by), their metrics' measurements; overdue follow-ups,
    # expiring agreements, runbooks; the readiness chart: the history of vendors,
    # agreements, sections, items, metrics and measurements, and the shifts;
    # phases, their work items; optional work items; the first vendors, their
    # agreements; metrics, their measurements.
    ("/", 24),
    # plan; readiness (4 as above); milestones, their tasks.
    ("/timeline/", 9),
    # vendors counted, a page of them, their agreements.
    ("/vendors/", 5),
    # the vendor, its agreements, contacts, documents, events.
    ("/vendors/{world.vendor.slug}/", 7),
    # plan; readiness (4 as above); the page's items with the same relations,
    # their metrics' measurements.
    ("/checklist/", 9),
    # plan; metrics, their measurements.
    ("/metrics/", 5),
    # runbooks.
    ("/runbooks/", 3),
    # the runbook, its owner.
    ("/runbooks/{world.runbook.slug}/", 3),
    # the feed counted, a page of it, then per kind of record on the page its
    # rows with the versions before them (plan, vendor, agreement, metric,
    # measurement, section, item, phase, work item, milestone, task, runbook),
    # the relations their titles read (agreements' vendors, measurements'
    # metrics), and the people of the filter form.
    ("/activity/", 19),
]
# The same pages with readiness cached, once the cache holds it.
CACHED_PAGES = [
    # the data's fingerprint; the dashboard's panels come from the cache.
    ("/", 3),
    # the data's fingerprint; a reader's timeline comes from the cache.
    ("/timeline/", 3),
    # the data's fingerprint; a reader's checklist comes from the cache.
    ("/checklist/", 3),
    # the data's fingerprint; the list comes from the cache.
    ("/vendors/", 3),
    # the data's fingerprint; the form, the entries and the pager come from the
    # cache.
    ("/activity/", 3),
]


@pytest.fixture
def world():
    # In the Viewer group: the vendor pages and the feed refuse anyone else.
    viewer = UserFactory(username="viewer")
    viewer.groups.add(member_of("Viewer"))
    return World(plan=PlanFactory(), viewer=viewer)


@pytest.mark.parametrize(("path", "queries"), PAGES, ids=[page[0] for page in PAGES])
def test_it_runs_the_same_queries_for_ten_times_the_data(
    client, world, django_assert_num_queries, path, queries
):
    signed_in(client, world.viewer)
    grow(world, SIZE)
    url = path.format(world=world)

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200

    grow(world, 9 * SIZE)

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("path", "queries"), CACHED_PAGES, ids=[page[0] for page in CACHED_PAGES]
)
def test_it_runs_fewer_queries_with_readiness_cached(
    client, world, settings, django_assert_num_queries, path, queries
):
    settings.PORTAL_READINESS_CACHE_SECONDS = 60
    signed_in(client, world.viewer)
    grow(world, SIZE)
    client.get(path)

    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200

    grow(world, 9 * SIZE)
    client.get(path)

    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
