"""Readable field-by-field history of a vendor and everything attached to it.

Historical rows keep raw ids for users and records; they are looked up in bulk
and named "deleted user #7" when the person or record is gone, so the page never
breaks on a deletion.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models

# Bookkeeping fields that change on every save and say nothing to a reader.
HIDDEN = {"id", "version", "created_at", "updated_at", "recorded_at", "uploaded_at"}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    subject: str
    action: str
    reason: str
    changes: list = field(default_factory=list)


def shown_fields(record):
    return [
        f
        for f in record.instance_type._meta.concrete_fields
        if f.name not in HIDDEN and f.editable
    ]


class Names:
    """Display names of related records, fetched once per model."""

    def __init__(self):
        self.ids = {}
        self.names = {}

    def want(self, model, pk):
        if pk is not None:
            self.ids.setdefault(model, set()).add(pk)

    def load(self):
        user_model = get_user_model()
        for model, ids in self.ids.items():
            rows = model._base_manager.filter(pk__in=ids)
            if any(f.name == "vendor" for f in model._meta.fields):
                rows = rows.select_related("vendor")  # str() names the vendor
            if model is user_model:
                self.names[model] = {u.pk: u.get_username() for u in rows}
            else:
                self.names[model] = {row.pk: str(row) for row in rows}

    def name(self, model, pk):
        if pk is None:
            return "—"
        found = self.names.get(model, {}).get(pk)
        if found is None:
            return f"deleted {model._meta.verbose_name} #{pk}"
        return found


def display(record, model_field, names):
    value = getattr(record, model_field.attname)
    if isinstance(model_field, models.ForeignKey):
        return names.name(model_field.related_model, value)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def field_changes(old, new, names):
    """Changes from record `old` to `new`; either may be None (created/deleted)."""
    changes = []
    for model_field in shown_fields(new or old):
        before = display(old, model_field, names) if old else "—"
        after = display(new, model_field, names) if new else "—"
        if before != after:
            changes.append(Change(str(model_field.verbose_name), before, after))
    return changes


def _collect_names(records, names):
    user_model = get_user_model()
    for record in records:
        names.want(user_model, record.history_user_id)
        for model_field in shown_fields(record):
            if isinstance(model_field, models.ForeignKey):
                names.want(
                    model_field.related_model, getattr(record, model_field.attname)
                )


def entries(records):
    """One Entry per historical record, newest first, each diffed with the last."""
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    names = Names()
    _collect_names(records, names)
    names.load()
    user_model = get_user_model()

    previous = {}
    result = []
    for record in records:
        key = (record.instance_type, record.id)
        old = previous.get(key)
        previous[key] = record
        if record.history_type == "-":
            changes = field_changes(record, None, names)
        else:
            changes = field_changes(old, record, names)
        # simple-history empties history_user when that user is deleted, so the
        # author of such a change can no longer be named, only shown as missing.
        who = (
            names.name(user_model, record.history_user_id)
            if record.history_user_id
            else "no user recorded"
        )
        result.append(
            Entry(
                when=record.history_date,
                who=who,
                subject=subject(record, names),
                action=ACTIONS[record.history_type],
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    result.reverse()
    return result


def subject(record, names):
    label = record.instance_type._meta.verbose_name
    if hasattr(record, "kind") and hasattr(record, "vendor_id"):
        return f"{record.get_kind_display()} agreement"
    if hasattr(record, "agreement_id"):
        from .models import Agreement

        return f"{label} of {names.name(Agreement, record.agreement_id)}"
    return str(label)


def vendor_records(vendor):
    """Historical rows of the vendor, its agreements (deleted ones too) and theirs."""
    from .models import Agreement, AgreementDocument, AgreementEvent, VendorContact

    agreements = list(Agreement.history.filter(vendor_id=vendor.pk))
    agreement_ids = {r.id for r in agreements}
    return [
        *vendor.history.all(),
        *agreements,
        *AgreementEvent.history.filter(agreement_id__in=agreement_ids),
        *AgreementDocument.history.filter(agreement_id__in=agreement_ids),
        *VendorContact.history.filter(vendor_id=vendor.pk),
    ]


@dataclass
class StaleChanges:
    changes: list
    authors: list


def describe_changes(agreement, seen_version):
    """What changed on `agreement` since the user loaded version `seen_version`."""
    history = agreement.history.order_by("history_date", "history_id")
    seen = history.filter(version=seen_version).last()
    newer = list(history.filter(version__gt=seen_version))
    latest = newer[-1] if newer else history.last()
    records = [r for r in (seen, latest) if r is not None] + newer
    names = Names()
    _collect_names(records, names)
    names.load()
    changes = field_changes(seen, latest, names) if latest else []
    user_model = get_user_model()
    authors = sorted(
        {
            names.name(user_model, r.history_user_id)
            if r.history_user_id
            else "no user recorded"
            for r in newer
        }
    )
    return StaleChanges(changes, authors)
