"""Writing the current plan back out as a Markdown status document.

The document has the shape `plan_document` reads, so importing an export into
an empty database gives the same plan, and exporting that gives the same text.
What only the portal knows (agreement lifecycles, owners, reviews, computed
readiness and blockers) is written as tables and plain lines, which the reader
passes over.

Known limits of the round trip, all from the document format: a DPA is only
created on import when the vendor's line mentions DPA, LGPD or GDPR; a vendor
with no service, a runbook with no file name, and a checklist item marked
non-blocking in the portal whose text does not say so come back differently.
"""

import re

from django.db.models import Prefetch
from django.utils import timezone

from vendors.models import Agreement, Vendor

from . import readiness as readiness_service
from .models import (
    ChecklistItem,
    ChecklistSection,
    Metric,
    Milestone,
    Phase,
    Runbook,
    WorkItem,
    format_number,
)

MARKS = {
    "done": "✅",
    "in_progress": "🔄",
    "pending": "⏳",
    "warning": "⚠️",
    "failed": "❌",
    "paused": "⏸️",
}
WEEKS = re.compile(r"\bweeks?\s+(\d+)(?:\s*[-–—]\s*(\d+))?", re.I)


def export(plan, today=None):
    """The Markdown text of `plan`, as of `today` (the portal's date)."""
    today = today or timezone.localdate()
    readiness = readiness_service.compute(plan)
    lines = [f"# {plan.name}", f"**Date:** {plan.as_of.isoformat()}"]
    if plan.claimed_status:
        lines.append(f"**Overall Status:** {plan.claimed_status}")
    if plan.target_launch:
        lines.append(f"**Target launch:** {plan.target_launch.isoformat()}")
    lines += [
        "",
        f"Exported from the launch-readiness portal on {today.isoformat()}.",
        "",
    ]
    for part in (
        readiness_part(readiness),
        vendors_part(),
        phases_part(plan),
        optional_part(plan),
        checklist_part(plan, readiness),
        metrics_part(plan),
        runbooks_part(today),
        milestones_part(plan),
    ):
        lines += part
    return "\n".join(lines).rstrip() + "\n"


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ") or "–"


def table(header, rows):
    if not rows:
        return []
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return lines + [""]


def readiness_part(readiness):
    lines = [
        "## Readiness (computed by the portal)",
        "",
        f"Launch requirements met: {readiness.blocking_done} of "
        f"{readiness.blocking_total} ({readiness.blocking_percent}%)",
        f"Checklist items done: {readiness.items_done} of {readiness.items_total}",
        "",
        "### What blocks launch",
        "",
    ]
    if not readiness.blockers:
        return lines + ["Nothing blocks launch.", ""]
    return lines + table(
        ["Kind", "Blocker"], [(b.kind, b.title) for b in readiness.blockers]
    )


def vendors_part():
    agreements = Agreement.objects.select_related("owner").order_by("kind")
    vendors = Vendor.objects.prefetch_related(Prefetch("agreements", agreements))
    if not vendors:
        return []
    lines = ["## Vendors and agreements", ""]
    for number, vendor in enumerate(vendors, start=1):
        line = f"{number}. **{vendor.name}** ({vendor.service})"
        if vendor.phi_handling:
            line += f" - {vendor.phi_handling}"
        lines.append(line)
    lines.append("")
    rows = []
    for vendor in vendors:
        for agreement in vendor.agreements.all():
            rows.append(
                (
                    vendor.name,
                    agreement.get_kind_display(),
                    agreement.get_status_display(),
                    agreement.owner.get_username() if agreement.owner else "",
                    date_text(agreement.last_contact_on),
                    date_text(agreement.signed_on),
                    date_text(agreement.expires_on),
                )
            )
    header = ["Vendor", "Agreement", "Status", "Owner", "Last contact", "Signed"]
    return lines + table([*header, "Expires"], rows)


def date_text(day):
    return day.isoformat() if day else ""


def work_item_lines(item, level):
    code = f"{item.code} " if item.code else ""
    lines = [f"{'#' * level} {code}{item.title} {MARKS[item.status]}"]
    lines += [f"- {detail}" for detail in item.details.split("\n") if item.details]
    return lines + [""]


def phases_part(plan):
    phases = list(Phase.objects.filter(plan=plan).prefetch_related("items"))
    if not phases:
        return []
    lines = ["## Phases", ""]
    for phase in phases:
        claimed = f" ({phase.claimed})" if phase.claimed else ""
        lines += [f"### {phase.title}{claimed}", ""]
        for item in phase.items.all():
            lines += work_item_lines(item, 4)
    return lines


def optional_part(plan):
    items = WorkItem.objects.filter(plan=plan, phase=None, optional=True)
    if not items:
        return []
    lines = ["## Optional improvements", ""]
    for item in items:
        lines += work_item_lines(item, 3)
    return lines


def checklist_part(plan, readiness):
    sections = ChecklistSection.objects.filter(plan=plan)
    items = ChecklistItem.objects.filter(plan=plan).order_by("position")
    if not items:
        return []
    done = {count.section.pk: count for count in readiness.sections}
    lines = ["## Deployment readiness checklist", ""]
    for section in sections:
        claimed = f" ({section.claimed})" if section.claimed else ""
        lines += [f"### {section.name}{claimed}", ""]
        count = done.get(section.pk)
        if count is not None:
            lines += [f"Done by the data: {count.done}/{count.total}", ""]
        for item in items:
            if item.section_id == section.pk:
                note = f" ({item.note})" if item.note else ""
                lines.append(f"- {MARKS[item.status]} {item.title}{note}")
        lines.append("")
    return lines


def metrics_part(plan):
    metrics = Metric.objects.filter(plan=plan).prefetch_related("measurements")
    if not metrics:
        return []
    lines = ["## Success metrics", ""]
    category = None
    for metric in metrics:
        if metric.category != category:
            category = metric.category
            if category:
                blank = [""] if lines[-1] else []
                lines += [*blank, f"### {category}", ""]
        line = f"- **{metric.name}:** "
        if metric.current is not None:
            line += f"Current {format_number(metric.current)}, target "
        else:
            line += "Target "
        lines.append(line + (metric.target_text or metric.target_display()))
    return lines + [""]


def runbooks_part(today):
    runbooks = Runbook.objects.select_related("owner")
    if not runbooks:
        return []
    lines = ["## Runbooks", ""]
    for runbook in runbooks:
        if runbook.filename:
            lines.append(f"- `{runbook.filename}`")
        else:
            lines.append(f"{runbook.title} (kept in the portal, no file)")
        about = []
        if runbook.owner:
            about.append(f"owner {runbook.owner.get_username()}")
        if runbook.last_reviewed_on:
            about.append(f"reviewed {runbook.last_reviewed_on.isoformat()}")
            due = runbook.review_due_on()
            about.append(f"review {'overdue since' if due < today else 'due'} {due}")
        if about:
            # Indented and not a list item: the reader passes over it.
            lines.append("  " + " · ".join([runbook.title, *about]))
    return lines + [""]


def week_label(milestone, as_of):
    """ "Week 1-2" from the dates; the stored label when it says the same."""
    start = (milestone.starts_on - as_of).days
    end = (milestone.ends_on - as_of).days + 1
    if start % 7 or end % 7 or start < 0:
        return milestone.label
    first, last = start // 7 + 1, end // 7
    stored = WEEKS.search(milestone.label or "")
    if stored and (int(stored.group(1)), int(stored.group(2) or stored.group(1))) == (
        first,
        last,
    ):
        return milestone.label
    return f"Week {first}" if first == last else f"Week {first}-{last}"


def milestones_part(plan):
    milestones = Milestone.objects.filter(plan=plan).prefetch_related("tasks")
    if not milestones:
        return []
    lines = ["## Launch path", ""]
    for milestone in milestones:
        note = f" ({milestone.note})" if milestone.note else ""
        label = week_label(milestone, plan.as_of)
        lines += [f"### {label}: {milestone.title}{note}", ""]
        if not WEEKS.search(label or ""):
            lines += [
                f"From {milestone.starts_on} to {milestone.ends_on}.",
                "",
            ]
        for task in milestone.tasks.all():
            lines.append(f"- [{'x' if task.done else ' '}] {task.title}")
        lines.append("")
    return lines
