import pytest
from django.contrib import admin

from portal.history import history_models
from tests.factories import AgreementFactory, RunbookFactory, UserFactory
from vendors.models import Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_it_registers_no_historical_model_in_the_admin():
    models = history_models()

    # Models added later join the list by themselves; these must be among them.
    assert {m.__name__ for m in models} >= {
        "HistoricalVendor",
        "HistoricalAgreement",
        "HistoricalPlan",
        "HistoricalPhase",
        "HistoricalWorkItem",
        "HistoricalChecklistSection",
        "HistoricalChecklistItem",
        "HistoricalMetric",
        "HistoricalMeasurement",
        "HistoricalRunbook",
        "HistoricalMilestone",
        "HistoricalMilestoneTask",
    }
    assert [m for m in models if admin.site.is_registered(m)] == []


def test_it_has_no_admin_page_for_historical_rows(client, superuser):
    response = client.get("/admin/vendors/historicalagreement/")

    assert response.status_code == 404


def test_it_shows_a_past_version_without_a_revert_button(client, superuser):
    agreement = AgreementFactory(status="requested")
    version = agreement.history.get()

    response = client.get(
        f"/admin/vendors/agreement/{agreement.pk}/history/{version.history_id}/"
    )

    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    assert b'name="_save"' not in response.content


def test_it_refuses_to_revert_to_a_past_version_even_for_a_superuser(client, superuser):
    agreement = AgreementFactory(status="requested")
    first = agreement.history.get()
    agreement.status = "signed"
    agreement.save()

    response = client.post(
        f"/admin/vendors/agreement/{agreement.pk}/history/{first.history_id}/",
        {"vendor": agreement.vendor_id, "kind": "baa", "status": "requested"},
    )

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == "signed"
    assert agreement.history.count() == 2


def test_it_keeps_the_history_of_a_deleted_record(client, superuser):
    runbook = RunbookFactory(title="Breach response")

    client.post(f"/admin/compliance/runbook/{runbook.pk}/delete/", {"post": "yes"})

    rows = runbook.history.model.objects.filter(id=runbook.pk).order_by("history_id")
    assert [(r.history_type, r.title) for r in rows] == [
        ("+", "Breach response"),
        ("-", "Breach response"),
    ]
    assert rows[1].history_user == superuser
    assert rows[1].history_change_reason == "Deleted in the admin"


def test_it_lists_the_history_of_an_agreement_for_an_auditor(client, superuser):
    agreement = AgreementFactory()

    response = client.get(f"/admin/vendors/agreement/{agreement.pk}/history/")

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == list(
        Agreement.history.filter(id=agreement.pk)
    )
    assert response.context["revert_disabled"] is True
