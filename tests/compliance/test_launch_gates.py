import pytest
from django.urls import reverse

from compliance import checklist
from compliance.models import MilestoneTask
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    ChecklistSectionFactory,
    MilestoneFactory,
    MilestoneTaskFactory,
    VendorFactory,
)
from vendors.models import Agreement


@pytest.fixture
def launch(plan):
    return MilestoneFactory(plan=plan, title="Week 5: Launch")


@pytest.fixture
def deploy(launch):
    return MilestoneTaskFactory(milestone=launch, title="Deploy to production")


@pytest.fixture
def blocker(plan):
    section = ChecklistSectionFactory(plan=plan, name="Security")
    return ChecklistItemFactory(section=section, title="Pen test passed")


@pytest.mark.parametrize(
    "title, gate",
    [
        ("Deploy to production", True),
        ("Begin accepting real patients", True),
        ("Go live", True),
        ("Execute final load test", False),
        ("Activate on-call rotation", False),
        ("Run the smoke test against production data", False),
    ],
)
def test_it_recognises_launch_gates_by_their_wording(title, gate):
    assert MilestoneTask(title=title).is_launch_gate is gate


def test_it_refuses_a_launch_gate_while_launch_is_blocked(deploy, blocker, engineer):
    vendor = VendorFactory(name="Twilio")
    AgreementFactory(vendor=vendor, kind=Agreement.Kind.BAA)

    with pytest.raises(checklist.Refused) as refusal:
        checklist.tick_task(deploy, engineer)

    assert refusal.value.message == (
        "“Deploy to production” starts production and cannot be ticked while "
        "2 things block launch."
    )
    assert [(b.kind, b.title) for b in refusal.value.blockers] == [
        ("agreement", "Twilio: BAA not signed"),
        ("checklist", "Pen test passed"),
    ]
    deploy.refresh_from_db()
    assert deploy.done is False
    assert deploy.done_by is None


def test_it_allows_the_launch_gate_once_nothing_blocks(deploy, blocker, engineer):
    with pytest.raises(checklist.Refused):
        checklist.tick_task(deploy, engineer)
    checklist.tick(blocker, engineer, "https://pentest.example.test/report", engineer)

    checklist.tick_task(deploy, engineer)

    deploy.refresh_from_db()
    assert deploy.done is True
    assert deploy.done_by == engineer
    assert deploy.history.first().history_user == engineer


def test_it_ticks_an_ordinary_task_while_launch_is_blocked(launch, blocker, engineer):
    task = MilestoneTaskFactory(milestone=launch, title="Enable monitoring")

    checklist.tick_task(task, engineer)

    task.refresh_from_db()
    assert task.done is True


def test_it_lists_the_blockers_on_the_refusal_page(client, deploy, blocker, engineer):
    client.force_login(engineer)

    response = client.post(reverse("compliance:task_tick", args=[deploy.pk]))

    assert response.status_code == 409
    assert (
        "“Deploy to production” starts production and cannot be ticked while "
        "1 thing blocks launch."
    ).encode() in response.content
    assert (
        b'<li class="blocker blocker-checklist"><span class="kind">checklist</span> '
        b"Pen test passed</li>" in response.content
    )
    deploy.refresh_from_db()
    assert deploy.done is False


def test_it_ticks_the_gate_through_the_page_when_ready(client, deploy, engineer):
    client.force_login(engineer)

    response = client.post(reverse("compliance:task_tick", args=[deploy.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/timeline/#milestone-{deploy.milestone_id}"
    deploy.refresh_from_db()
    assert deploy.done is True


def test_it_forbids_viewers_to_tick_tasks(client, deploy, viewer):
    client.force_login(viewer)

    response = client.post(reverse("compliance:task_tick", args=[deploy.pk]))

    assert response.status_code == 403
    deploy.refresh_from_db()
    assert deploy.done is False


def test_it_shows_tick_buttons_on_the_timeline_to_engineering_only(
    client, deploy, engineer, viewer
):
    url = reverse("compliance:task_tick", args=[deploy.pk]).encode()
    client.force_login(viewer)
    assert url not in client.get("/timeline/").content

    client.force_login(engineer)
    content = client.get("/timeline/").content
    assert url in content
    assert b'Deploy to production <span class="muted">(launch gate)</span>' in content
