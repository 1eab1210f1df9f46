"""/vendors/<slug>/notes/ and removing a contact: Legal's edits of a vendor."""

from django.urls import reverse

from vendors.models import Vendor, VendorContact


def notes_url(vendor):
    return reverse("vendors:notes", args=[vendor.slug])


def seen(client, vendor):
    return client.get(notes_url(vendor)).context["form"]["seen"].value()


def test_it_saves_the_notes_with_author_and_reason(client, legal, vendor):
    client.force_login(legal)

    client.post(notes_url(vendor), {"notes": "Call Pat", "seen": seen(client, vendor)})

    vendor.refresh_from_db()
    assert vendor.notes == "Call Pat"
    latest = vendor.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        legal,
        "Notes edited",
    )


def test_it_refuses_notes_saved_from_a_stale_copy(client, legal, vendor):
    client.force_login(legal)
    stale_token = seen(client, vendor)
    client.post(notes_url(vendor), {"notes": "First", "seen": stale_token})

    response = client.post(notes_url(vendor), {"notes": "Second", "seen": stale_token})

    assert response.context["form"].non_field_errors() == [
        "Not saved: someone changed this vendor after you opened the form. "
        "The notes now read: “First”. Merge your text and save again."
    ]
    vendor.refresh_from_db()
    assert vendor.notes == "First"
    assert vendor.history.count() == 2


def test_it_forbids_notes_to_an_engineer(client, engineer, vendor):
    client.force_login(engineer)

    response = client.post(notes_url(vendor), {"notes": "x", "seen": "x"})

    assert response.status_code == 403
    assert Vendor.objects.get().notes == ""


def test_it_removes_a_contact_and_keeps_it_in_the_history(client, legal, vendor):
    contact = VendorContact.objects.create(vendor=vendor, name="Pat")
    client.force_login(legal)

    client.post(reverse("vendors:contact_remove", args=[vendor.slug, contact.pk]))

    assert VendorContact.objects.count() == 0
    deleted = VendorContact.history.first()
    assert (deleted.history_type, deleted.history_user, deleted.name) == (
        "-",
        legal,
        "Pat",
    )


def test_it_forbids_removing_a_contact_to_a_viewer(client, viewer, vendor):
    contact = VendorContact.objects.create(vendor=vendor, name="Pat")
    client.force_login(viewer)

    response = client.post(
        reverse("vendors:contact_remove", args=[vendor.slug, contact.pk])
    )

    assert response.status_code == 403
    assert VendorContact.objects.count() == 1
