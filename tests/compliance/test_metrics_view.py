import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance import charts
from compliance.models import Measurement
from tests.factories import MeasurementFactory, MetricFactory

URL = "/metrics/"


@pytest.fixture
def coverage(plan):
    return MetricFactory(plan=plan, name="Test coverage", unit="%", target=70)


def record_url(metric):
    return reverse("compliance:metric_record", args=[metric.pk])


def test_it_shows_the_latest_measurement_with_who_when_and_source(
    client, viewer, engineer, coverage
):
    MeasurementFactory(
        metric=coverage,
        value=30,
        measured_at=timezone.make_aware(datetime.datetime(2026, 1, 9, 9, 30)),
        source="old run",
    )
    MeasurementFactory(
        metric=coverage,
        value=Decimal("41.5"),
        measured_at=timezone.make_aware(datetime.datetime(2026, 1, 10, 9, 30)),
        recorded_by=engineer,
        source="CI run 12",
    )
    client.force_login(viewer)

    response = client.get(URL)

    content = response.content.decode()
    assert '<dd class="latest">41.5%' in content
    assert "<dd>2026-01-10 09:30 by engineer</dd>" in content
    assert "<dd>CI run 12</dd>" in content
    assert "All 2 measurements" in content
    assert 'aria-label="Trend of 2 measurements"' in content
    assert record_url(coverage) not in content


def test_it_records_a_new_measurement_and_keeps_the_old(client, engineer, coverage):
    MeasurementFactory(metric=coverage, value=30)
    client.force_login(engineer)

    response = client.post(record_url(coverage), {"value": "72.4", "source": "CI 13"})

    assert response.status_code == 302
    assert response["Location"] == f"/metrics/#metric-{coverage.pk}"
    values = list(
        Measurement.objects.filter(metric=coverage)
        .order_by("measured_at")
        .values_list("value", "source", "recorded_by__username")
    )
    assert values == [
        (Decimal("30.0000"), "test", None),
        (Decimal("72.4000"), "CI 13", "engineer"),
    ]
    coverage.refresh_from_db()
    assert coverage.is_met() is True
    assert Measurement.history.first().history_user == engineer


@pytest.mark.parametrize(
    "value, error",
    [
        ("", "This field is required."),
        ("seventy", "Enter a number."),
        (
            "12345678901",
            "Ensure that there are no more than 10 digits before the decimal point.",
        ),
    ],
)
def test_it_refuses_a_bad_value(client, engineer, coverage, value, error):
    client.force_login(engineer)

    response = client.post(record_url(coverage), {"value": value})

    assert response.status_code == 400
    assert f'<span class="field-error">{error}</span>'.encode() in response.content
    assert Measurement.objects.count() == 0


def test_it_forbids_viewers_to_record(client, viewer, coverage):
    client.force_login(viewer)

    response = client.post(record_url(coverage), {"value": "90"})

    assert response.status_code == 403
    assert b"Only Engineering may record measurements." in response.content
    assert Measurement.objects.count() == 0


def test_it_draws_the_trend_oldest_to_newest_against_the_target(coverage):
    now = timezone.now()
    for minutes, value in [(30, 40), (20, 100), (10, 70)]:
        MeasurementFactory(
            metric=coverage,
            value=value,
            measured_at=now - datetime.timedelta(minutes=minutes),
        )

    trend = charts.trend(coverage, width=104, height=48)

    # x from 4 to 100 in two steps; y from 44 (lowest, 40) to 4 (highest, 100).
    assert trend.points == "4.0,44.0 52.0,4.0 100.0,24.0"
    assert trend.target_y == 24.0
    assert (trend.last_x, trend.last_y) == (100.0, 24.0)


def test_it_draws_no_trend_without_measurements(coverage):
    assert charts.trend(coverage) is None


def test_it_draws_the_chart_with_svg_attributes_only(client, viewer, coverage):
    MeasurementFactory(metric=coverage, value=30)
    client.force_login(viewer)

    content = client.get(URL).content.decode()

    assert '<polyline class="values" points="4.0,44.0"></polyline>' in content
    assert "style=" not in content
