import datetime

import pytest

from compliance import timeline
from tests.factories import MilestoneFactory, MilestoneTaskFactory, PlanFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan():
    plan = PlanFactory(as_of=D(2026, 1, 3), target_launch=D(2026, 1, 31))
    outreach = MilestoneFactory(
        plan=plan, title="Outreach", starts_on=D(2026, 1, 3), ends_on=D(2026, 1, 16)
    )
    MilestoneTaskFactory(milestone=outreach, title="Send requests", done=True)
    MilestoneTaskFactory(milestone=outreach, title="Follow up")
    prep = MilestoneFactory(
        plan=plan, title="Final prep", starts_on=D(2026, 1, 17), ends_on=D(2026, 1, 30)
    )
    MilestoneTaskFactory(milestone=prep, title="Collect BAAs")
    launch = MilestoneFactory(
        plan=plan, title="Launch", starts_on=D(2026, 1, 31), ends_on=D(2026, 2, 6)
    )
    MilestoneTaskFactory(milestone=launch, title="Deploy")
    return plan


def statuses(line):
    return [(row.milestone.title, row.status) for row in line.rows]


def test_it_is_on_track_early_when_nothing_blocks(plan):
    line = timeline.build(plan, D(2026, 1, 4), ready=True)

    assert statuses(line) == [
        ("Outreach", "on track"),
        ("Final prep", "on track"),
        ("Launch", "on track"),
    ]
    assert line.projected_launch == D(2026, 1, 31)
    assert line.slip_days == 0


def test_the_launch_is_at_risk_while_blockers_are_open(plan):
    line = timeline.build(plan, D(2026, 1, 4), ready=False)

    assert statuses(line)[2] == ("Launch", "at risk")
    # Outreach has 13 days left, final prep all 14: launch is still on time.
    assert line.projected_launch == D(2026, 1, 31)


def test_a_milestone_behind_its_tasks_is_at_risk(plan):
    line = timeline.build(plan, D(2026, 1, 14), ready=True)

    # 12 of 14 days gone, 1 of 2 tasks done.
    assert statuses(line)[0] == ("Outreach", "at risk")


def test_open_milestones_past_their_end_are_late_and_push_launch(plan):
    line = timeline.build(plan, D(2026, 12, 3), ready=False)

    assert statuses(line) == [
        ("Outreach", "late"),
        ("Final prep", "late"),
        ("Launch", "late"),
    ]
    # Both unfinished milestones are re-planned from today: 14 + 14 days.
    assert line.projected_launch == D(2026, 12, 31)
    assert line.slip_days == 334


def test_done_milestones_are_done_and_do_not_push_launch(plan):
    for milestone in plan.milestones.exclude(title="Launch"):
        milestone.tasks.update(done=True)

    line = timeline.build(plan, D(2026, 3, 1), ready=False)

    assert statuses(line) == [
        ("Outreach", "done"),
        ("Final prep", "done"),
        ("Launch", "late"),
    ]
    # Only the blockers remain: one more follow-up cycle.
    assert line.projected_launch == D(2026, 3, 8)


def test_launch_is_today_when_ready_and_past_the_target(plan):
    line = timeline.build(plan, D(2026, 3, 1), ready=True)

    assert line.projected_launch == D(2026, 3, 1)


def test_the_chart_places_today_between_the_bars(plan):
    line = timeline.build(plan, D(2026, 1, 17), ready=True)

    chart = timeline.chart(line, width=350)

    # 35 days from Jan 3 to Feb 6: 10 px a day.
    assert [(bar.x, bar.width, bar.y) for bar in chart["bars"]] == [
        (0.0, 140.0, 0),
        (140.0, 140.0, 36),
        (280.0, 70.0, 72),
    ]
    assert chart["today_x"] == 140.0
