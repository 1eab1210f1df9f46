import pytest
from django.core.exceptions import ValidationError

from compliance import checklist
from compliance.models import ChecklistItem, Status
from tests.factories import ChecklistItemFactory, ChecklistSectionFactory, UserFactory


@pytest.fixture
def item(plan, engineer):
    section = ChecklistSectionFactory(plan=plan, name="Security")
    return ChecklistItemFactory(section=section, title="MFA enforced", blocking=True)


def test_it_ticks_an_item_with_a_link_and_an_owner(item, engineer):
    checklist.tick(item, engineer, "https://ci.example.test/runs/42", owner=engineer)

    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.evidence == "https://ci.example.test/runs/42"
    assert item.owner == engineer
    assert item.done_by == engineer
    assert item.done_at is not None
    revision = item.history.first()
    assert revision.history_user == engineer
    assert revision.history_change_reason == (
        "Ticked done. Evidence: https://ci.example.test/runs/42"
    )


def test_it_accepts_a_note_of_a_sentence(item, engineer):
    checklist.tick(item, engineer, "Verified MFA on all admin accounts.", engineer)

    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.evidence == "Verified MFA on all admin accounts."


@pytest.mark.parametrize(
    "evidence, message",
    [
        ("", "Evidence is required: a link, or a note of at least a sentence."),
        ("   ", "Evidence is required: a link, or a note of at least a sentence."),
        (
            "done",
            "A note needs at least a sentence (4 words, 20 characters), "
            "or give a link instead.",
        ),
        (
            "looks ok to me",
            "A note needs at least a sentence (4 words, 20 characters), "
            "or give a link instead.",
        ),
        ("https://", "That link is not a valid http(s) address."),
    ],
)
def test_it_refuses_a_tick_without_evidence(item, engineer, evidence, message):
    with pytest.raises(ValidationError) as error:
        checklist.tick(item, engineer, evidence, owner=engineer)

    assert error.value.message_dict == {"evidence": [message]}
    item.refresh_from_db()
    assert item.status == Status.PENDING
    assert item.done_by is None
    assert item.history.count() == 1


def test_it_refuses_a_blocking_item_without_an_owner(item, engineer):
    with pytest.raises(ValidationError) as error:
        checklist.tick(item, engineer, "https://ci.example.test/runs/42")

    assert error.value.message_dict == {
        "owner": ["A blocking item needs an owner before it is ticked."]
    }
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_it_keeps_the_existing_owner_of_a_blocking_item(item, engineer):
    owner = UserFactory(username="owner")
    item.owner = owner
    item.save()

    checklist.tick(item, engineer, "https://ci.example.test/runs/42")

    item.refresh_from_db()
    assert item.owner == owner
    assert item.done_by == engineer


def test_it_ticks_a_non_blocking_item_without_an_owner(item, engineer):
    item.blocking = False
    item.save()

    checklist.tick(item, engineer, "https://ci.example.test/runs/42")

    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.owner is None


def test_it_unticks_with_a_reason_in_history(item, engineer):
    checklist.tick(item, engineer, "https://ci.example.test/runs/42", engineer)
    other = UserFactory(username="other")

    checklist.untick(item, other, "  The CI run was against staging.  ")

    item.refresh_from_db()
    assert item.status == Status.PENDING
    assert item.done_by is None
    assert item.done_at is None
    revision = item.history.first()
    assert revision.history_user == other
    assert revision.history_change_reason == "Unticked: The CI run was against staging."
    assert item.history.count() == 3


def test_it_refuses_an_untick_without_a_reason(item, engineer):
    checklist.tick(item, engineer, "https://ci.example.test/runs/42", engineer)

    with pytest.raises(ValidationError) as error:
        checklist.untick(item, engineer, "   ")

    assert error.value.message_dict == {
        "reason": ["Say why the item is no longer done."]
    }
    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.done_by == engineer


def test_it_refuses_to_tick_a_derived_item(item, engineer):
    item.derived = ChecklistItem.Derived.ONCALL_COVERAGE
    item.title = "On-call rotation scheduled"
    item.save()

    with pytest.raises(checklist.Refused) as refusal:
        checklist.tick(item, engineer, "https://ci.example.test/runs/42", engineer)

    assert refusal.value.message == (
        "“On-call rotation scheduled” is derived from the data (on-call shifts "
        "cover the launch weeks); it cannot be ticked."
    )
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_it_refuses_to_tick_twice(item, engineer):
    checklist.tick(item, engineer, "https://ci.example.test/runs/42", engineer)

    with pytest.raises(checklist.Refused) as refusal:
        checklist.tick(item, engineer, "https://ci.example.test/runs/43", engineer)

    assert refusal.value.message == "“MFA enforced” is already ticked done."
    item.refresh_from_db()
    assert item.evidence == "https://ci.example.test/runs/42"


def test_it_derives_items_from_their_wording():
    derived = ChecklistItem.Derived
    assert derived.for_title("On-call rotation scheduled") == derived.ONCALL_COVERAGE
    assert derived.for_title("On call rotation schedule") == derived.ONCALL_COVERAGE
    assert derived.for_title("Activate on-call alerts") == derived.NO
    assert derived.for_title("Runbooks reviewed") == derived.NO
