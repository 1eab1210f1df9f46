import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from compliance import plan_document, plan_export, plan_import
from compliance.models import (
    ChecklistItem,
    ChecklistSection,
    Metric,
    Milestone,
    MilestoneTask,
    Phase,
    Plan,
    Runbook,
    WorkItem,
)
from portal.models import AccessEvent
from tests.factories import UserFactory
from vendors.models import Agreement, Vendor

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 10)


def snapshot():
    """Everything the document carries, without ids, times or file names."""
    plan = Plan.objects.get()
    return {
        "plan": (plan.name, plan.as_of, plan.target_launch, plan.claimed_status),
        "vendors": list(
            Vendor.objects.values_list(
                "name", "slug", "service", "handles_phi", "phi_handling"
            )
        ),
        "agreements": list(
            Agreement.objects.values_list("vendor__name", "kind", "status")
        ),
        "phases": list(
            Phase.objects.values_list("title", "number", "kind", "claimed", "position")
        ),
        "work items": list(
            WorkItem.objects.values_list(
                "phase__title", "code", "title", "status", "optional", "details"
            ).order_by("position")
        ),
        "sections": list(
            ChecklistSection.objects.values_list("name", "claimed", "position")
        ),
        "checklist": list(
            ChecklistItem.objects.values_list(
                "section__name",
                "title",
                "note",
                "status",
                "blocking",
                "derived",
                "metric__name",
                "position",
            )
        ),
        "metrics": [
            (m.name, m.category, m.unit, m.comparison, m.target, m.target_text)
            + (m.position, m.current)
            for m in Metric.objects.prefetch_related("measurements")
        ],
        "runbooks": list(Runbook.objects.values_list("title", "filename")),
        "milestones": list(
            Milestone.objects.values_list(
                "title", "label", "note", "starts_on", "ends_on", "position"
            )
        ),
        "tasks": list(
            MilestoneTask.objects.values_list(
                "milestone__title", "title", "done", "position"
            )
        ),
    }


def empty_database():
    Plan.objects.all().delete()
    Vendor.objects.all().delete()
    Runbook.objects.all().delete()


def test_it_round_trips_the_shared_sample_plan(shared_plan):
    plan_import.import_file(shared_plan)
    first_data = snapshot()
    first_text = plan_export.export(Plan.current(), today=TODAY)

    empty_database()
    document = plan_document.read(first_text.encode())
    plan_import.import_document(document, "exported.md")

    assert document.unplaced == []
    assert snapshot() == first_data
    assert plan_export.export(Plan.current(), today=TODAY) == first_text


def test_it_carries_every_part_of_the_sample(shared_plan):
    plan_import.import_file(shared_plan)

    data = snapshot()

    assert len(data["vendors"]) == 8
    assert len(data["phases"]) == 5
    assert len(data["checklist"]) == 23
    assert len(data["runbooks"]) == 7
    assert len(data["milestones"]) == 3
    assert ("Test Coverage", Decimal("30.0000")) in [
        (m[0], m[-1]) for m in data["metrics"]
    ]


def test_it_writes_what_the_portal_knows_beyond_the_document(shared_plan):
    plan_import.import_file(shared_plan)
    sentry = Agreement.objects.get(vendor__name="Sentry")
    sentry.status = Agreement.Status.SIGNED
    sentry.signed_on = datetime.date(2026, 1, 8)
    sentry.save()

    text = plan_export.export(Plan.current(), today=TODAY)

    assert "| Sentry | BAA | Signed | – | – | 2026-01-08 | – |" in text
    assert "| agreement | Medplum: BAA not signed |" in text
    assert "| agreement | Sentry: BAA not signed |" not in text
    assert "Launch requirements met: " in text
    assert "### Technical (12/12)\n\nDone by the data: 11/12\n" in text


def test_it_writes_the_document_to_the_given_path(shared_plan, tmp_path):
    plan_import.import_file(shared_plan)
    output = tmp_path / "plan.md"

    call_command("export_plan", "--output", str(output))

    text = output.read_text(encoding="utf-8")
    assert text.startswith("# What's Left in the Master Plan?\n**Date:** 2026-01-03\n")


def test_it_refuses_when_there_is_no_plan():
    with pytest.raises(CommandError, match="there is no plan to export"):
        call_command("export_plan")


def test_it_downloads_the_plan_from_the_dashboard_and_logs_it(client, shared_plan):
    plan_import.import_file(shared_plan)
    viewer = UserFactory(username="vera")
    viewer.groups.add(Group.objects.get(name="Viewer"))
    client.force_login(viewer)

    dashboard = client.get("/")
    response = client.get("/plan/export.md")

    assert b'href="/plan/export.md"' in dashboard.content
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == plan_export.export(Plan.current())
    event = AccessEvent.objects.get(kind="export")
    assert (event.user, event.detail) == (
        viewer,
        "plan What's Left in the Master Plan? as Markdown",
    )


def test_it_refuses_the_download_without_permission(client, shared_plan):
    plan_import.import_file(shared_plan)
    client.force_login(UserFactory(username="outsider"))

    response = client.get("/plan/export.md")

    assert response.status_code == 403
    assert not AccessEvent.objects.filter(kind="export").exists()
