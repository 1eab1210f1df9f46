"""How an agreement moves from "not started" to "signed" (and beyond).

Every change goes through `apply()`, which locks the agreement row, refuses a
change made from a stale copy, checks the rules, saves one history row with its
author and reason, and adds the event to the agreement's timeline. A refused
change raises and saves nothing.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .history import describe_changes
from .models import Agreement, AgreementDocument, AgreementEvent

Status = Agreement.Status
Kind = AgreementEvent.Kind

# Requests may be sent again after a refusal or a termination.
REOPENABLE = {Status.NOT_STARTED, Status.DECLINED, Status.NOT_REQUIRED}


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: str | None  # None keeps the status (a follow-up, an upload)
    event: str | None


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "request",
            "Request sent",
            frozenset(REOPENABLE | {Status.TERMINATED}),
            Status.REQUESTED,
            Kind.REQUESTED,
        ),
        Action(
            "follow-up",
            "Log a follow-up",
            frozenset(Agreement.AWAITING_REPLY),
            None,
            Kind.FOLLOW_UP,
        ),
        Action(
            "negotiate",
            "Redlines received",
            frozenset({Status.REQUESTED, Status.IN_NEGOTIATION}),
            Status.IN_NEGOTIATION,
            Kind.NEGOTIATION,
        ),
        Action(
            "sign",
            "Record signature",
            frozenset(Agreement.AWAITING_REPLY),
            Status.SIGNED,
            Kind.SIGNED,
        ),
        Action(
            "not-required",
            "Not required",
            frozenset({Status.NOT_STARTED, *Agreement.AWAITING_REPLY}),
            Status.NOT_REQUIRED,
            Kind.NOT_REQUIRED,
        ),
        Action(
            "decline",
            "Declined",
            frozenset(Agreement.AWAITING_REPLY),
            Status.DECLINED,
            Kind.DECLINED,
        ),
        Action(
            "terminate",
            "Terminated",
            frozenset({Status.SIGNED}),
            Status.TERMINATED,
            Kind.TERMINATED,
        ),
        Action(
            "upload",
            "Upload a new version of the signed document",
            frozenset({Status.SIGNED}),
            None,
            Kind.DOCUMENT,
        ),
        Action("edit", "Edit details", frozenset(Status.values), None, None),
    ]
}


class StaleAgreement(Exception):
    """Someone saved the agreement after the form was loaded."""

    def __init__(self, changes):
        self.changes = changes
        super().__init__("This agreement was changed by someone else meanwhile.")


def available_actions(status):
    return [a for a in ACTIONS.values() if status in a.sources]


def file_digest(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_pdf(upload):
    """Refuse anything but a PDF, judged by the bytes, not the name or header."""
    limit = settings.PORTAL_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "document": f"The file is {upload.size:,} bytes; the limit is "
                f"{limit:,} bytes."
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(max(upload.size - 1024, 0))
    tail = upload.read()
    upload.seek(0)
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise ValidationError(
            {"document": "This file is not a PDF. Upload the signed agreement as PDF."}
        )


def _check_date(errors, field, value, today, requested_on, label):
    if value is None:
        return
    if value > today:
        errors[field] = f"The {label} ({value:%Y-%m-%d}) is in the future."
    elif requested_on and value < requested_on:
        errors[field] = (
            f"The {label} ({value:%Y-%m-%d}) is before the request was sent "
            f"({requested_on:%Y-%m-%d})."
        )


# What each action cannot do without, and how the user is told.
REQUIRED = {
    "request": {
        "requested_on": "Say when the request was sent.",
        "requested_to": "Say to whom the request was sent.",
    },
    "follow-up": {"happened_on": "Give the date."},
    "negotiate": {"happened_on": "Give the date."},
    "sign": {
        "signed_on": "A signed agreement needs its signed date.",
        "document": "A signed agreement needs its signed document (PDF).",
    },
    "upload": {"document": "Choose the PDF to upload."},
    **{
        name: {"reason": "Give the reason; auditors will read it."}
        for name in ("not-required", "decline", "terminate")
    },
}
# Dates of things that happened: never in the future, never before the request.
PAST_DATES = {
    "requested_on": "request date",
    "happened_on": "date",
    "signed_on": "signed date",
}


def given(value):
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def validate(action, agreement, values, today):
    """All the rules of `action` on `agreement`; raises ValidationError."""
    if agreement.status not in action.sources:
        raise ValidationError(
            f"“{action.label}” is not possible while the "
            f"{agreement.get_kind_display()} is “{agreement.get_status_display()}”."
        )
    errors = {}
    for field, message in REQUIRED.get(action.name, {}).items():
        if not given(values.get(field)):
            errors[field] = message
    # A new request starts the clock again, so it may predate the last one.
    since = None if action.name == "request" else agreement.requested_on
    for field, label in PAST_DATES.items():
        if field not in errors:
            _check_date(errors, field, values.get(field), today, since, label)
    if action.name == "sign" and "signed_on" not in errors:
        _check_expiry(errors, values, today)
    if errors:
        raise ValidationError(errors)
    if values.get("document"):
        check_pdf(values["document"])


def _check_expiry(errors, values, today):
    effective_on = values.get("effective_on") or values["signed_on"]
    expires_on = values.get("expires_on")
    if expires_on and expires_on <= effective_on:
        errors["expires_on"] = (
            f"The expiry date ({expires_on:%Y-%m-%d}) must be after the "
            f"effective date ({effective_on:%Y-%m-%d})."
        )
    elif expires_on and expires_on <= today:
        # Recorded as signed, it would clear the vendor's launch blocker.
        errors["expires_on"] = (
            f"The expiry date ({expires_on:%Y-%m-%d}) is not after today: an "
            "expired agreement covers nothing. Check the date."
        )


def _apply_values(action, agreement, values):
    if action.target:
        agreement.status = action.target
    if action.name == "request":
        agreement.requested_on = values["requested_on"]
        agreement.requested_to = values["requested_to"].strip()
        agreement.last_contact_on = values["requested_on"]
        agreement.signed_on = agreement.effective_on = agreement.expires_on = None
        agreement.reason = ""
    elif action.name in ("follow-up", "negotiate"):
        agreement.last_contact_on = values["happened_on"]
    elif action.name == "sign":
        agreement.signed_on = values["signed_on"]
        agreement.effective_on = values.get("effective_on") or values["signed_on"]
        agreement.expires_on = values.get("expires_on")
        agreement.last_contact_on = values["signed_on"]
    elif action.target in (Status.NOT_REQUIRED, Status.DECLINED, Status.TERMINATED):
        agreement.reason = values["reason"].strip()
    elif action.name == "edit":
        for field in ("owner", "requested_to", "notes"):
            if field in values:
                setattr(agreement, field, values[field])


def event_date(action, values, today):
    for field in ("happened_on", "requested_on", "signed_on"):
        if values.get(field):
            return values[field]
    return today


def _lock(vendor, kind, user):
    """The agreement row, locked until the transaction ends; created if missing.

    Two people posting at once (one signs, one declines) queue here; the second
    finds a newer version and is refused.
    """
    agreement = (
        Agreement.objects.select_for_update().filter(vendor=vendor, kind=kind).first()
    )
    if agreement is not None:
        return agreement
    try:
        with transaction.atomic():
            created = Agreement(vendor=vendor, kind=kind)
            created._history_user = user
            created._change_reason = "Started"
            created.save()
    except IntegrityError:
        pass  # created by a concurrent request; lock that one instead
    return Agreement.objects.select_for_update().get(vendor=vendor, kind=kind)


def apply(vendor, kind, action_name, expected_version, user, values, today=None):
    """Carry out one lifecycle action and return the saved agreement.

    `expected_version` is the version the user saw (1 for an agreement that does
    not exist yet). Raises StaleAgreement or ValidationError and saves nothing.
    """
    action = ACTIONS[action_name]
    today = today or timezone.localdate()
    with transaction.atomic():
        agreement = _lock(vendor, kind, user)
        if agreement.version != expected_version:
            raise StaleAgreement(describe_changes(agreement, expected_version))
        validate(action, agreement, values, today)
        _apply_values(action, agreement, values)

        agreement._history_user = user
        agreement._change_reason = change_reason(action, values)
        agreement.save()
        if action.event:
            event = AgreementEvent(
                agreement=agreement,
                kind=action.event,
                happened_on=event_date(action, values, today),
                channel=values.get("channel", ""),
                note=values.get("note", "") or values.get("reason", ""),
                recorded_by=user,
            )
            event._history_user = user
            event._change_reason = action.label
            event.save()
        if values.get("document"):
            store_document(agreement, values["document"], user)
    return agreement


def change_reason(action, values):
    note = (values.get("note") or values.get("reason") or "").strip()
    reason = action.label if not note else f"{action.label}: {note}"
    return reason[:100]


def store_document(agreement, upload, user):
    """Save the PDF as a new version; earlier versions stay where they are."""
    document = AgreementDocument(
        agreement=agreement,
        original_name=upload.name[:255],
        size=upload.size,
        sha256=file_digest(upload),
        uploaded_by=user,
    )
    document._history_user = user
    document._change_reason = "Uploaded"
    document.file.save(f"{document.sha256}.pdf", upload, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document
