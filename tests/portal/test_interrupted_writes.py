"""A bulk write interrupted midway leaves the database as it was.

The bulk paths that exist today are the admin's: a vendor saved with its
agreements inline, and "delete selected". The plan importer (import_plan) and the
bulk edits and imports of the admin still being built need the same test each:
make the N-th row fail and assert that nothing, history included, was written.
"""

from unittest import mock

import pytest
from django.db.models.signals import post_delete

from tests.admin_helpers import seen_revision
from tests.factories import UserFactory, VendorFactory
from vendors.models import Agreement, Vendor


@pytest.fixture
def admin_client(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def fail_on_call(number, original):
    """A replacement for `original` that raises on its `number`-th call."""
    calls = []

    def replacement(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            raise RuntimeError("interrupted")
        return original(*args, **kwargs)

    return replacement


@pytest.mark.django_db
def test_it_keeps_the_vendor_when_saving_its_agreements_fails_midway(admin_client):
    vendor = VendorFactory(name="Transcribe Inc")
    owner = UserFactory(username="otto")
    form = {
        "name": "Transcribe Incorporated",
        "slug": vendor.slug,
        "seen_revision": seen_revision(vendor),
        "service": "Transcription",
        "handles_phi": "on",
        "agreements-TOTAL_FORMS": "2",
        "agreements-INITIAL_FORMS": "0",
        "agreements-0-kind": "baa",
        "agreements-0-status": "requested",
        "agreements-0-owner": owner.pk,
        "agreements-1-kind": "dpa",
        "agreements-1-status": "requested",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    interrupted = fail_on_call(2, Agreement.save)

    with mock.patch.object(Agreement, "save", autospec=True, side_effect=interrupted):
        response = admin_client.post(f"/admin/vendors/vendor/{vendor.pk}/change/", form)

    assert response.status_code == 500
    vendor.refresh_from_db()
    assert vendor.name == "Transcribe Inc"
    assert vendor.service == "Hosting"
    assert Agreement.objects.count() == 0
    assert vendor.history.count() == 1
    assert Agreement.history.count() == 0


# The deletion's own transaction is the outermost one in production; inside a
# test's transaction it would only mark that one for rollback.
@pytest.mark.django_db(transaction=True)
def test_it_deletes_no_vendor_when_delete_selected_fails_midway(admin_client):
    vendors = [VendorFactory(name=f"Vendor {n}") for n in range(3)]

    def interrupt(sender, instance, **kwargs):
        if instance.pk == vendors[1].pk:
            raise RuntimeError("interrupted")

    post_delete.connect(interrupt, sender=Vendor)
    try:
        response = admin_client.post(
            "/admin/vendors/vendor/",
            {
                "action": "delete_selected",
                "_selected_action": [v.pk for v in vendors],
                "post": "yes",
            },
        )
    finally:
        post_delete.disconnect(interrupt, sender=Vendor)

    assert response.status_code == 500
    assert Vendor.objects.count() == 3
    assert Vendor.history.filter(history_type="-").count() == 0
