import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from compliance.models import ChecklistItem, MilestoneTask, Runbook, WorkItem
from tests.admin_helpers import list_edit, run_action
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    MilestoneTaskFactory,
    PlanFactory,
    RunbookFactory,
    UserFactory,
    WorkItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer(client):
    user = UserFactory(username="erin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def assert_history(obj, user, reason, rows=2):
    newest = obj.history.first()
    assert obj.history.count() == rows
    assert newest.history_user == user
    assert newest.history_change_reason == reason


def test_it_writes_history_for_each_checklist_item_edited_in_the_list(client, engineer):
    items = [ChecklistItemFactory(), ChecklistItemFactory()]

    response = list_edit(
        client, ChecklistItem, {item.pk: {"status": "in_progress"} for item in items}
    )

    assert response.status_code == 302
    for item in items:
        item.refresh_from_db()
        assert item.status == "in_progress"
        assert_history(item, engineer, "Edited in the admin list: status")


def test_it_writes_history_for_each_work_item_edited_in_the_list(client, engineer):
    item = WorkItemFactory()

    list_edit(client, WorkItem, {item.pk: {"status": "done"}})

    item.refresh_from_db()
    assert item.status == "done"
    assert_history(item, engineer, "Edited in the admin list: status")


def test_it_assigns_checklist_owners_with_history(client, engineer):
    owner = UserFactory(username="omar")
    items = [ChecklistItemFactory(), ChecklistItemFactory()]

    run_action(
        client,
        ChecklistItem,
        "assign_owner",
        items,
        apply="Assign owner",
        owner=owner.pk,
    )

    for item in items:
        item.refresh_from_db()
        assert item.owner == owner
        assert_history(item, engineer, "Owner assigned in the admin (owner: omar)")


def test_it_marks_runbooks_reviewed_today_with_history(client, engineer):
    runbooks = [RunbookFactory(), RunbookFactory()]
    today = timezone.localdate()

    run_action(client, Runbook, "mark_reviewed", runbooks)

    for runbook in runbooks:
        runbook.refresh_from_db()
        assert runbook.last_reviewed_on == today
        assert_history(
            runbook, engineer, f"Reviewed on {today.isoformat()} (admin action)"
        )


def test_it_assigns_runbook_owners_with_history(client, engineer):
    owner = UserFactory(username="rita")
    runbook = RunbookFactory()

    run_action(
        client, Runbook, "assign_owner", [runbook], apply="Assign owner", owner=owner.pk
    )

    runbook.refresh_from_db()
    assert runbook.owner == owner
    assert_history(runbook, engineer, "Owner assigned in the admin (owner: rita)")


def test_it_marks_tasks_done_by_the_acting_user_with_history(client, engineer):
    tasks = [MilestoneTaskFactory(), MilestoneTaskFactory()]

    run_action(client, MilestoneTask, "mark_done", tasks)

    for task in tasks:
        task.refresh_from_db()
        assert (task.done, task.done_by) == (True, engineer)
        assert task.done_at is not None
        assert_history(task, engineer, "Ticked done")


def test_it_refuses_to_tick_a_launch_gate_while_launch_is_blocked(client, engineer):
    AgreementFactory(vendor__name="Sentry")  # a PHI vendor without a signed BAA
    task = MilestoneTaskFactory(title="Deploy to production")

    response = run_action(client, MilestoneTask, "mark_done", [task], follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "“Deploy to production” starts production and cannot be ticked while "
        "1 thing blocks launch."
    ]
    task.refresh_from_db()
    assert task.done is False
    assert task.history.count() == 1


def test_it_refuses_bulk_actions_to_a_user_who_may_only_view(client):
    viewer = UserFactory(username="vic", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_runbook"))
    client.force_login(viewer)
    runbook = RunbookFactory()

    run_action(client, Runbook, "mark_reviewed", [runbook])

    runbook.refresh_from_db()
    assert runbook.last_reviewed_on is None
    assert runbook.history.count() == 1


def test_it_records_who_ticked_an_item_done_in_the_list(client, engineer):
    owner = UserFactory(username="omar")
    item = ChecklistItemFactory(
        owner=owner, evidence="https://example.test/okta-mfa-policy"
    )

    list_edit(client, ChecklistItem, {item.pk: {"status": "done"}})

    item.refresh_from_db()
    assert (item.status, item.done_by) == ("done", engineer)
    assert item.done_at is not None
    assert_history(item, engineer, "Edited in the admin list: status")


def test_it_refuses_a_tick_without_evidence_or_owner_in_the_list(client, engineer):
    item = ChecklistItemFactory(blocking=True)

    response = list_edit(client, ChecklistItem, {item.pk: {"status": "done"}})

    assert response.status_code == 200
    assert response.context["cl"].formset.errors[0] == {
        "status": [
            "Evidence is required: a link, or a note of at least a sentence.",
            "A blocking item needs an owner before it is ticked.",
        ]
    }
    item.refresh_from_db()
    assert item.status == "pending"
    assert item.history.count() == 1


def test_it_refuses_to_untick_an_item_from_the_list(client, engineer):
    item = ChecklistItemFactory(status="done")

    response = list_edit(client, ChecklistItem, {item.pk: {"status": "pending"}})

    assert response.context["cl"].formset.errors[0] == {
        "status": ["Untick it on the checklist page, where the reason is asked."]
    }
    item.refresh_from_db()
    assert item.status == "done"


def test_it_refuses_to_set_a_derived_item_by_hand_in_the_list(client, engineer):
    item = ChecklistItemFactory(derived="vendor_baas", status="failed")

    response = list_edit(client, ChecklistItem, {item.pk: {"status": "done"}})

    assert response.status_code == 200
    assert response.context["cl"].formset.errors[0] == {
        "status": ["Computed from other data; it cannot be set by hand."]
    }
    item.refresh_from_db()
    assert item.status == "failed"
    assert item.history.count() == 1


def test_it_refuses_a_target_launch_at_the_end_of_the_calendar(client, engineer):
    plan = PlanFactory(name="Launch plan")
    url = f"/admin/compliance/plan/{plan.pk}/change/"
    opened = client.get(url).context["adminform"].form["seen_revision"].value()

    response = client.post(
        url,
        {
            "name": "Launch plan",
            "as_of": "2026-01-03",
            "target_launch": "9999-12-31",
            "seen_revision": opened,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "target_launch": ["Give a date between 2000-01-01 and 2099-12-31."]
    }
    plan.refresh_from_db()
    assert plan.target_launch == datetime.date(2026, 1, 31)
    assert plan.history.count() == 1
    assert client.get("/").status_code == 200
