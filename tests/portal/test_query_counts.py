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


# Every page of a logged-in user starts with the same 2 queries (session, user)
# and ends with 3 for saving the session, which is refreshed on every request
# for the idle timeout (SAVEPOINT, UPDATE django_session, RELEASE SAVEPOINT).
PAGES = [
    # plan; readiness: vendors, their agreements, checklist items (with section,
    # metric, owner, done_by), their metrics' measurements; phases, their work
    # items; optional work items; metrics, their measurements.
    ("/", 15),
    # plan; readiness (4 as above); milestones, their tasks.
    ("/timeline/", 12),
    # vendors, their agreements.
    ("/vendors/", 7),
    # the vendor, its agreements.
    ("/vendors/{world.vendor.slug}/", 7),
    # plan; readiness (4 as above).
    ("/checklist/", 10),
    # plan; metrics, their measurements.
    ("/metrics/", 8),
    # runbooks.
    ("/runbooks/", 6),
    # the runbook, its owner.
    ("/runbooks/{world.runbook.slug}/", 7),
]


@pytest.fixture
def world():
    return World(plan=PlanFactory(), viewer=UserFactory(username="viewer"))


@pytest.mark.parametrize(("path", "queries"), PAGES, ids=[page[0] for page in PAGES])
def test_it_runs_the_same_queries_for_ten_times_the_data(
    client, world, django_assert_num_queries, path, queries
):
    client.force_login(world.viewer)
    grow(world, SIZE)
    url = path.format(world=world)

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200

    grow(world, 9 * SIZE)

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
