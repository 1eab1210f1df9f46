"""The lifecycle forms: /vendors/<slug>/<kind>/<action>/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory, UserFactory
from vendors.models import Agreement

from .conftest import pdf_upload

Status = Agreement.Status


def url(vendor, action, kind="baa"):
    return reverse("vendors:action", args=[vendor.slug, kind, action])


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def pending(vendor, legal):
    """A BAA requested ten days ago (in the portal's time zone)."""
    return AgreementFactory(
        vendor=vendor,
        status=Status.REQUESTED,
        requested_on=timezone.localdate() - datetime.timedelta(days=10),
        owner=legal,
    )


def test_it_records_a_signature_and_redirects_to_the_vendor(client, legal, pending):
    client.force_login(legal)

    response = client.post(
        url(pending.vendor, "sign"),
        {
            "version": 1,
            "signed_on": yesterday().isoformat(),
            "document": pdf_upload(),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/vendors/acme-cloud/"
    pending.refresh_from_db()
    assert pending.status == Status.SIGNED
    assert pending.history.first().history_user == legal


def test_it_creates_the_missing_agreement_on_the_first_request(client, legal, vendor):
    client.force_login(legal)

    client.post(
        url(vendor, "request", kind="dpa"),
        {
            "version": 1,
            "requested_on": yesterday().isoformat(),
            "requested_to": "dpo@acme.test",
        },
    )

    dpa = Agreement.objects.get(vendor=vendor, kind="dpa")
    assert (dpa.status, dpa.requested_to) == (Status.REQUESTED, "dpo@acme.test")


def test_it_shows_the_refusal_next_to_the_field_and_saves_nothing(
    client, legal, pending
):
    client.force_login(legal)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        url(pending.vendor, "sign"),
        {"version": 1, "signed_on": tomorrow.isoformat(), "document": pdf_upload()},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "signed_on": [f"The signed date ({tomorrow:%Y-%m-%d}) is in the future."]
    }
    assert "Nothing was saved" in response.content.decode()
    pending.refresh_from_db()
    assert (pending.status, pending.version, pending.history.count()) == (
        Status.REQUESTED,
        1,
        1,
    )


def test_it_explains_an_impossible_transition_instead_of_showing_the_form(
    client, legal, vendor
):
    client.force_login(legal)

    response = client.get(url(vendor, "terminate"))

    assert response.context["possible"] is False
    assert "“Terminated” is not possible while the BAA is “Not started”." in (
        response.content.decode()
    )


def test_it_refuses_a_stale_edit_and_shows_what_changed(client, legal, pending):
    other = UserFactory(username="carla")
    other.groups.add(*legal.groups.all())
    client.force_login(other)
    client.post(
        url(pending.vendor, "follow-up"),
        {"version": 1, "happened_on": yesterday().isoformat(), "channel": "email"},
    )
    client.force_login(legal)

    response = client.post(
        url(pending.vendor, "decline"), {"version": 1, "reason": "Too expensive"}
    )

    assert response.status_code == 200
    stale = response.context["stale"]
    assert stale.authors == ["carla"]
    assert [(c.field, c.new) for c in stale.changes] == [
        ("last contact on", yesterday().isoformat())
    ]
    assert "carla changed this agreement after you opened the form" in (
        response.content.decode()
    )
    assert response.context["form"]["version"].value() == 2
    pending.refresh_from_db()
    assert pending.status == Status.REQUESTED


def test_it_refuses_the_second_of_two_edits_from_the_same_copy(
    client, legal, pending, viewer
):
    other = UserFactory(username="carla")
    other.groups.add(*legal.groups.all())
    client.force_login(other)
    edit = url(pending.vendor, "edit")
    client.post(edit, {"version": 1, "owner": other.pk, "notes": "Carla's notes"})
    client.force_login(legal)

    response = client.post(edit, {"version": 1, "owner": viewer.pk, "notes": "Mine"})

    assert [(c.field, c.old, c.new) for c in response.context["stale"].changes] == [
        ("owner", "lena-legal", "carla"),
        ("notes", "—", "Carla's notes"),
    ]
    pending.refresh_from_db()
    assert (pending.owner, pending.notes, pending.version) == (
        other,
        "Carla's notes",
        2,
    )


@pytest.mark.parametrize("who", ["viewer", "engineer", "outsider"])
def test_it_forbids_changes_to_anyone_outside_legal(client, request, pending, who):
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        url(pending.vendor, "decline"), {"version": 1, "reason": "No"}
    )

    assert response.status_code == 403
    assert "You may not change agreements" in response.content.decode()
    assert "vendors.change_agreement" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.REQUESTED


def test_it_lets_a_superuser_change_an_agreement(client, admin_user, pending):
    client.force_login(admin_user)

    client.post(url(pending.vendor, "decline"), {"version": 1, "reason": "No"})

    pending.refresh_from_db()
    assert pending.status == Status.DECLINED


def test_it_sends_anonymous_visitors_to_the_login_page(client, pending):
    response = client.get(url(pending.vendor, "sign"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_answers_404_for_an_unknown_action(client, legal, vendor):
    client.force_login(legal)

    assert client.get(url(vendor, "approve")).status_code == 404
