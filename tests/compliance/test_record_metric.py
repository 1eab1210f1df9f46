from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance.models import Measurement, Metric
from tests.factories import MetricFactory, UserFactory


@pytest.fixture
def coverage(plan):
    return MetricFactory(plan=plan, name="Test coverage", unit="%", target=70)


@pytest.fixture
def latency(plan):
    return MetricFactory(
        plan=plan,
        name="p95 latency",
        unit="ms",
        comparison=Metric.Comparison.LE,
        target=500,
    )


def run(*args):
    out = StringIO()
    call_command("record_metric", *args, stdout=out)
    return out.getvalue()


def test_it_records_a_measurement_by_name_in_any_case(coverage):
    output = run("test COVERAGE", "72.4", "--source", "CI run 7")

    assert output == "Recorded Test coverage = 72.4%; it meets its target > 70%\n"
    measurement = Measurement.objects.get()
    assert measurement.metric == coverage
    assert measurement.value == Decimal("72.4")
    assert measurement.source == "CI run 7"
    assert measurement.recorded_by.username == "system"
    assert measurement.history.first().history_user.username == "system"


def test_it_keeps_earlier_measurements(coverage):
    run("Test coverage", "30")
    run("Test coverage", "35", "--user", UserFactory(username="ci").username)

    assert list(
        coverage.measurements.order_by("measured_at").values_list(
            "value", "recorded_by__username"
        )
    ) == [(Decimal("30"), "system"), (Decimal("35"), "ci")]


def test_it_says_when_a_value_misses(latency):
    assert run("p95 latency", "812") == (
        "Recorded p95 latency = 812 ms; it misses its target ≤ 500 ms\n"
    )


def test_it_exits_2_on_an_unknown_name(coverage, latency):
    with pytest.raises(CommandError) as error:
        run("Coverage", "72")

    assert error.value.returncode == 2
    assert str(error.value) == (
        'No metric named "Coverage" in Launch plan. '
        'Known metrics: "Test coverage", "p95 latency".'
    )
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize("value", ["seventy", "NaN", "inf", "", "1e12", "12345678901"])
def test_it_exits_2_on_a_bad_value(coverage, value):
    with pytest.raises(CommandError) as error:
        run("Test coverage", value)

    assert error.value.returncode == 2
    assert str(error.value) == (
        f'"{value}" is not a number the portal can keep '
        "(up to 10 digits before the point and 4 after)."
    )
    assert Measurement.objects.count() == 0


def test_it_exits_2_from_the_command_line(coverage, capsys):
    with pytest.raises(SystemExit) as exit_:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "record_metric", "Nope", "1"])

    assert exit_.value.code == 2
    assert 'CommandError: No metric named "Nope"' in capsys.readouterr().err
