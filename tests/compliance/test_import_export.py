from decimal import Decimal

import pytest

from compliance.models import ChecklistItem, Metric
from tests.factories import (
    ChecklistItemFactory,
    ChecklistSectionFactory,
    MeasurementFactory,
    MetricFactory,
    PlanFactory,
    UserFactory,
)
from tests.import_helpers import confirm, csv_file, export, preview, row_errors

pytestmark = pytest.mark.django_db

ITEMS = "/admin/compliance/checklistitem/"
METRICS = "/admin/compliance/metric/"


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="ada", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_it_imports_checklist_items_into_the_named_section(admin_client):
    section = ChecklistSectionFactory(name="Security")
    UserFactory(username="erin")
    upload = csv_file(
        "id,section,title,note,status,blocking,owner,evidence\r\n"
        ",security,MFA for admins,,done,yes,erin,https://example.test/okta-mfa\r\n"
    )

    response = confirm(admin_client, ITEMS, preview(admin_client, ITEMS, upload))

    assert response.status_code == 302
    item = ChecklistItem.objects.get()
    assert (item.section, item.plan, item.status, item.blocking) == (
        section,
        section.plan,
        "done",
        True,
    )
    assert item.owner.username == "erin"
    assert (item.done_by, item.evidence) == (
        admin_client.user,
        "https://example.test/okta-mfa",
    )
    assert item.done_at is not None
    history = item.history.get()
    assert (history.history_user, history.history_change_reason) == (
        admin_client.user,
        "Imported from rows.csv",
    )


def test_it_updates_existing_items_and_rolls_back_all_on_one_bad_row(admin_client):
    item = ChecklistItemFactory(section__name="Security", status="pending")
    upload = csv_file(
        "id,section,title,status,blocking\r\n"
        f"{item.pk},Security,{item.title},in_progress,yes\r\n"
        ",Nowhere,Backups tested,in_progress,yes\r\n"
    )

    response = preview(admin_client, ITEMS, upload)

    assert row_errors(response) == [(2, {"section": ["No section named “Nowhere”."]})]
    item.refresh_from_db()
    assert item.status == "pending"
    assert ChecklistItem.objects.count() == 1


def test_it_exports_metrics_with_their_current_value(admin_client):
    metric = MetricFactory(name="Test coverage", target=70, unit="%")
    MeasurementFactory(metric=metric, value=Decimal("31.5"))

    response = export(admin_client, METRICS)

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "id,name,category,unit,comparison,target,target_text,current"
    assert lines[1] == f"{metric.pk},Test coverage,,%,gt,70.0000,,31.5000"


def test_it_imports_metrics_into_the_current_plan(admin_client):
    plan = PlanFactory()
    upload = csv_file(
        "id,name,category,unit,comparison,target,target_text\r\n"
        ",Uptime,Reliability,%,ge,99.9,>= 99.9%\r\n"
    )

    response = confirm(admin_client, METRICS, preview(admin_client, METRICS, upload))

    assert response.status_code == 302
    metric = Metric.objects.get()
    assert (metric.plan, metric.target, metric.comparison) == (
        plan,
        Decimal("99.9"),
        "ge",
    )


def test_it_refuses_metrics_when_there_is_no_plan(admin_client):
    upload = csv_file("id,name,comparison,target\r\n,Uptime,ge,99.9\r\n")

    response = preview(admin_client, METRICS, upload)

    assert row_errors(response) == [
        (1, {"plan": ["There is no plan yet; import a plan first."]})
    ]


def test_it_refuses_an_import_that_ticks_an_item_without_evidence(admin_client):
    item = ChecklistItemFactory(section__name="Security", blocking=False)
    upload = csv_file(
        f"id,section,title,status,blocking,evidence\r\n"
        f"{item.pk},Security,{item.title},done,no,\r\n"
    )

    response = preview(admin_client, ITEMS, upload)

    assert row_errors(response) == [
        (
            1,
            {
                "status": [
                    "Evidence is required: a link, or a note of at least a sentence."
                ]
            },
        )
    ]
    item.refresh_from_db()
    assert item.status == "pending"


def test_it_says_a_target_with_a_percent_sign_is_not_a_number(admin_client):
    metric = MetricFactory(name="Uptime", target=Decimal("99.9"))
    upload = csv_file(f"id,name,target\r\n{metric.pk},Uptime,30%\r\n")

    response = preview(admin_client, METRICS, upload)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert row_errors(response) == [
        (1, {"target": ["“30%” is not a number; write it without a unit."]})
    ]
    metric.refresh_from_db()
    assert metric.target == Decimal("99.9")
    assert metric.history.count() == 1
