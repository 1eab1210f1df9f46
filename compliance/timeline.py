"""The launch path: each milestone's status and where launch is heading.

The projected launch date re-plans the unfinished milestones from today: while
blockers stay open, every day they stay open pushes launch back by a day.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Milestone, MilestoneTask

DONE, ON_TRACK, AT_RISK, LATE = "done", "on track", "at risk", "late"
# When only the blockers remain, assume one more follow-up cycle.
BLOCKER_SLACK = datetime.timedelta(days=7)


@dataclass
class MilestoneRow:
    milestone: Milestone
    tasks: list
    done: int
    status: str


@dataclass
class Timeline:
    rows: list
    today: datetime.date
    planned_launch: datetime.date | None
    projected_launch: datetime.date | None

    @property
    def slip_days(self):
        if not (self.planned_launch and self.projected_launch):
            return 0
        return (self.projected_launch - self.planned_launch).days


def milestone_status(milestone, tasks, today, blocked):
    """`blocked`: open launch blockers stand in this milestone's way."""
    done = sum(task.done for task in tasks)
    if tasks and done == len(tasks):
        return DONE
    if today > milestone.ends_on:
        return LATE
    if today < milestone.starts_on:
        return AT_RISK if blocked else ON_TRACK
    elapsed = ((today - milestone.starts_on).days + 1) / milestone.duration
    return AT_RISK if tasks and done / len(tasks) < elapsed else ON_TRACK


def build(plan, today, ready):
    milestones = list(
        Milestone.objects.filter(plan=plan).prefetch_related(
            Prefetch("tasks", queryset=MilestoneTask.objects.order_by("position"))
        )
    )
    rows = []
    for position, milestone in enumerate(milestones, start=1):
        tasks = list(milestone.tasks.all())
        # Only the launch itself waits on the blockers.
        blocked = not ready and position == len(milestones)
        rows.append(
            MilestoneRow(
                milestone,
                tasks,
                sum(task.done for task in tasks),
                milestone_status(milestone, tasks, today, blocked),
            )
        )
    planned = plan.target_launch or (milestones[-1].starts_on if milestones else None)
    return Timeline(rows, today, planned, project_launch(rows, today, planned, ready))


def project_launch(rows, today, planned, ready):
    if planned is None:
        return None
    if ready:
        return max(planned, today)
    remaining = datetime.timedelta()
    for row in rows[:-1]:
        if row.status == DONE:
            continue
        start = max(today, row.milestone.starts_on)
        if start > row.milestone.ends_on:
            remaining += datetime.timedelta(days=row.milestone.duration)
        else:
            remaining += row.milestone.ends_on - start + datetime.timedelta(days=1)
    return max(planned, today + (remaining or BLOCKER_SLACK))


@dataclass
class Bar:
    row: MilestoneRow
    x: float
    width: float
    y: int


def chart(timeline, width=720, row_height=36):
    """Geometry for the SVG timeline: one bar a milestone, a line for today."""
    dates = [timeline.today]
    for row in timeline.rows:
        dates += [row.milestone.starts_on, row.milestone.ends_on]
    if timeline.projected_launch:
        dates.append(timeline.projected_launch)
    first = min(dates)
    span = max((max(dates) - first).days + 1, 1)

    def x_of(day):
        return round(width * (day - first).days / span, 1)

    bars = [
        Bar(
            row,
            x_of(row.milestone.starts_on),
            max(round(width * row.milestone.duration / span, 1), 2),
            index * row_height,
        )
        for index, row in enumerate(timeline.rows)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": max(len(bars), 1) * row_height,
        "today_x": x_of(timeline.today),
        "projected_x": x_of(timeline.projected_launch)
        if timeline.projected_launch
        else None,
        "first": first,
        "last": max(dates),
    }
