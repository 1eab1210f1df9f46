"""Writing a parsed status document into the database.

Rules the import keeps:
- all or nothing: one transaction; a dry run is the same work rolled back;
- the same file twice changes nothing; a newer version updates records in place;
- every change has a history row naming the file and the user who ran the import;
- what people keep in the portal is never deleted or overwritten: agreement
  lifecycles, owners, evidence, runbook bodies and reviews, recorded measurements.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils import timezone

from vendors.models import Agreement, Vendor

from . import plan_document
from .models import (
    ChecklistItem,
    ChecklistSection,
    Measurement,
    Metric,
    Milestone,
    MilestoneTask,
    Phase,
    Plan,
    Runbook,
    WorkItem,
)

KINDS = [
    "plan",
    "vendors",
    "agreements",
    "phases",
    "work items",
    "checklist sections",
    "checklist items",
    "metrics",
    "measurements",
    "runbooks",
    "milestones",
    "milestone tasks",
]


class ImportRefused(Exception):
    """The import cannot go ahead; nothing was written."""


@dataclass
class ImportResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    changes: list = field(default_factory=list)  # "updated vendor Sentry: service"
    unplaced: list = field(default_factory=list)
    plan: Plan | None = None

    @property
    def changed(self):
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary_lines(self):
        for kind in KINDS:
            yield (
                f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
                f"{self.unchanged[kind]} unchanged"
            )


class DryRunRollback(Exception):
    pass


def system_user():
    """The author of changes made by commands run without --user."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=settings.PORTAL_SYSTEM_USERNAME,
        defaults={"is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def import_file(path, user=None, dry_run=False):
    """Import the status document at `path`; raises DocumentError or ImportRefused."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRefused(f"cannot read {path}: {error.strerror}") from None
    document = plan_document.read(data)
    return import_document(document, path.name, user=user, dry_run=dry_run)


def import_document(document, source_name, user=None, dry_run=False):
    writer = Writer(document, source_name, user)
    try:
        with transaction.atomic():
            writer.write()
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0]
        raise ImportRefused(
            f"the database refused the import, nothing was written: {first_line}"
        ) from error
    return writer.result


class Writer:
    def __init__(self, document, source_name, user=None):
        self.doc = document
        self.source = source_name
        self.user = user
        self.result = ImportResult(unplaced=list(document.unplaced))

    @property
    def reason(self):
        return f"Imported from {self.source} by {self.user.get_username()}"

    def save(self, kind, instance, label):
        instance._history_user = self.user
        instance._change_reason = self.reason
        instance.save()
        self.result.created[kind] += 1
        self.result.changes.append(f"create {kind}: {label}")
        return instance

    def edited_in_portal(self, instance):
        """Changed by a person after the document was written: the person wins."""
        history = getattr(instance, "history", None)
        if history is None:
            return False
        return (
            history.filter(history_date__date__gt=self.doc.as_of)
            .exclude(history_change_reason__startswith="Imported from ")
            .exists()
        )

    def sync(self, kind, model, lookup, values, label=None, keep=()):
        """Create the row matching `lookup`, or update the fields that differ.

        Fields in `keep` are only set on creation: people own them afterwards.
        """
        instance = model.objects.filter(**lookup).first()
        label = label or lookup.get("title") or lookup.get("name")
        if instance is None:
            return self.save(kind, model(**{**lookup, **values}), label)
        changed = [
            name
            for name, value in values.items()
            if name not in keep and getattr(instance, name) != value
        ]
        if not changed:
            self.result.unchanged[kind] += 1
            return instance
        if self.edited_in_portal(instance):
            self.result.unchanged[kind] += 1
            self.result.changes.append(
                f"keep {kind}: {label} (edited in the portal since "
                f"{self.doc.as_of}; the document would change {', '.join(changed)})"
            )
            return instance
        for name in changed:
            setattr(instance, name, values[name])
        instance._history_user = self.user
        instance._change_reason = self.reason
        instance.save()
        self.result.updated[kind] += 1
        self.result.changes.append(f"update {kind}: {label} ({', '.join(changed)})")
        return instance

    def write(self):
        # Inside the transaction, so that a dry run does not even create the
        # system user.
        self.user = self.user or system_user()
        doc = self.doc
        existing = Plan.objects.filter(name__iexact=doc.name).first()
        if existing and existing.as_of > doc.as_of:
            raise ImportRefused(
                f"the plan {existing.name!r} is already at {existing.as_of}, newer "
                f"than this document ({doc.as_of}); nothing was imported"
            )
        plan = self.sync(
            "plan",
            Plan,
            {"name": existing.name if existing else doc.name},
            {
                "as_of": doc.as_of,
                "target_launch": doc.target_launch,
                "claimed_status": doc.claimed_status,
                "source_name": self.source,
            },
        )
        self.result.plan = plan
        self.write_vendors()
        self.write_phases(plan)
        metrics = self.write_metrics(plan)
        self.write_checklist(plan, metrics)
        self.write_runbooks()
        self.write_milestones(plan)

    def write_vendors(self):
        for entry in self.doc.vendors:
            vendor = Vendor.objects.filter(name__iexact=entry.name).first()
            values = {
                "service": entry.service,
                "handles_phi": entry.handles_phi,
                "phi_handling": entry.phi_handling,
            }
            if vendor is None:
                vendor = self.save(
                    "vendors", Vendor(name=entry.name, **values), entry.name
                )
            else:
                vendor = self.sync(
                    "vendors", Vendor, {"pk": vendor.pk}, values, entry.name
                )
            kinds = [Agreement.Kind.BAA] if entry.handles_phi else []
            if entry.needs_dpa:
                kinds.append(Agreement.Kind.DPA)
            for kind in kinds:
                # The lifecycle belongs to the legal team: only a missing agreement
                # is created, an existing one is left exactly as it is.
                self.sync(
                    "agreements",
                    Agreement,
                    {"vendor": vendor, "kind": kind},
                    {},
                    label=f"{vendor.name} {kind.label}",
                )

    def write_phases(self, plan):
        for position, entry in enumerate(self.doc.phases):
            lookup = {"plan": plan, "title": entry.title}
            if entry.number is not None:
                numbered = Phase.objects.filter(plan=plan, number=entry.number).first()
                lookup = {"pk": numbered.pk} if numbered else lookup
            phase = self.sync(
                "phases",
                Phase,
                lookup,
                {
                    "title": entry.title,
                    "number": entry.number,
                    "kind": entry.kind,
                    "claimed": entry.claimed,
                    "position": position,
                },
                label=entry.title,
            )
            self.write_work_items(plan, phase, entry.items, optional=False)
        self.write_work_items(plan, None, self.doc.optional_items, optional=True)

    def write_work_items(self, plan, phase, entries, optional):
        base = 0 if phase is None else (phase.position + 1) * 1000
        for position, entry in enumerate(entries):
            self.sync(
                "work items",
                WorkItem,
                {"plan": plan, "phase": phase, "title": entry.title},
                {
                    "code": entry.code,
                    "status": entry.status,
                    "optional": optional,
                    "details": "\n".join(entry.details),
                    "position": base + position,
                },
            )

    def write_metrics(self, plan):
        metrics = {}
        measured_at = timezone.make_aware(
            datetime.datetime.combine(self.doc.as_of, datetime.time(12))
        )
        for position, entry in enumerate(self.doc.metrics):
            metric = self.sync(
                "metrics",
                Metric,
                {"plan": plan, "name": entry.name},
                {
                    "category": entry.category,
                    "comparison": entry.comparison,
                    "target": entry.target,
                    "unit": entry.unit,
                    "target_text": entry.target_text,
                    "position": position,
                },
            )
            metrics[entry.name.lower()] = metric
            # A measurement as recent as the document, from any source, is at least
            # as current as what the document says: adding it again would only
            # roll the metric back.
            newer = metric.measurements.filter(measured_at__gte=measured_at).exists()
            if entry.current is not None and not newer:
                self.save(
                    "measurements",
                    Measurement(
                        metric=metric,
                        value=entry.current,
                        measured_at=measured_at,
                        recorded_by=self.user,
                        source=f"{self.source} (as of {self.doc.as_of})",
                    ),
                    f"{metric.name} = {entry.current}",
                )
            elif entry.current is not None:
                self.result.unchanged["measurements"] += 1
        return metrics

    def write_checklist(self, plan, metrics):
        sections = {}
        for position, entry in enumerate(self.doc.sections):
            sections[entry.name] = self.sync(
                "checklist sections",
                ChecklistSection,
                {"plan": plan, "name": entry.name},
                {"claimed": entry.claimed, "position": position},
            )
        for position, entry in enumerate(self.doc.checklist):
            derived = ChecklistItem.Derived.for_title(entry.title)
            if plan_document.mentions_baas(entry.title):
                derived = ChecklistItem.Derived.VENDOR_BAAS
            self.sync(
                "checklist items",
                ChecklistItem,
                {
                    "plan": plan,
                    "section": sections[entry.section],
                    "title": entry.title,
                },
                {
                    "note": entry.note,
                    "status": entry.status,
                    "blocking": entry.blocking,
                    "derived": derived,
                    "metric": metric_for(entry.title, metrics),
                    "position": position,
                },
                keep=("metric",),
            )

    def write_runbooks(self):
        for entry in self.doc.runbooks:
            runbook = Runbook.objects.filter(filename__iexact=entry.filename).first()
            if runbook is None:
                self.save(
                    "runbooks",
                    Runbook(title=entry.title, filename=entry.filename),
                    entry.title,
                )
            else:
                self.result.unchanged["runbooks"] += 1

    def write_milestones(self, plan):
        for position, entry in enumerate(self.doc.milestones):
            milestone = self.sync(
                "milestones",
                Milestone,
                {"plan": plan, "title": entry.title},
                {
                    "label": entry.label,
                    "note": entry.note,
                    "starts_on": entry.starts_on,
                    "ends_on": entry.ends_on,
                    "position": position,
                },
            )
            for task_position, (title, done) in enumerate(entry.tasks):
                values = {"position": task_position}
                # A task ticked in the portal stays ticked; the document can only
                # add ticks, never take them away.
                if done:
                    values["done"] = True
                self.sync(
                    "milestone tasks",
                    MilestoneTask,
                    {"milestone": milestone, "title": title},
                    values,
                )


def metric_for(title, metrics):
    """The metric a checklist item speaks of: "Test coverage >70%" -> Test Coverage."""
    lowered = title.lower()
    for name, metric in metrics.items():
        if name in lowered:
            return metric
    return None
