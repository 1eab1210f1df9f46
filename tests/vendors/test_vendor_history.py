"""/vendors/<slug>/history/: field-by-field diffs that survive deletions."""

import datetime

from django.urls import reverse

from tests.factories import AgreementFactory, UserFactory
from vendors import lifecycle
from vendors.models import Agreement, VendorContact

TODAY = datetime.date(2026, 3, 10)


def history_page(client, vendor):
    return client.get(reverse("vendors:history", args=[vendor.slug]))


def test_it_shows_old_and_new_value_who_and_why(client, legal, vendor):
    agreement = AgreementFactory(vendor=vendor, status=Agreement.Status.NOT_STARTED)
    lifecycle.apply(
        vendor,
        "baa",
        "request",
        agreement.version,
        legal,
        {"requested_on": datetime.date(2026, 3, 2), "requested_to": "a@acme.test"},
        TODAY,
    )
    client.force_login(legal)

    response = history_page(client, vendor)

    event, latest = response.context["entries"][:2]
    assert (event.who, event.action, event.subject) == (
        "lena-legal",
        "created",
        "agreement event of Acme Cloud BAA",
    )
    assert (latest.who, latest.action, latest.subject, latest.reason) == (
        "lena-legal",
        "changed",
        "BAA agreement",
        "Request sent",
    )
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("status", "Not started", "Requested"),
        ("requested on", "—", "2026-03-02"),
        ("requested to", "—", "a@acme.test"),
        ("last contact on", "—", "2026-03-02"),
    ]
    assert "<td>Not started</td><td>Requested</td>" in response.content.decode()


def test_it_shows_a_deletion_with_the_values_that_were_lost(client, legal, vendor):
    contact = VendorContact.objects.create(vendor=vendor, name="Pat", role="DPO")
    contact.delete()
    client.force_login(legal)

    response = history_page(client, vendor)

    deletion = response.context["entries"][0]
    assert (deletion.action, deletion.subject) == ("deleted", "vendor contact")
    assert [(c.field, c.old, c.new) for c in deletion.changes] == [
        ("vendor", "Acme Cloud", "—"),
        ("name", "Pat", "—"),
        ("role", "DPO", "—"),
    ]


def test_it_still_renders_after_the_author_and_owner_are_deleted(client, legal, vendor):
    departed = UserFactory(username="departed")
    agreement = AgreementFactory(vendor=vendor, owner=departed)
    agreement._history_user = departed
    agreement.notes = "chased"
    agreement.save()
    departed_id = departed.pk
    departed.delete()
    client.force_login(legal)

    response = history_page(client, vendor)

    assert response.status_code == 200
    change = response.context["entries"][0]
    assert change.who == "no user recorded"
    creation = response.context["entries"][1]
    assert ("owner", "—", f"deleted user #{departed_id}") in [
        (c.field, c.old, c.new) for c in creation.changes
    ]


def test_it_still_renders_after_an_agreement_is_deleted(client, legal, vendor):
    AgreementFactory(vendor=vendor, kind="dpa").delete()
    client.force_login(legal)

    response = history_page(client, vendor)

    deletion = response.context["entries"][0]
    assert (deletion.action, deletion.subject) == ("deleted", "DPA agreement")


def test_it_is_refused_to_a_user_in_no_group(client, outsider, vendor):
    client.force_login(outsider)

    assert history_page(client, vendor).status_code == 403
