"""The agreement lifecycle service: every transition and every refusal."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from tests.factories import AgreementFactory, VendorFactory
from vendors import lifecycle
from vendors.models import Agreement, AgreementDocument, AgreementEvent

from .conftest import PDF, TODAY, pdf_upload

Status = Agreement.Status
BAA = Agreement.Kind.BAA
# A second, different PDF: a replacement of the first.
PDF2 = PDF.replace(b"612", b"595")


def apply(agreement, action, user, today=TODAY, **values):
    return lifecycle.apply(
        agreement.vendor, agreement.kind, action, agreement.version, user, values, today
    )


def snapshot(agreement):
    """Everything a refused change must leave as it was."""
    agreement.refresh_from_db()
    return (
        agreement.status,
        agreement.version,
        agreement.requested_on,
        agreement.last_contact_on,
        agreement.signed_on,
        agreement.reason,
        agreement.history.count(),
        AgreementEvent.objects.filter(agreement=agreement).count(),
        AgreementDocument.objects.filter(agreement=agreement).count(),
    )


def refused(agreement, action, user, **values):
    before = snapshot(agreement)
    with pytest.raises(ValidationError) as refusal:
        apply(agreement, action, user, **values)
    assert snapshot(agreement) == before
    return refusal.value


# Transitions


def test_it_records_a_request_and_creates_the_missing_agreement(vendor, legal):
    placeholder = Agreement(vendor=vendor, kind=BAA)

    agreement = apply(
        placeholder,
        "request",
        legal,
        requested_on=datetime.date(2026, 3, 2),
        requested_to="privacy@acme.test",
    )

    agreement.refresh_from_db()
    assert agreement.status == Status.REQUESTED
    assert agreement.requested_on == datetime.date(2026, 3, 2)
    assert agreement.requested_to == "privacy@acme.test"
    assert agreement.next_follow_up_on == datetime.date(2026, 3, 9)
    started, sent = agreement.history.order_by("history_id")
    assert (started.history_user, started.history_change_reason) == (legal, "Started")
    assert (sent.history_user, sent.history_change_reason) == (legal, "Request sent")
    event = agreement.events.get()
    assert (event.kind, event.happened_on) == ("requested", datetime.date(2026, 3, 2))


def test_it_logs_a_follow_up_and_moves_the_next_one(requested_baa, legal):
    apply(
        requested_baa,
        "follow-up",
        legal,
        happened_on=datetime.date(2026, 3, 8),
        channel="phone",
        note="Left a voicemail",
    )

    requested_baa.refresh_from_db()
    assert requested_baa.status == Status.REQUESTED
    assert requested_baa.last_contact_on == datetime.date(2026, 3, 8)
    assert requested_baa.next_follow_up_on == datetime.date(2026, 3, 15)
    event = requested_baa.events.get()
    assert (event.kind, event.channel, event.note) == (
        "follow_up",
        "phone",
        "Left a voicemail",
    )
    assert requested_baa.history.first().history_change_reason == (
        "Log a follow-up: Left a voicemail"
    )


def test_it_takes_the_follow_up_interval_from_the_setting(
    requested_baa, legal, settings
):
    settings.PORTAL_FOLLOW_UP_DAYS = 3

    assert requested_baa.next_follow_up_on == datetime.date(2026, 3, 4)
    assert list(Agreement.objects.follow_up_due(datetime.date(2026, 3, 4))) == [
        requested_baa
    ]
    assert list(Agreement.objects.follow_up_due(datetime.date(2026, 3, 3))) == []


def test_it_moves_to_negotiation_when_redlines_arrive(requested_baa, legal):
    apply(requested_baa, "negotiate", legal, happened_on=datetime.date(2026, 3, 5))

    requested_baa.refresh_from_db()
    assert requested_baa.status == Status.IN_NEGOTIATION
    assert requested_baa.last_contact_on == datetime.date(2026, 3, 5)


def test_it_records_a_signature_with_its_document(requested_baa, legal):
    apply(
        requested_baa,
        "sign",
        legal,
        signed_on=datetime.date(2026, 3, 9),
        expires_on=datetime.date(2027, 3, 9),
        document=pdf_upload(),
    )

    requested_baa.refresh_from_db()
    assert requested_baa.status == Status.SIGNED
    assert requested_baa.signed_on == datetime.date(2026, 3, 9)
    assert requested_baa.effective_on == datetime.date(2026, 3, 9)
    assert requested_baa.expires_on == datetime.date(2027, 3, 9)
    assert requested_baa.next_follow_up_on is None
    document = requested_baa.documents.get()
    assert document.original_name == "signed-baa.pdf"
    assert document.uploaded_by == legal
    with document.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-1.4")


@pytest.mark.parametrize(
    ("action", "source", "target"),
    [
        ("not-required", Status.NOT_STARTED, Status.NOT_REQUIRED),
        ("decline", Status.REQUESTED, Status.DECLINED),
        ("terminate", Status.SIGNED, Status.TERMINATED),
    ],
)
def test_it_ends_an_agreement_with_a_reason(legal, action, source, target):
    agreement = AgreementFactory(status=source, requested_on=datetime.date(2026, 3, 1))

    apply(agreement, action, legal, reason="Vendor does not see PHI")

    agreement.refresh_from_db()
    assert agreement.status == target
    assert agreement.reason == "Vendor does not see PHI"
    assert agreement.events.get().note == "Vendor does not see PHI"


def test_it_keeps_earlier_documents_when_a_new_one_is_uploaded(vendor, legal):
    agreement = AgreementFactory(
        vendor=vendor, status=Status.REQUESTED, requested_on=datetime.date(2026, 3, 1)
    )
    apply(
        agreement,
        "sign",
        legal,
        signed_on=datetime.date(2026, 3, 2),
        document=pdf_upload("first.pdf"),
    )
    agreement.refresh_from_db()

    apply(agreement, "upload", legal, document=pdf_upload("second.pdf", PDF2))

    names = [d.original_name for d in agreement.documents.order_by("pk")]
    assert names == ["first.pdf", "second.pdf"]
    assert agreement.current_document().original_name == "second.pdf"


def test_it_edits_the_owner_with_a_history_row(requested_baa, legal, viewer):
    apply(requested_baa, "edit", legal, owner=viewer, requested_to="x", notes="n")

    requested_baa.refresh_from_db()
    assert requested_baa.owner == viewer
    assert requested_baa.version == 2
    assert requested_baa.history.first().history_user == legal


# Refusals: each one explains itself and saves nothing.


def test_it_refuses_a_request_dated_in_the_future(vendor, legal):
    agreement = AgreementFactory(vendor=vendor)
    error = refused(
        agreement,
        "request",
        legal,
        requested_on=datetime.date(2026, 3, 11),
        requested_to="x@acme.test",
    )
    assert error.message_dict == {
        "requested_on": ["The request date (2026-03-11) is in the future."]
    }


def test_it_refuses_a_follow_up_before_the_request(requested_baa, legal):
    error = refused(
        requested_baa, "follow-up", legal, happened_on=datetime.date(2026, 2, 27)
    )
    assert error.message_dict == {
        "happened_on": [
            "The date (2026-02-27) is before the request was sent (2026-03-01)."
        ]
    }


def test_it_refuses_a_signature_dated_in_the_future(requested_baa, legal):
    error = refused(
        requested_baa,
        "sign",
        legal,
        signed_on=datetime.date(2026, 3, 12),
        document=pdf_upload(),
    )
    assert error.message_dict == {
        "signed_on": ["The signed date (2026-03-12) is in the future."]
    }


def test_it_refuses_a_signature_before_the_request(requested_baa, legal):
    error = refused(
        requested_baa,
        "sign",
        legal,
        signed_on=datetime.date(2026, 2, 1),
        document=pdf_upload(),
    )
    assert error.message_dict == {
        "signed_on": [
            "The signed date (2026-02-01) is before the request was sent (2026-03-01)."
        ]
    }


def test_it_refuses_a_signature_without_a_signed_date(requested_baa, legal):
    error = refused(requested_baa, "sign", legal, document=pdf_upload())
    assert error.message_dict == {
        "signed_on": ["A signed agreement needs its signed date."]
    }


def test_it_refuses_a_signature_without_a_document(requested_baa, legal):
    error = refused(requested_baa, "sign", legal, signed_on=datetime.date(2026, 3, 9))
    assert error.message_dict == {
        "document": ["A signed agreement needs its signed document (PDF)."]
    }


def test_it_refuses_an_expiry_before_the_effective_date(requested_baa, legal):
    error = refused(
        requested_baa,
        "sign",
        legal,
        signed_on=datetime.date(2026, 3, 9),
        expires_on=datetime.date(2026, 3, 1),
        document=pdf_upload(),
    )
    assert error.message_dict == {
        "expires_on": [
            "The expiry date (2026-03-01) must be after the effective date "
            "(2026-03-09)."
        ]
    }


def test_it_refuses_an_illegal_jump_from_not_started_to_signed(vendor, legal):
    agreement = AgreementFactory(vendor=vendor, status=Status.NOT_STARTED)
    error = refused(
        agreement,
        "sign",
        legal,
        signed_on=datetime.date(2026, 3, 9),
        document=pdf_upload(),
    )
    assert error.messages == [
        "“Record signature” is not possible while the BAA is “Not started”."
    ]


def test_it_refuses_to_terminate_an_agreement_that_was_never_signed(
    requested_baa, legal
):
    error = refused(requested_baa, "terminate", legal, reason="Changed our mind")
    assert error.messages == [
        "“Terminated” is not possible while the BAA is “Requested”."
    ]


def test_it_refuses_a_decline_without_a_reason(requested_baa, legal):
    error = refused(requested_baa, "decline", legal, reason="  ")
    assert error.message_dict == {"reason": ["Give the reason; auditors will read it."]}


# Nothing lost


def test_it_refuses_a_save_from_a_stale_copy_and_says_what_changed(
    requested_baa, legal, viewer
):
    seen_version = requested_baa.version
    apply(requested_baa, "negotiate", viewer, happened_on=datetime.date(2026, 3, 4))

    with pytest.raises(lifecycle.StaleAgreement) as refusal:
        lifecycle.apply(
            requested_baa.vendor,
            BAA,
            "decline",
            seen_version,
            legal,
            {"reason": "Too slow"},
            TODAY,
        )

    requested_baa.refresh_from_db()
    assert requested_baa.status == Status.IN_NEGOTIATION
    assert refusal.value.changes.authors == ["vic-viewer"]
    changes = {c.field: (c.old, c.new) for c in refusal.value.changes.changes}
    assert changes == {
        "status": ("Requested", "In negotiation"),
        "last contact on": ("2026-03-01", "2026-03-04"),
    }


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_racing_transitions_win():
    vendor = VendorFactory(name="Racer")
    agreement = AgreementFactory(
        vendor=vendor, status=Status.REQUESTED, requested_on=datetime.date(2026, 3, 1)
    )
    rows_before = agreement.history.count()
    outcomes = {}

    def attempt(action, values):
        try:
            lifecycle.apply(vendor, BAA, action, 1, None, values, TODAY)
            outcomes[action] = "won"
        except lifecycle.StaleAgreement:
            outcomes[action] = "refused"
        finally:
            connection.close()

    # Hold the row so that both requests are waiting on the lock together.
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        threads = [
            threading.Thread(
                target=attempt,
                args=(
                    "sign",
                    {"signed_on": datetime.date(2026, 3, 9), "document": pdf_upload()},
                ),
            ),
            threading.Thread(target=attempt, args=("decline", {"reason": "No"})),
        ]
        for thread in threads:
            thread.start()
        threads[0].join(0.5)
    for thread in threads:
        thread.join(10)

    agreement.refresh_from_db()
    assert sorted(outcomes.values()) == ["refused", "won"]
    winner = next(a for a, result in outcomes.items() if result == "won")
    assert (
        agreement.status == {"sign": Status.SIGNED, "decline": Status.DECLINED}[winner]
    )
    assert agreement.version == 2
    assert agreement.history.count() == rows_before + 1


def test_it_refuses_a_request_without_a_recipient(vendor, legal):
    agreement = AgreementFactory(vendor=vendor)
    error = refused(
        agreement,
        "request",
        legal,
        requested_on=datetime.date(2026, 3, 9),
        requested_to=" ",
    )
    assert error.message_dict == {"requested_to": ["Say to whom the request was sent."]}


def test_it_refuses_a_follow_up_without_a_date(requested_baa, legal):
    error = refused(requested_baa, "follow-up", legal, happened_on=None)
    assert error.message_dict == {"happened_on": ["Give the date."]}


def test_it_refuses_redlines_dated_in_the_future(requested_baa, legal):
    error = refused(
        requested_baa, "negotiate", legal, happened_on=datetime.date(2026, 3, 11)
    )
    assert error.message_dict == {
        "happened_on": ["The date (2026-03-11) is in the future."]
    }


def test_it_refuses_a_follow_up_on_a_signed_agreement(vendor, legal):
    agreement = AgreementFactory(vendor=vendor, status=Status.SIGNED)
    error = refused(
        agreement, "follow-up", legal, happened_on=datetime.date(2026, 3, 9)
    )
    assert error.messages == [
        "“Log a follow-up” is not possible while the BAA is “Signed”."
    ]


def test_it_refuses_a_replacement_that_is_not_a_pdf(vendor, legal):
    agreement = AgreementFactory(vendor=vendor, status=Status.SIGNED)
    error = refused(
        agreement, "upload", legal, document=pdf_upload("new.pdf", b"GIF89a...")
    )
    assert error.message_dict == {
        "document": ["This file is not a PDF. Upload the signed agreement as PDF."]
    }


def test_it_refuses_a_signature_whose_agreement_has_already_expired(
    requested_baa, legal
):
    error = refused(
        requested_baa,
        "sign",
        legal,
        signed_on=datetime.date(2026, 3, 1),
        effective_on=datetime.date(2025, 3, 1),
        expires_on=TODAY,
        document=pdf_upload(),
    )
    assert error.message_dict == {
        "expires_on": [
            f"The expiry date ({TODAY:%Y-%m-%d}) is not after today: an expired "
            "agreement covers nothing. Check the date."
        ]
    }
