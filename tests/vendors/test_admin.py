import datetime

import pytest
from django.utils import timezone

from portal.history import save_with_history
from tests.admin_helpers import run_action, seen_revision
from tests.factories import AgreementFactory, UserFactory, VendorFactory
from vendors.models import Agreement, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal_admin(client):
    user = UserFactory(username="lena", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_it_logs_a_follow_up_through_the_lifecycle_for_each_agreement(
    client, legal_admin
):
    requested = datetime.date(2026, 1, 2)
    agreements = [
        AgreementFactory(status="requested", requested_on=requested),
        AgreementFactory(status="in_negotiation", requested_on=requested),
    ]
    today = timezone.localdate()

    response = run_action(client, Agreement, "mark_follow_up_sent", agreements)

    assert response.status_code == 302
    for agreement in agreements:
        agreement.refresh_from_db()
        assert agreement.last_contact_on == today
        assert agreement.version == 2
        newest = agreement.history.first()
        assert agreement.history.count() == 2
        assert newest.history_user == legal_admin
        assert newest.history_change_reason == "Log a follow-up: Sent from the admin"
        event = agreement.events.get()
        assert (event.kind, event.happened_on, event.recorded_by) == (
            "follow_up",
            today,
            legal_admin,
        )


def test_it_logs_no_follow_up_for_an_agreement_not_awaiting_a_reply(
    client, legal_admin
):
    agreement = AgreementFactory(vendor__name="Zoom", status="not_started")

    response = run_action(
        client, Agreement, "mark_follow_up_sent", [agreement], follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Not awaiting a reply, so no follow-up was logged: Zoom BAA"
    ]
    agreement.refresh_from_db()
    assert agreement.last_contact_on is None
    assert agreement.history.count() == 1


def test_it_leaves_the_lifecycle_fields_read_only_in_the_admin(client, legal_admin):
    agreement = AgreementFactory(vendor__name="Sentry")

    changelist = client.get("/admin/vendors/agreement/")
    response = client.post(
        f"/admin/vendors/agreement/{agreement.pk}/change/",
        {
            "vendor": agreement.vendor.pk,
            "kind": "baa",
            "status": "signed",
            "signed_on": "2026-01-05",
            "notes": "Chased by phone",
            "seen_revision": seen_revision(agreement),
        },
    )

    assert changelist.context["cl"].formset is None
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on, agreement.notes) == (
        "not_started",
        None,
        "Chased by phone",
    )
    newest = agreement.history.first()
    assert newest.history_user == legal_admin
    assert newest.history_change_reason == "Changed in the admin: notes"


def test_it_asks_for_the_owner_before_assigning_it(client, legal_admin):
    agreement = AgreementFactory()

    response = run_action(client, Agreement, "assign_owner", [agreement])

    assert response.status_code == 200
    assert b"Assign an owner" in response.content
    agreement.refresh_from_db()
    assert agreement.owner is None
    assert agreement.history.count() == 1


def test_it_assigns_an_owner_with_the_given_reason_in_history(client, legal_admin):
    owner = UserFactory(username="otto")
    agreements = [AgreementFactory(), AgreementFactory()]

    response = run_action(
        client,
        Agreement,
        "assign_owner",
        agreements,
        apply="Assign owner",
        owner=owner.pk,
        reason="Otto covers Q1",
    )

    assert response.status_code == 302
    for agreement in agreements:
        agreement.refresh_from_db()
        assert agreement.owner == owner
        newest = agreement.history.first()
        assert newest.history_user == legal_admin
        assert newest.history_change_reason == "Otto covers Q1 (owner: otto)"


def test_it_records_who_deleted_each_vendor_with_delete_selected(client, legal_admin):
    vendors = [VendorFactory(name="Sentry"), VendorFactory(name="Zoom")]

    response = run_action(client, Vendor, "delete_selected", vendors, post="yes")

    assert response.status_code == 302
    assert Vendor.objects.count() == 0
    deletions = Vendor.history.filter(history_type="-").order_by("name")
    assert [row.name for row in deletions] == ["Sentry", "Zoom"]
    for row in deletions:
        assert row.history_user == legal_admin
        assert row.history_change_reason == (
            "Deleted in the admin with 'delete selected'"
        )


def test_it_records_user_and_reason_for_agreements_edited_inline(client, legal_admin):
    agreement = AgreementFactory(vendor__name="Sentry")
    vendor = agreement.vendor
    owner = UserFactory(username="otto")

    response = client.post(
        f"/admin/vendors/vendor/{vendor.pk}/change/",
        {
            "name": "Sentry",
            "slug": vendor.slug,
            "seen_revision": seen_revision(vendor),
            "service": vendor.service,
            "handles_phi": "on",
            "phi_handling": "",
            "notes": "",
            "agreements-TOTAL_FORMS": "1",
            "agreements-INITIAL_FORMS": "1",
            "agreements-MIN_NUM_FORMS": "0",
            "agreements-MAX_NUM_FORMS": "1000",
            "agreements-0-id": agreement.pk,
            "agreements-0-vendor": vendor.pk,
            "agreements-0-kind": "baa",
            "agreements-0-owner": owner.pk,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.owner == owner
    newest = agreement.history.first()
    assert newest.history_user == legal_admin
    assert newest.history_change_reason == "Changed in the admin with Sentry"


@pytest.mark.parametrize(
    "url", ["agreementevent", "agreementdocument", "followupreminder"]
)
def test_it_keeps_lifecycle_evidence_read_only_in_the_admin(client, legal_admin, url):
    listing = client.get(f"/admin/vendors/{url}/")
    adding = client.get(f"/admin/vendors/{url}/add/")

    assert listing.status_code == 200
    assert adding.status_code == 403


def add_vendor_form(name):
    empty = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    data = {"name": name, "slug": "acme-2", "service": "Hosting", "handles_phi": "on"}
    for prefix in ("agreements", "contacts"):
        data.update({f"{prefix}-{key}": value for key, value in empty.items()})
    return data


@pytest.mark.parametrize("name", ["acme  corp", "Acme\tCorp", "\u00a0ACME CORP "])
def test_it_refuses_a_vendor_name_differing_only_in_case_or_spaces(
    client, legal_admin, name
):
    VendorFactory(name="Acme Corp")

    response = client.post("/admin/vendors/vendor/add/", add_vendor_form(name))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": [
            "A vendor with this name already exists; names may not differ only "
            "in case or spaces."
        ]
    }
    assert list(Vendor.objects.values_list("name", flat=True)) == ["Acme Corp"]
    assert Vendor.history.count() == 1


def test_it_refuses_an_admin_save_over_a_change_made_meanwhile(client, legal_admin):
    agreement = AgreementFactory(vendor__name="Sentry")
    url = f"/admin/vendors/agreement/{agreement.pk}/change/"
    opened = client.get(url).context["adminform"].form["seen_revision"].value()
    agreement.notes = "Vendor asked for a call on Friday"
    save_with_history(agreement, UserFactory(username="lea"), "Edit details")

    response = client.post(
        url,
        {
            "vendor": agreement.vendor.pk,
            "kind": "baa",
            "notes": "Chased by phone",
            "seen_revision": opened,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": [
            "Someone changed this record after you opened it, so nothing was "
            "saved. Open it again to see their change, then redo yours."
        ]
    }
    agreement.refresh_from_db()
    assert agreement.notes == "Vendor asked for a call on Friday"
    assert agreement.history.count() == 2
