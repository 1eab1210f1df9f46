"""The vendors' panel on the dashboard and the readiness it feeds."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compliance import readiness
from tests.factories import AgreementFactory, PlanFactory, VendorFactory
from vendors import dashboard, lifecycle
from vendors.models import Agreement

from .conftest import pdf_upload

Status = Agreement.Status


def test_it_lists_overdue_follow_ups_and_agreements_expiring_within_60_days(db):
    today = datetime.date(2026, 3, 10)
    overdue = AgreementFactory(
        vendor=VendorFactory(name="Late"),
        status=Status.REQUESTED,
        requested_on=datetime.date(2026, 3, 1),
    )
    AgreementFactory(  # due today: not overdue yet
        vendor=VendorFactory(name="Today"),
        status=Status.REQUESTED,
        requested_on=datetime.date(2026, 3, 3),
    )
    expiring = AgreementFactory(
        vendor=VendorFactory(name="Soon"),
        status=Status.SIGNED,
        expires_on=datetime.date(2026, 5, 9),
    )
    AgreementFactory(
        vendor=VendorFactory(name="Later"),
        status=Status.SIGNED,
        expires_on=datetime.date(2026, 5, 10),
    )

    context = dashboard.context(today)

    assert context["overdue_follow_ups"] == [overdue]
    assert context["expiring_agreements"] == [expiring]


def test_it_shows_the_panel_on_the_dashboard(client, viewer):
    PlanFactory()
    AgreementFactory(
        vendor=VendorFactory(name="Late"),
        status=Status.REQUESTED,
        requested_on=timezone.localdate() - datetime.timedelta(days=9),
    )
    client.force_login(viewer)

    page = client.get(reverse("dashboard")).content.decode()

    assert 'id="overdue-follow-ups"' in page
    assert "Late BAA</a>: overdue by 2 days" in page


@pytest.fixture
def eight_phi_vendors(db):
    return [
        AgreementFactory(
            vendor=VendorFactory(name=f"Vendor {n}"),
            status=Status.IN_NEGOTIATION,
            requested_on=datetime.date(2026, 3, 1),
        )
        for n in range(8)
    ]


def test_it_clears_the_launch_blocker_after_the_eighth_signature(
    legal, eight_phi_vendors
):
    def sign(agreement):
        lifecycle.apply(
            agreement.vendor,
            "baa",
            "sign",
            agreement.version,
            legal,
            {"signed_on": datetime.date(2026, 3, 9), "document": pdf_upload()},
            datetime.date(2026, 3, 10),
        )

    PlanFactory()
    for agreement in eight_phi_vendors[:7]:
        sign(agreement)
    before = readiness.compute(None)
    sign(eight_phi_vendors[7])
    after = readiness.compute(None)

    assert [b.title for b in before.blockers] == ["Vendor 7: BAA not signed"]
    assert (before.blocking_done, before.blocking_total) == (7, 8)
    assert after.blockers == []
    assert (after.blocking_done, after.blocking_total) == (8, 8)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("readiness", "--json", stdout=out)
    assert exit_status.value.code == 0
    assert json.loads(out.getvalue())["blockers"] == []
