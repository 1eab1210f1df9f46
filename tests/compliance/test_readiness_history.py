import datetime

import pytest
from django.utils import timezone

from compliance import readiness, readiness_history
from portal.history import save_with_history
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    MeasurementFactory,
    MetricFactory,
    PlanFactory,
    UserFactory,
)
from vendors.models import Agreement

pytestmark = pytest.mark.django_db

JAN = [datetime.date(2026, 1, day) for day in range(1, 32)]


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def dated(obj, day):
    """Move the newest history row of `obj` to noon of `day`."""
    row = obj.history.first()
    type(row).objects.filter(pk=row.pk).update(history_date=at_noon(day))


@pytest.fixture
def world():
    """On Jan 1: one PHI vendor without a BAA and one blocking item pending.
    Jan 3: the item is done. Jan 5: the BAA is signed."""
    plan = PlanFactory()
    agreement = AgreementFactory(vendor__name="Sentry")
    item = ChecklistItemFactory(section__plan=plan, title="MFA for admins")
    for obj in (agreement.vendor, agreement, item.section, item):
        dated(obj, JAN[0])
    user = UserFactory(username="erin")
    item.status = "done"
    save_with_history(item, user, "Ticked")
    dated(item, JAN[2])
    agreement.status = Agreement.Status.SIGNED
    save_with_history(agreement, user, "Signed")
    dated(agreement, JAN[4])
    return plan


def test_it_rebuilds_the_blocking_counts_day_by_day(world):
    days = readiness_history.daily(world, today=JAN[5])

    assert [(d.day.day, d.blocking_done, d.blocking_total) for d in days] == [
        (1, 0, 2),
        (2, 0, 2),
        (3, 1, 2),
        (4, 1, 2),
        (5, 2, 2),
        (6, 2, 2),
    ]


def test_it_agrees_with_todays_readiness(world):
    today = readiness.compute(world)

    last = readiness_history.daily(world, today=timezone.localdate())[-1]

    assert (last.blocking_done, last.blocking_total) == (
        today.blocking_done,
        today.blocking_total,
    )


def test_it_counts_a_done_item_whose_metric_missed_its_target_as_open():
    plan = PlanFactory()
    metric = MetricFactory(plan=plan, target=70, comparison="gt")
    MeasurementFactory(metric=metric, value=30, measured_at=at_noon(JAN[0]))
    item = ChecklistItemFactory(section__plan=plan, status="done", metric=metric)
    for obj in (metric, metric.measurements.get(), item.section, item):
        dated(obj, JAN[0])
    later = MeasurementFactory(metric=metric, value=80, measured_at=at_noon(JAN[1]))
    dated(later, JAN[1])

    days = readiness_history.daily(plan, today=JAN[1])

    assert [(d.blocking_done, d.blocking_total) for d in days] == [(0, 1), (1, 1)]


def test_it_uses_the_same_queries_for_a_long_history(world, django_assert_num_queries):
    # Vendors, agreements, sections, items, metrics, measurements, shifts.
    with django_assert_num_queries(7):
        readiness_history.daily(world, today=JAN[30])


def test_it_draws_the_chart_on_the_dashboard(client, world):
    client.force_login(UserFactory(username="viewer"))

    response = client.get("/")

    chart = response.context["readiness_chart"]
    assert chart.top == 2
    assert b'class="line-total"' in response.content
    assert b'class="line-done"' in response.content
    assert chart.total_points.split()[0] == "30.0,30.0"
    assert len(chart.dots) == len(chart.days) == 60
    assert response.content.count(b'class="dot-done"') == 60
