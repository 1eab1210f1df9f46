"""Launch readiness computed from the data, never from what a document claims.

A launch requirement is either a blocking checklist item or a PHI vendor's BAA.
The checklist item that stands for "signed BAAs from all vendors" is derived from
the vendors, so it is counted once, through the vendors, and cannot drift. The item
"on-call rotation scheduled" is derived from the shifts (see `oncall`).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

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
