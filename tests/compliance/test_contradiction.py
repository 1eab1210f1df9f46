"""A ticked item tied to a metric is contradicted while the metric misses its
target: on the checklist, on the dashboard and in readiness."""

import datetime

import pytest
from django.utils import timezone

from compliance import readiness
from compliance.models import Status
from tests.factories import (
    ChecklistItemFactory,
    ChecklistSectionFactory,
    MeasurementFactory,
    MetricFactory,
)


@pytest.fixture
def coverage(plan):
    return MetricFactory(plan=plan, name="Test coverage", unit="%", target=70)


@pytest.fixture
def item(plan, coverage, engineer):
    section = ChecklistSectionFactory(plan=plan, name="Testing")
    return ChecklistItemFactory(
        section=section,
        title="Test coverage > 70%",
        status=Status.DONE,
        metric=coverage,
        owner=engineer,
    )


def measure(metric, value, minutes_ago):
    return MeasurementFactory(
        metric=metric,
        value=value,
        measured_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_it_contradicts_the_tick_while_the_metric_misses(plan, coverage, item):
    measure(coverage, 30, minutes_ago=5)

    result = readiness.compute(plan)

    assert item.is_contradicted is True
    assert [(b.kind, b.title) for b in result.blockers] == [
        ("contradiction", "Test coverage > 70%")
    ]
    assert [(c.claim, c.fact) for c in result.contradictions] == [
        ("Test coverage > 70% is ticked done", "Test coverage is 30%, target > 70%")
    ]
    assert (result.items_done, result.items_total) == (0, 1)


def test_it_lifts_the_contradiction_when_the_metric_meets_its_target(
    plan, coverage, item
):
    measure(coverage, 30, minutes_ago=60)
    measure(coverage, 72.5, minutes_ago=1)

    item.refresh_from_db()
    result = readiness.compute(plan)

    assert item.is_contradicted is False
    assert result.blockers == []
    assert result.contradictions == []
    assert (result.items_done, result.items_total) == (1, 1)
    assert (result.blocking_done, result.blocking_total) == (1, 1)


def test_it_contradicts_again_when_the_metric_falls_back(plan, coverage, item):
    measure(coverage, 72.5, minutes_ago=60)
    measure(coverage, 69, minutes_ago=1)

    result = readiness.compute(plan)

    assert [(b.kind, b.title) for b in result.blockers] == [
        ("contradiction", "Test coverage > 70%")
    ]


def test_it_does_not_block_launch_with_a_non_blocking_contradiction(
    plan, coverage, item
):
    item.blocking = False
    item.save()
    measure(coverage, 30, minutes_ago=1)

    result = readiness.compute(plan)

    assert result.blockers == []
    assert len(result.contradictions) == 1


def test_it_shows_the_contradiction_on_the_checklist(client, engineer, coverage, item):
    measure(coverage, 30, minutes_ago=1)
    client.force_login(engineer)

    response = client.get("/checklist/")

    row = response.content.decode().split('<tr id="item-')[1]
    assert '<span class="status status-contradicted">contradicted</span>' in row
    assert '<span class="muted">Test coverage misses &gt; 70%</span>' in row


def test_it_shows_the_contradiction_on_the_dashboard(client, engineer, coverage, item):
    measure(coverage, 30, minutes_ago=1)
    client.force_login(engineer)

    response = client.get("/")

    assert b"<q>Test coverage &gt; 70% is ticked done</q>: Test coverage is 30%, " in (
        response.content
    )
    assert b'<dd id="items-count">0 of 1</dd>' in response.content
