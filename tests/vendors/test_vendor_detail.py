"""/vendors/<slug>/: agreements, timeline, contacts, and buttons by permission."""

import datetime

from django.urls import reverse

from tests.factories import AgreementFactory
from vendors import lifecycle
from vendors.models import Agreement, VendorContact


def detail(client, vendor):
    return client.get(reverse("vendors:detail", args=[vendor.slug]))


def test_it_shows_both_agreements_even_when_none_exists(client, legal, vendor):
    client.force_login(legal)

    response = detail(client, vendor)

    kinds = [(a.kind, a.status, a.pk) for a in response.context["agreements"]]
    assert kinds == [("baa", "not_started", None), ("dpa", "not_started", None)]
    assert "/vendors/acme-cloud/baa/request/" in response.content.decode()


def test_it_shows_the_timeline_of_events(client, legal, requested_baa):
    lifecycle.apply(
        requested_baa.vendor,
        "baa",
        "follow-up",
        1,
        legal,
        {"happened_on": datetime.date(2026, 3, 5), "channel": "email", "note": "Ping"},
        datetime.date(2026, 3, 10),
    )
    client.force_login(legal)

    page = detail(client, requested_baa.vendor).content.decode()

    assert "2026-03-05</span> Follow-up (E-mail): Ping" in page
    assert "recorded by lena-legal" in page


def test_it_hides_the_buttons_a_viewer_cannot_use(client, viewer, requested_baa):
    client.force_login(viewer)

    response = detail(client, requested_baa.vendor)

    assert [a.actions for a in response.context["agreements"]] == [[], []]
    page = response.content.decode()
    assert "/vendors/acme-cloud/baa/" not in page
    assert "Add contact" not in page


def test_it_offers_legal_only_the_legal_next_steps(client, legal, requested_baa):
    client.force_login(legal)

    response = detail(client, requested_baa.vendor)

    baa = response.context["agreements"][0]
    assert [a.name for a in baa.actions] == [
        "follow-up",
        "negotiate",
        "sign",
        "not-required",
        "decline",
        "edit",
    ]


def test_it_adds_a_contact_for_legal(client, legal, vendor):
    client.force_login(legal)

    client.post(
        reverse("vendors:contact_add", args=[vendor.slug]),
        {"name": "Pat Doe", "role": "DPO", "email": "pat@acme.test"},
    )

    contact = VendorContact.objects.get()
    assert (contact.vendor, contact.name, contact.email) == (
        vendor,
        "Pat Doe",
        "pat@acme.test",
    )
    assert contact.history.get().history_user == legal
    assert "Pat Doe (DPO)" in detail(client, vendor).content.decode()


def test_it_refuses_a_contact_from_an_engineer(client, engineer, vendor):
    client.force_login(engineer)

    response = client.post(
        reverse("vendors:contact_add", args=[vendor.slug]), {"name": "Pat"}
    )

    assert response.status_code == 403
    assert VendorContact.objects.count() == 0


def test_it_refuses_an_invalid_contact_with_a_message(client, legal, vendor):
    client.force_login(legal)

    response = client.post(
        reverse("vendors:contact_add", args=[vendor.slug]),
        {"name": "Pat", "email": "not-an-address"},
        follow=True,
    )

    assert VendorContact.objects.count() == 0
    assert "The contact was not added: email: Enter a valid email address." in (
        response.content.decode()
    )


def test_it_shows_the_signed_status(client, viewer, vendor):
    AgreementFactory(vendor=vendor, status=Agreement.Status.SIGNED)
    client.force_login(viewer)

    page = detail(client, vendor).content.decode()

    assert "this vendor blocks launch" not in page
