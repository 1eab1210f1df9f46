import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compliance import oncall, readiness
from compliance.models import ChecklistItem, Shift
from tests.factories import ChecklistItemFactory, ChecklistSectionFactory, UserFactory

LAUNCH = datetime.date(2026, 1, 31)


def at(day, hour=0):
    """A moment on `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def shift(engineer, first_day, days, hour=0):
    return Shift.objects.create(
        engineer=engineer,
        starts_at=at(first_day, hour),
        ends_at=at(first_day + datetime.timedelta(days=days), hour),
        escalation_contact="CTO, +55 11 5555-0100",
    )


@pytest.fixture
def oncall_item(plan):
    section = ChecklistSectionFactory(plan=plan, name="Operations")
    return ChecklistItemFactory(
        section=section,
        title="On-call rotation scheduled",
        derived=ChecklistItem.Derived.ONCALL_COVERAGE,
        blocking=False,
    )


def test_it_finds_the_gaps_between_shifts(engineer):
    shifts = [
        shift(engineer, LAUNCH, 7),
        shift(engineer, LAUNCH + datetime.timedelta(days=8), 6),
    ]
    starts_at, ends_at = oncall.window(LAUNCH)

    found = oncall.gaps(shifts, starts_at, ends_at)

    assert found == [
        oncall.Gap(
            at(LAUNCH + datetime.timedelta(days=7)), at(datetime.date(2026, 2, 8))
        ),
        oncall.Gap(at(datetime.date(2026, 2, 14)), at(datetime.date(2026, 2, 28))),
    ]
    assert [gap.hours for gap in found] == [24.0, 336.0]


def test_it_finds_no_gap_in_overlapping_shifts(engineer):
    shifts = [shift(engineer, LAUNCH, 15), shift(engineer, LAUNCH, 28, hour=6)]

    assert oncall.gaps(shifts, *oncall.window(LAUNCH)) == []


def test_it_finds_the_whole_window_without_shifts():
    starts_at, ends_at = oncall.window(LAUNCH)

    assert oncall.gaps([], starts_at, ends_at) == [oncall.Gap(starts_at, ends_at)]


def test_it_measures_the_launch_weeks_from_the_target_launch(plan):
    assert plan.target_launch == LAUNCH
    assert oncall.launch_window(plan, datetime.date(2026, 1, 3)) == (
        at(LAUNCH),
        at(datetime.date(2026, 2, 28)),
    )


def test_it_derives_the_item_from_coverage(plan, oncall_item, engineer):
    result = readiness.compute(plan)
    item = result.sections[0].items[0]
    assert item.done is False
    assert (result.items_done, result.items_total) == (0, 1)

    shift(engineer, LAUNCH, 14)
    shift(UserFactory(username="second"), LAUNCH + datetime.timedelta(days=14), 14)

    result = readiness.compute(plan)
    assert result.sections[0].items[0].done is True
    assert (result.items_done, result.items_total) == (1, 1)


def test_it_ignores_a_hand_tick_of_the_derived_item(plan, oncall_item):
    oncall_item.status = "done"
    oncall_item.blocking = True
    oncall_item.save()

    result = readiness.compute(plan)

    assert result.sections[0].items[0].done is False
    assert [(b.kind, b.title) for b in result.blockers] == [
        ("checklist", "On-call rotation scheduled")
    ]


def test_it_leaves_the_item_open_with_one_hour_missing(plan, oncall_item, engineer):
    shift(engineer, LAUNCH, 14)
    shift(engineer, LAUNCH + datetime.timedelta(days=14), 14, hour=1)

    assert oncall.launch_covered(plan, datetime.date(2026, 1, 3)) is False


def test_it_shows_who_is_on_call_now_and_the_gaps(client, viewer, engineer, plan):
    today = timezone.localdate()
    Shift.objects.create(
        engineer=engineer,
        starts_at=at(today),
        ends_at=at(today + datetime.timedelta(days=3)),
        escalation_contact="CTO",
    )
    client.force_login(viewer)

    response = client.get("/oncall/")

    content = response.content.decode()
    assert "<strong>engineer</strong> until" in content
    assert "escalate to CTO" in content
    weeks = response.context["weeks"]
    assert len(weeks) == 4
    assert [len(week.gaps) for week in weeks] == [1, 1, 1, 1]
    assert weeks[0].gaps[0].starts_at == at(today + datetime.timedelta(days=3))
    assert '<tr class="gap row-blocking">' in content
    assert reverse("compliance:shift_add") not in content


def test_it_says_nobody_is_on_call(client, viewer, plan):
    client.force_login(viewer)

    response = client.get("/oncall/")

    assert b"Nobody is on call right now." in response.content
    assert response.context["launch_gaps"] == [
        oncall.Gap(at(LAUNCH), at(datetime.date(2026, 2, 28)))
    ]


def test_it_schedules_a_shift(client, engineer, plan):
    client.force_login(engineer)

    response = client.post(
        reverse("compliance:shift_add"),
        {
            "engineer": engineer.pk,
            "starts_at": "2026-01-31T09:00",
            "ends_at": "2026-02-07T09:00",
            "escalation_contact": "CTO",
        },
    )

    assert response.status_code == 302
    created = Shift.objects.get()
    assert created.starts_at == at(LAUNCH, 9)
    assert created.history.first().history_user == engineer


def test_it_refuses_a_shift_that_ends_before_it_starts(client, engineer, plan):
    client.force_login(engineer)

    response = client.post(
        reverse("compliance:shift_add"),
        {
            "engineer": engineer.pk,
            "starts_at": "2026-02-07T09:00",
            "ends_at": "2026-01-31T09:00",
            "escalation_contact": "CTO",
        },
    )

    assert response.status_code == 400
    assert b'<span class="field-error">A shift ends after it starts.</span>' in (
        response.content
    )
    assert Shift.objects.count() == 0


def test_it_forbids_viewers_to_schedule(client, viewer, engineer, plan):
    client.force_login(viewer)

    response = client.post(
        reverse("compliance:shift_add"),
        {
            "engineer": engineer.pk,
            "starts_at": "2026-01-31T09:00",
            "ends_at": "2026-02-07T09:00",
            "escalation_contact": "CTO",
        },
    )

    assert response.status_code == 403
    assert Shift.objects.count() == 0


def test_it_removes_a_shift_with_history(client, engineer, plan):
    removed = shift(engineer, LAUNCH, 7)
    client.force_login(engineer)

    response = client.post(reverse("compliance:shift_delete", args=[removed.pk]))

    assert response.status_code == 302
    assert Shift.objects.count() == 0
    last = Shift.history.first()
    assert (last.history_type, last.history_user) == ("-", engineer)


def test_it_derives_the_imported_rotation_item_from_the_shifts(db, shared_plan):
    call_command("import_plan", str(shared_plan), stdout=StringIO())

    derived = ChecklistItem.objects.filter(
        derived=ChecklistItem.Derived.ONCALL_COVERAGE
    ).values_list("title", "section__name", "blocking")
    assert list(derived) == [("On-call rotation scheduled", "Operations", False)]


@pytest.mark.parametrize(
    "starts_at, ends_at, message",
    [
        (
            "9999-12-31T22:00",
            "9999-12-31T23:59",
            "Give times between the years 2000 and 2099.",
        ),
        (
            "2026-01-31T09:00",
            "2026-03-31T09:00",
            "A shift lasts at most 31 days; split a longer rotation into shifts.",
        ),
    ],
)
def test_it_refuses_a_shift_out_of_calendar_or_too_long(
    client, engineer, plan, starts_at, ends_at, message
):
    client.force_login(engineer)

    response = client.post(
        reverse("compliance:shift_add"),
        {
            "engineer": engineer.pk,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "escalation_contact": "CTO",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"ends_at": [message]}
    assert Shift.objects.count() == 0
    assert Shift.history.count() == 0
