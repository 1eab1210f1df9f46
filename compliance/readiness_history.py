"""Readiness day by day, rebuilt from the history tables.

Each day's state is replayed from the history rows written up to the end of that
day (in the portal's time zone) and handed to `readiness.tally`, the same count
the dashboard uses, so past and present readiness can never disagree. Seven
queries load all the history (and today's on-call coverage) at once, however
many days are drawn.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from vendors.models import Agreement, Vendor

from . import oncall, readiness
from .models import ChecklistItem, ChecklistSection, Measurement, Metric
from .readiness import tally

DAYS = 60
# The past days are keyed by the date, so a day is the longest they need to live.
PAST_DAYS_CACHE_SECONDS = 24 * 60 * 60


@dataclass
class Day:
    day: datetime.date
    blocking_done: int
    blocking_total: int


class Replay:
    """The rows of one model as they stood at a moment, moved forward in time.

    Each row becomes a model instance once, when it is reached, and that instance
    stands for the record on every later day until a newer row replaces it:
    rebuilding every instance for every day was most of the chart's cost.
    """

    def __init__(self, history):
        self.rows = list(history.order_by("history_date", "history_id"))
        self.position = 0
        self.current = {}

    def advance(self, until):
        """Replay the rows older than `until`; True when there were any."""
        start = self.position
        while (
            self.position < len(self.rows)
            and self.rows[self.position].history_date < until
        ):
            row = self.rows[self.position]
            if row.history_type == "-":
                self.current.pop(row.id, None)
            else:
                self.current[row.id] = row
            self.position += 1
        return self.position > start

    def instances(self):
        return [instance_of(row) for row in self.current.values()]

    def first_date(self):
        return self.rows[0].history_date if self.rows else None


def instance_of(row):
    if not hasattr(row, "replayed"):
        row.replayed = row.instance
    return row.replayed


def end_of(day):
    midnight = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min
    )
    return timezone.make_aware(midnight)


def replays(plan):
    return {
        "vendors": Replay(Vendor.history.all()),
        "agreements": Replay(Agreement.history.all()),
        "sections": Replay(ChecklistSection.history.filter(plan_id=plan.pk)),
        "items": Replay(ChecklistItem.history.filter(plan_id=plan.pk)),
        "metrics": Replay(Metric.history.filter(plan_id=plan.pk)),
        "measurements": Replay(
            Measurement.history.filter(
                metric_id__in=Metric.history.filter(plan_id=plan.pk).values("id")
            )
        ),
    }


def state_on(plan, replay):
    """Vendors and checklist items as `tally` wants them, from replayed rows."""
    agreements = {}
    for agreement in replay["agreements"].instances():
        agreements.setdefault(agreement.vendor_id, []).append(agreement)
    vendors = sorted(replay["vendors"].instances(), key=lambda v: v.name)
    for vendor in vendors:
        vendor._prefetched_objects_cache = {
            "agreements": sorted(agreements.get(vendor.pk, []), key=lambda a: a.kind)
        }

    measurements = {}
    for measurement in replay["measurements"].instances():
        measurements.setdefault(measurement.metric_id, []).append(measurement)
    metrics = {metric.pk: metric for metric in replay["metrics"].instances()}
    for metric in metrics.values():
        metric._prefetched_objects_cache = {
            "measurements": measurements.get(metric.pk, [])
        }
    sections = {section.pk: section for section in replay["sections"].instances()}

    items = []
    for item in replay["items"].instances():
        if item.section_id not in sections:
            continue
        item.section = sections[item.section_id]
        # Set the related metric without clearing metric_id when the metric did
        # not exist yet that day: the same instance is replayed on later days.
        ChecklistItem.metric.field.set_cached_value(item, metrics.get(item.metric_id))
        items.append(item)
    items.sort(key=lambda i: (i.section.position, i.position, i.pk))
    return vendors, items


def daily(plan, today=None, days=DAYS):
    """[Day] from the first recorded change (at most `days` back) to today."""
    if plan is None:
        return []
    today = today or timezone.localdate()
    replay = replays(plan)
    starts = [r.first_date() for r in replay.values() if r.first_date()]
    if not starts:
        return []
    first = max(
        timezone.localtime(min(starts)).date(),
        today - datetime.timedelta(days=days - 1),
    )
    # Shifts keep no history that says who was on call when, so the on-call item
    # counts with today's coverage on every past day.
    covered = oncall.launch_covered(plan, today)
    result = []
    day = first
    while day <= today:
        changed = [rows.advance(end_of(day)) for rows in replay.values()]
        if any(changed) or not result:
            vendors, items = state_on(plan, replay)
            readiness = tally(plan, vendors, items, covered)
            counts = (readiness.blocking_done, readiness.blocking_total)
        # else a day without a change counts as the day before.
        result.append(Day(day, *counts))
        day += datetime.timedelta(days=1)
    return result


@dataclass
class Chart:
    width: int
    height: int
    total_points: str
    done_points: str
    top: int
    first: Day
    last: Day
    days: list
    dots: list  # (x, y of total, y of done) per day; a single day is only dots


def chart(days, width=720, height=180, margin=30):
    """SVG geometry for the blocking-total and blocking-done lines."""
    if not days:
        return None
    top = max(day.blocking_total for day in days) or 1
    step = (width - 2 * margin) / max(len(days) - 1, 1)

    def y_of(count):
        return height - margin - count * (height - 2 * margin) / top

    dots = [
        (
            f"{margin + i * step:.1f}",
            f"{y_of(d.blocking_total):.1f}",
            f"{y_of(d.blocking_done):.1f}",
        )
        for i, d in enumerate(days)
    ]

    def points(index):
        return " ".join(f"{dot[0]},{dot[index]}" for dot in dots)

    return Chart(
        width,
        height,
        points(1),
        points(2),
        top,
        days[0],
        days[-1],
        days,
        dots,
    )


def dashboard_context(plan, data_version=None):
    return {"readiness_chart": chart(cached_daily(plan, data_version))}


def cached_daily(plan, data_version=None):
    """`daily(plan)`, with the past days replayed once a day and today's point
    taken from today's (cached) readiness.

    Replaying the history of a large plan takes seconds, too long to repeat after
    every change. Only today's point moves with a change: history rows are
    written with the time of the change, so the past days stay as they were. The
    on-call coverage they count with is today's, so it is part of the key.
    """
    if plan is None or not readiness.cache_seconds():
        return daily(plan)
    today = timezone.localdate()
    covered = oncall.launch_covered(plan, today)
    key = readiness.cache_key("readiness-days", plan, f"{today}:{covered}")
    days = cache.get(key)
    if days is None:
        days = daily(plan, today)
        cache.set(key, days, PAST_DAYS_CACHE_SECONDS)
    if days and days[-1].day == today:
        now = readiness.current(plan, data_version)
        days = [*days[:-1], Day(today, now.blocking_done, now.blocking_total)]
    return days
