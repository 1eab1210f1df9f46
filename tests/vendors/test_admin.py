import datetime

import pytest
from django.utils import timezone

from tests.admin_helpers import list_edit, run_action
from tests.factories import AgreementFactory, UserFactory, VendorFactory
from vendors.models import Agreement, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal_admin(client):
    user = UserFactory(username="lena", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_it_writes_one_history_row_per_agreement_edited_in_the_list(
    client, legal_admin
):
    first = AgreementFactory(vendor__name="Sentry")
    second = AgreementFactory(vendor__name="Twilio")
    untouched = AgreementFactory(vendor__name="Zoom")

    response = list_edit(
        client,
        Agreement,
        {first.pk: {"status": "requested"}, second.pk: {"status": "signed"}},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("requested", "signed")
    for agreement in (first, second):
        newest = agreement.history.first()
        assert agreement.history.count() == 2
        assert newest.history_user == legal_admin
        assert newest.history_change_reason == "Edited in the admin list: status"
    assert untouched.history.count() == 1


def test_it_marks_follow_ups_sent_with_history_for_each_agreement(client, legal_admin):
    agreements = [AgreementFactory(), AgreementFactory()]
    today = timezone.localdate()

    response = run_action(client, Agreement, "mark_follow_up_sent", agreements)

    assert response.status_code == 302
    for agreement in agreements:
        agreement.refresh_from_db()
        assert agreement.last_contact_on == today
        newest = agreement.history.first()
        assert agreement.history.count() == 2
        assert newest.history_user == legal_admin
        assert newest.history_change_reason == (
            f"Follow-up sent on {today.isoformat()} (admin action)"
        )


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


def test_it_records_the_changed_fields_when_saving_the_change_form(client, legal_admin):
    agreement = AgreementFactory(vendor__name="Sentry")

    response = client.post(
        f"/admin/vendors/agreement/{agreement.pk}/change/",
        {
            "vendor": agreement.vendor.pk,
            "kind": "baa",
            "status": "signed",
            "signed_on": "2026-01-05",
            "requested_to": "",
            "reason": "",
            "notes": "",
        },
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.signed_on == datetime.date(2026, 1, 5)
    newest = agreement.history.first()
    assert newest.history_user == legal_admin
    assert newest.history_change_reason == "Changed in the admin: status, signed_on"


def test_it_records_user_and_reason_for_agreements_edited_inline(client, legal_admin):
    agreement = AgreementFactory(vendor__name="Sentry")
    vendor = agreement.vendor

    response = client.post(
        f"/admin/vendors/vendor/{vendor.pk}/change/",
        {
            "name": "Sentry",
            "slug": vendor.slug,
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
            "agreements-0-status": "requested",
        },
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "requested"
    newest = agreement.history.first()
    assert newest.history_user == legal_admin
    assert newest.history_change_reason == "Changed in the admin with Sentry"
