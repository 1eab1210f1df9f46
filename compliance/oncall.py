"""On-call coverage: who answers a page, and the hours nobody does.

The checklist item "on-call rotation scheduled" is derived from here: it is done
when shifts cover COVERAGE_WEEKS weeks from the plan's target launch, starting at
midnight of the launch day in the portal's time zone. A plan without a target
launch is measured from today, so the item cannot pass by having no date.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import Shift

COVERAGE_WEEKS = 4


@dataclass(frozen=True)
class Gap:
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def hours(self):
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)


def start_of_day(day):
    """Midnight of `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def window(first_day, weeks=COVERAGE_WEEKS):
    start = start_of_day(first_day)
    return start, start_of_day(first_day + datetime.timedelta(weeks=weeks))


def launch_window(plan, today):
    return window(plan.target_launch if plan and plan.target_launch else today)


def shifts_between(starts_at, ends_at):
    return Shift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


def gaps(shifts, starts_at, ends_at):
    """The stretches of [starts_at, ends_at) that no shift covers, in order."""
    found = []
    cursor = starts_at
    for shift in sorted(shifts, key=lambda s: s.starts_at):
        if shift.starts_at > cursor:
            found.append(Gap(cursor, min(shift.starts_at, ends_at)))
        cursor = max(cursor, shift.ends_at)
        if cursor >= ends_at:
            break
    if cursor < ends_at:
        found.append(Gap(cursor, ends_at))
    return found


def launch_covered(plan, today):
    """True when the launch weeks have no gap. One query."""
    starts_at, ends_at = launch_window(plan, today)
    return not gaps(shifts_between(starts_at, ends_at), starts_at, ends_at)


@dataclass
class Week:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    shifts: list
    gaps: list


def weeks_ahead(first_day, weeks=COVERAGE_WEEKS):
    """Week by week from `first_day`: the shifts in each and the hours uncovered."""
    starts_at, ends_at = window(first_day, weeks)
    shifts = list(shifts_between(starts_at, ends_at).select_related("engineer"))
    rows = []
    for number in range(weeks):
        week_start, week_end = window(first_day + datetime.timedelta(weeks=number), 1)
        in_week = [
            s for s in shifts if s.starts_at < week_end and s.ends_at > week_start
        ]
        rows.append(
            Week(week_start, week_end, in_week, gaps(in_week, week_start, week_end))
        )
    return rows


def on_call_now(now=None):
    now = now or timezone.now()
    return list(
        Shift.objects.filter(starts_at__lte=now, ends_at__gt=now).select_related(
            "engineer"
        )
    )
