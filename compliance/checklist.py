"""Ticking and unticking checklist items and milestone tasks.

A tick is a claim, so it carries its evidence and the person who made it, and an
untick carries its reason. Both land in the item's history with that person.
Launch gates (milestone tasks that start production) refuse a tick while
`readiness` reports anything that blocks launch.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from . import readiness
from .models import ChecklistItem, MilestoneTask, Status

# "A note of at least a sentence": a handful of words, not "done" or "ok".
MIN_NOTE_WORDS = 4
MIN_NOTE_CHARS = 20
is_url = URLValidator(schemes=["http", "https"])


class Refused(Exception):
    """The change is not allowed as asked; the message says why."""

    def __init__(self, message, blockers=()):
        super().__init__(message)
        self.message = message
        self.blockers = list(blockers)


def evidence_problem(text):
    """Why `text` is not evidence, or None when it is a link or a real note."""
    text = text.strip()
    if not text:
        return "Evidence is required: a link, or a note of at least a sentence."
    if " " not in text and text.lower().startswith(("http://", "https://")):
        try:
            is_url(text)
        except ValidationError:
            return "That link is not a valid http(s) address."
        return None
    if len(text.split()) < MIN_NOTE_WORDS or len(text) < MIN_NOTE_CHARS:
        return (
            f"A note needs at least a sentence ({MIN_NOTE_WORDS} words, "
            f"{MIN_NOTE_CHARS} characters), or give a link instead."
        )
    return None


def locked(item):
    """The item re-read under a row lock: two engineers ticking the same item at
    once must see each other's change, not both "tick" it."""
    return ChecklistItem.objects.select_for_update().get(pk=item.pk)


def tick(item, by, evidence, owner=None):
    """Mark `item` done with `evidence`; a blocking item also needs an owner."""
    with transaction.atomic():
        item = locked(item)
        if item.derived:
            raise Refused(
                f"“{item.title}” is derived from the data "
                f"({item.get_derived_display().lower()}); it cannot be ticked."
            )
        if item.status == Status.DONE:
            raise Refused(f"“{item.title}” is already ticked done.")
        errors = {}
        problem = evidence_problem(evidence)
        if problem:
            errors["evidence"] = problem
        owner = owner or item.owner
        if item.blocking and owner is None:
            errors["owner"] = "A blocking item needs an owner before it is ticked."
        if errors:
            raise ValidationError(errors)

        item.status = Status.DONE
        item.evidence = evidence.strip()
        item.owner = owner
        item.done_by = by
        item.done_at = timezone.now()
        item._history_user = by
        item._change_reason = f"Ticked done. Evidence: {item.evidence}"[:100]
        item.save()
    return item


def untick(item, by, reason):
    """Reopen `item`; the reason is what the history shows."""
    reason = reason.strip()
    with transaction.atomic():
        item = locked(item)
        if item.derived:
            raise Refused(f"“{item.title}” is derived from the data; it has no tick.")
        if item.status != Status.DONE:
            raise Refused(f"“{item.title}” is not ticked done.")
        if not reason:
            raise ValidationError({"reason": "Say why the item is no longer done."})

        item.status = Status.PENDING
        item.done_by = None
        item.done_at = None
        item._history_user = by
        item._change_reason = f"Unticked: {reason}"[:100]
        item.save()
    return item


def tick_task(task, by):
    """Mark a milestone task done; a launch gate refuses while launch is blocked."""
    with transaction.atomic():
        task = MilestoneTask.objects.select_for_update().get(pk=task.pk)
        if task.done:
            raise Refused(f"“{task.title}” is already done.")
        if task.is_launch_gate:
            blockers = readiness.compute(task.milestone.plan).blockers
            if blockers:
                things = (
                    "1 thing blocks"
                    if len(blockers) == 1
                    else (f"{len(blockers)} things block")
                )
                raise Refused(
                    f"“{task.title}” starts production and cannot be ticked while "
                    f"{things} launch.",
                    blockers,
                )
        task.done = True
        task.done_by = by
        task.done_at = timezone.now()
        task._history_user = by
        task._change_reason = "Ticked done"
        task.save()
    return task


def untick_task(task, by):
    with transaction.atomic():
        task = MilestoneTask.objects.select_for_update().get(pk=task.pk)
        if not task.done:
            raise Refused(f"“{task.title}” is not done.")
        task.done = False
        task.done_by = None
        task.done_at = None
        task._history_user = by
        task._change_reason = "Unticked"
        task.save()
    return task
