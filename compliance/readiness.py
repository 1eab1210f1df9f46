"""Launch readiness computed from the data, never from what a document claims.

A launch requirement is either a blocking checklist item or a PHI vendor's BAA.
The checklist item that stands for "signed BAAs from all vendors" is derived from
the vendors, so it is counted once, through the vendors, and cannot drift. The item
"on-call rotation scheduled" is derived from the shifts (see `oncall`).
"""

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from portal.history import history_models
from vendors.models import Agreement, Vendor

from . import oncall
from .models import ChecklistItem, Measurement, Status, format_number


@dataclass(frozen=True)
class Blocker:
    kind: str  # "agreement", "checklist" or "contradiction"
    title: str
    url: str = ""

    def as_dict(self):
        return {"kind": self.kind, "title": self.title}


@dataclass(frozen=True)
class Contradiction:
    """A statement of the document that the data shows to be false."""

    claim: str
    fact: str


@dataclass
class SectionCount:
    section: object
    items: list
    done: int
    total: int


@dataclass
class Readiness:
    plan: object
    blocking_done: int = 0
    blocking_total: int = 0
    items_done: int = 0
    items_total: int = 0
    blockers: list = field(default_factory=list)
    contradictions: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    vendors: list = field(default_factory=list)

    @property
    def ready(self):
        return not self.blockers

    @property
    def blocking_percent(self):
        return percent(self.blocking_done, self.blocking_total)

    def as_dict(self):
        return {
            "plan": self.plan.name if self.plan else None,
            "ready": self.ready,
            "blocking_done": self.blocking_done,
            "blocking_total": self.blocking_total,
            "items_done": self.items_done,
            "items_total": self.items_total,
            "blockers": [blocker.as_dict() for blocker in self.blockers],
            "contradictions": [
                {"claim": c.claim, "fact": c.fact} for c in self.contradictions
            ],
        }


def percent(part, whole):
    return round(100 * part / whole) if whole else 100


def vendors_with_agreements():
    return Vendor.objects.prefetch_related(
        Prefetch("agreements", queryset=Agreement.objects.order_by("kind"))
    )


def checklist_items(plan):
    return (
        ChecklistItem.objects.filter(plan=plan)
        .select_related("section", "phase", "metric", "owner", "done_by")
        .prefetch_related(
            Prefetch("metric__measurements", queryset=Measurement.objects.all())
        )
    )


def item_is_done(item, unsigned_vendors, oncall_covered):
    if item.derived == ChecklistItem.Derived.VENDOR_BAAS:
        return not unsigned_vendors
    if item.derived == ChecklistItem.Derived.ONCALL_COVERAGE:
        return oncall_covered
    return item.status == Status.DONE and not item.is_contradicted


def compute(plan):
    """Readiness of `plan`, with its blockers and the claims the data contradicts.

    Runs a fixed number of queries whatever the size of the plan.
    """
    vendors = list(vendors_with_agreements())
    items = list(checklist_items(plan)) if plan is not None else []
    covered = None
    if any(item.derived == ChecklistItem.Derived.ONCALL_COVERAGE for item in items):
        covered = oncall.launch_covered(plan, timezone.localdate())
    return tally(plan, vendors, items, covered)


def tally(plan, vendors, items, oncall_covered=None):
    """Readiness from vendors with their agreements loaded and checklist items
    with their section and metric (and its measurements) loaded; no queries.

    `readiness_history` passes the same objects rebuilt as they were on a past day.
    """
    unsigned = [v for v in vendors if v.blocks_launch]
    readiness = Readiness(plan=plan, vendors=vendors)

    phi_vendors = [v for v in vendors if v.handles_phi]
    readiness.blocking_total = len(phi_vendors)
    readiness.blocking_done = len(phi_vendors) - len(unsigned)
    readiness.blockers = [
        Blocker("agreement", f"{v.name}: BAA not signed", v.get_absolute_url())
        for v in unsigned
    ]
    if plan is None:
        return readiness

    sections = {}
    for item in items:
        item.done = item_is_done(item, unsigned, oncall_covered)
        count = sections.setdefault(
            item.section_id, SectionCount(item.section, [], 0, 0)
        )
        count.items.append(item)
        count.total += 1
        count.done += item.done
        readiness.items_total += 1
        readiness.items_done += item.done

        if item.is_contradicted:
            readiness.contradictions.append(contradiction_of(item))
        # The vendors already stand for the derived BAA item.
        if not item.blocking or item.derived == ChecklistItem.Derived.VENDOR_BAAS:
            continue
        readiness.blocking_total += 1
        readiness.blocking_done += item.done
        if item.is_contradicted:
            readiness.blockers.append(Blocker("contradiction", item.title))
        elif not item.done:
            readiness.blockers.append(Blocker("checklist", item.title))

    readiness.sections = sorted(sections.values(), key=lambda s: s.section.position)
    for count in readiness.sections:
        claimed = count.section.claimed
        computed = f"{count.done}/{count.total}"
        if claimed and claimed.replace(" ", "") != computed:
            readiness.contradictions.append(
                Contradiction(
                    f"{count.section.name}: {claimed} complete",
                    f"{computed} are done by the data",
                )
            )
    if plan.claimed_status and readiness.blockers:
        readiness.contradictions.append(
            Contradiction(
                plan.claimed_status,
                f"{readiness.blocking_done} of {readiness.blocking_total} launch "
                f"requirements are met ({readiness.blocking_percent}%)",
            )
        )
    return readiness


def contradiction_of(item):
    metric = item.metric
    return Contradiction(
        f"{item.title} is ticked done",
        f"{metric.name} is {metric_value(metric)}, target {metric.target_display()}",
    )


def metric_value(metric):
    if metric.current is None:
        return "unknown"
    return f"{format_number(metric.current)}{metric.unit_suffix()}"


# Cached readiness for the pages.
#
# `compute` loads every vendor and checklist item (thousands of model instances
# for a large plan), too slow to run on each page view. The pages read a small
# summary of it instead, cached until the next recorded change: every write path
# of the portal writes a history row, so the newest history row of each table is
# a cheap fingerprint of the data. The day is part of the key too, because the
# on-call item is measured from today when the plan has no launch date.


class ItemState(NamedTuple):
    """What the checklist page needs to filter and count one item (a tuple:
    thousands of them unpickle from the cache in a few milliseconds)."""

    pk: int
    section_id: int
    done: bool
    blocking: bool
    owner_id: int | None
    contradicted: bool


@dataclass(frozen=True)
class SectionSummary:
    pk: int
    name: str
    done: int
    total: int


@dataclass
class Summary:
    """`Readiness` without its model instances, small enough to cache."""

    blocking_done: int
    blocking_total: int
    items_done: int
    items_total: int
    vendors_total: int
    blockers: list
    contradictions: list
    sections: list  # [SectionSummary] in the plan's order

    @property
    def ready(self):
        return not self.blockers

    @property
    def blocking_percent(self):
        return percent(self.blocking_done, self.blocking_total)


def summarize(readiness):
    return Summary(
        blocking_done=readiness.blocking_done,
        blocking_total=readiness.blocking_total,
        items_done=readiness.items_done,
        items_total=readiness.items_total,
        vendors_total=len(readiness.vendors),
        blockers=list(readiness.blockers),
        contradictions=list(readiness.contradictions),
        sections=[
            SectionSummary(c.section.pk, c.section.name, c.done, c.total)
            for c in readiness.sections
        ],
    )


def item_states(readiness):
    """[ItemState] of every checklist item, in the plan's order."""
    return [
        ItemState(i.pk, i.section_id, i.done, i.blocking, i.owner_id, i.is_contradicted)
        for c in readiness.sections
        for i in c.items
    ]


def fingerprint():
    """The newest history row of every audited table, in one query.

    Any recorded change anywhere gives a new fingerprint, which is cruder than
    tracking the tables readiness reads, and stays right when readiness starts to
    read a new table.
    """
    with connection.cursor() as cursor:
        cursor.execute(fingerprint_sql())
        return "-".join(str(value or 0) for value in cursor.fetchone())


@functools.cache
def fingerprint_sql():
    # Built once: reaching each model's history manager builds a manager class.
    # Only our own table names go into the SQL, quoted.
    tables = [connection.ops.quote_name(m._meta.db_table) for m in history_models()]
    maxima = [f"(SELECT MAX(history_id) FROM {table})" for table in tables]  # noqa: S608
    return "SELECT " + ", ".join(maxima)


def version():
    """What a cached copy of readiness (or of a page made from it) depends on:
    today's date and the data. One query; None, and no query, when the cache is
    off."""
    if not cache_seconds():
        return None
    return f"{timezone.localdate()}:{fingerprint()}"


def cache_seconds():
    """PORTAL_READINESS_CACHE_SECONDS; 0 turns the cache off (the tests' default)."""
    return settings.PORTAL_READINESS_CACHE_SECONDS


# Part of every key: bump it when the cached classes (Summary, ItemState, Day)
# change, so that a shared cache never hands a new release an old pickle.
CACHE_FORMAT = 1


def cache_key(name, plan, data_version):
    plan_key = plan.pk if plan is not None else "none"
    return f"{name}:{CACHE_FORMAT}:{plan_key}:{data_version}"


def current(plan, data_version=None):
    """The `Summary` of `compute(plan)`, cached until the next recorded change."""
    return cached_part(0, plan, data_version)


def current_items(plan, data_version=None):
    """`item_states` of `compute(plan)`, cached like `current`."""
    return cached_part(1, plan, data_version)


def current_with_items(plan, data_version=None):
    """(`current`, `current_items`) in one go."""
    if not cache_seconds():
        return computed_parts(plan)
    data_version = data_version or version()
    return cached_part(0, plan, data_version), cached_part(1, plan, data_version)


PARTS = ("readiness", "readiness-items")


def cached_part(part, plan, data_version):
    """One of (Summary, [ItemState]); one `compute` caches both. They are cached
    apart so that the pages which only count need not unpickle the items."""
    if not cache_seconds():
        return computed_parts(plan)[part]
    data_version = data_version or version()
    keys = [cache_key(name, plan, data_version) for name in PARTS]
    value = cache.get(keys[part])
    if value is None:
        parts = computed_parts(plan)
        cache.set_many(dict(zip(keys, parts, strict=True)), cache_seconds())
        value = parts[part]
    return value


def computed_parts(plan):
    readiness = compute(plan)
    return summarize(readiness), item_states(readiness)
