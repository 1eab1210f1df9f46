"""One feed of every recorded change, across all the portal's history tables.

The feed is a UNION of the historical tables, so that ordering and paging happen
in the database. A page then costs a fixed number of queries whatever its size:
one count, one for the page, and one per kind of record on the page (fetching
each row together with the version before it, to show what changed).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    CharField,
    OuterRef,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .history import history_models

# Columns that change on every save and say nothing to a reader.
NOISE = {"updated_at", "created_at", "version"}
# Relations that a record's title or link reads, loaded once per page; a model
# whose __str__ reads a relation missing here costs a query per row.
TITLE_RELATIONS = {
    "agreement": ["vendor"],
    "agreementevent": ["agreement__vendor"],
    "agreementdocument": ["agreement__vendor"],
    "followupreminder": ["agreement__vendor"],
    "measurement": ["metric"],
    "shift": ["engineer"],
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    kind: str
    kind_label: str
    record: object  # the historical row
    instance: object  # the record as it was then
    action: str
    changes: list
    url: str

    @property
    def when(self):
        return self.record.history_date

    @property
    def user(self):
        return self.record.history_user

    @property
    def reason(self):
        return self.record.history_change_reason or ""

    @property
    def title(self):
        try:
            return str(self.instance)
        except AttributeError:  # its title reads a related record since deleted
            return f"{self.kind_label} #{self.record.id}"

    def summary(self):
        return "; ".join(f"{c.field}: {c.old} → {c.new}" for c in self.changes)


def kinds():
    """{"vendor": HistoricalVendor, ...} keyed by the tracked model's name."""
    return {m.instance_type._meta.model_name: m for m in history_models()}


def visible_kinds(user):
    """The kinds of record `user` may read, with their labels."""
    found = {}
    for key, model in kinds().items():
        opts = model.instance_type._meta
        if user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            found[key] = opts.verbose_name.capitalize()
    return found


def day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def feed(kind_keys, user=None, start=None, end=None):
    """The changes of these kinds, newest first, as light rows for paging.

    `start` and `end` are dates in the portal's time zone, both included.
    """
    parts = []
    for key in kind_keys:
        model = kinds()[key]
        rows = model.objects.all()
        if user is not None:
            rows = rows.filter(history_user=user)
        if start is not None:
            rows = rows.filter(history_date__gte=day_start(start))
        if end is not None:
            rows = rows.filter(
                history_date__lt=day_start(end + datetime.timedelta(days=1))
            )
        rows = rows.annotate(
            feed_kind=Value(key, output_field=CharField())
        ).values_list("history_date", "history_id", "feed_kind")
        parts.append(rows.order_by())
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


def with_previous(model, history_ids):
    """The rows `history_ids` of `model` and the version before each, in one
    query. The version before is looked up for these rows only: a subquery in
    the feed itself would run for every row of every table before the paging."""
    earlier = model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(
            history_date=OuterRef("history_date"),
            history_id__lt=OuterRef("history_id"),
        )
    )
    previous = earlier.order_by("-history_date", "-history_id").values("history_id")
    # No ORDER BY inside the UNION: SQLite (the default for `make run`) refuses one.
    rows = model.objects.filter(history_id__in=history_ids).order_by()
    previous_ids = rows.annotate(previous_id=Subquery(previous[:1])).values(
        "previous_id"
    )
    # A UNION rather than OR: with OR, PostgreSQL scans the whole table.
    wanted = rows.values("history_id").union(previous_ids, all=True)
    return model.objects.filter(history_id__in=wanted).select_related("history_user")


def version_before(record, versions):
    """The newest of `versions` (of the same record) older than `record`."""
    key = (record.history_date, record.history_id)
    older = [v for v in versions if (v.history_date, v.history_id) < key]
    return max(older, key=lambda v: (v.history_date, v.history_id), default=None)


def entries(rows, viewer):
    """Full entries for one page of `feed` rows: one query per kind on the page."""
    wanted = {}
    for _date, history_id, kind in rows:
        wanted.setdefault(kind, set()).add(history_id)
    loaded = {}
    versions = {}
    for kind, ids in wanted.items():
        for record in with_previous(kinds()[kind], ids):
            loaded[kind, record.history_id] = record
            versions.setdefault((kind, record.id), []).append(record)
    result = []
    for _date, history_id, kind in rows:
        record = loaded[kind, history_id]
        previous = version_before(record, versions[kind, record.id])
        result.append(
            Entry(
                kind=kind,
                kind_label=record.instance_type._meta.verbose_name.capitalize(),
                record=record,
                instance=record.instance,
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=changes(record, previous),
                url="",
            )
        )
    for kind, relations in TITLE_RELATIONS.items():
        instances = [entry.instance for entry in result if entry.kind == kind]
        prefetch_related_objects(instances, *relations)
    for entry in result:
        entry.url = record_url(entry, viewer)
    return result


def changes(record, previous):
    if previous is None or record.history_type != "~":
        return []
    delta = record.diff_against(previous, excluded_fields=NOISE)
    opts = record.instance_type._meta
    return [
        Change(
            str(opts.get_field(c.field).verbose_name),
            shown(opts.get_field(c.field), c.old),
            shown(opts.get_field(c.field), c.new),
        )
        for c in delta.changes
    ]


def shown(field, value):
    if value is None or value == "":
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return f"#{value}"
    if len(str(value)) > 80:
        return str(value)[:77] + "…"
    return str(value)


def record_url(entry, viewer):
    """The record's page, or its admin page for staff; '' once it is deleted."""
    record = entry.record
    if record.history_type == "-":
        return ""
    if hasattr(entry.instance, "get_absolute_url"):
        try:
            return entry.instance.get_absolute_url()
        except AttributeError:  # the page hangs off a related record since deleted
            return ""
    if not viewer.is_staff:
        return ""
    opts = record.instance_type._meta
    try:
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.id]
        )
    except NoReverseMatch:
        return ""
