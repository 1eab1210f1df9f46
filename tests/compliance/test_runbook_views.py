import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import Runbook
from tests.factories import RunbookFactory, UserFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def runbook(today, engineer):
    return RunbookFactory(
        title="Database failover",
        body="# Failover\n\n<script>alert(1)</script>\n\nRun `pg_ctl promote`.\n",
        owner=engineer,
        last_reviewed_on=today - datetime.timedelta(days=30),
    )


def days_ago(today, days):
    return today - datetime.timedelta(days=days)


def test_it_counts_a_review_overdue_after_the_interval(db, today):
    on_time = RunbookFactory(title="On time", last_reviewed_on=days_ago(today, 90))
    late = RunbookFactory(title="Late", last_reviewed_on=days_ago(today, 91))
    never = RunbookFactory(title="Never", last_reviewed_on=None)
    weekly = RunbookFactory(
        title="Weekly", last_reviewed_on=days_ago(today, 8), review_interval_days=7
    )

    assert on_time.review_interval_days == 90
    assert on_time.is_review_overdue(today) is False
    assert late.is_review_overdue(today) is True
    assert never.is_review_overdue(today) is True
    assert weekly.is_review_overdue(today) is True
    assert [r.title for r in Runbook.review_overdue(today)] == [
        "Never",
        "Late",
        "Weekly",
    ]


def test_it_lists_overdue_reviews_on_the_dashboard(client, viewer, plan, today):
    RunbookFactory(title="Late", last_reviewed_on=datetime.date(2020, 1, 1))
    RunbookFactory(title="Fresh", last_reviewed_on=today)
    client.force_login(viewer)

    response = client.get("/")

    assert [r.title for r in response.context["overdue_runbooks"]] == ["Late"]
    assert b'<section class="panel" id="overdue-runbooks">' in response.content
    assert b"review was due 2020-03-31" in response.content
    assert b"Fresh" not in response.content


def test_it_shows_no_panel_when_nothing_is_overdue(client, viewer, plan, today):
    RunbookFactory(title="Fresh", last_reviewed_on=today)
    client.force_login(viewer)

    assert b'id="overdue-runbooks"' not in client.get("/").content


def test_it_marks_overdue_runbooks_in_the_list(client, viewer, today):
    RunbookFactory(title="Late", last_reviewed_on=days_ago(today, 91))
    client.force_login(viewer)

    response = client.get("/runbooks/")

    assert b'<span class="status status-failed">overdue</span>' in response.content


def test_it_renders_a_runbook_sanitised_for_readers(client, viewer, runbook):
    client.force_login(viewer)

    response = client.get(runbook.get_absolute_url())

    content = response.content.decode()
    assert '<div class="runbook-body"><h1>Failover</h1>' in content
    assert "<code>pg_ctl promote</code>" in content
    assert "alert(1)" not in content
    assert "reviewed every 90 days" in content
    assert reverse("compliance:runbook_edit", args=[runbook.slug]) not in content
    assert reverse("compliance:runbook_review", args=[runbook.slug]) not in content


def test_it_shows_edit_and_review_to_engineering(client, engineer, runbook):
    client.force_login(engineer)

    content = client.get(runbook.get_absolute_url()).content.decode()

    assert reverse("compliance:runbook_edit", args=[runbook.slug]) in content
    assert reverse("compliance:runbook_review", args=[runbook.slug]) in content


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_it_forbids_others_to_edit_or_review(client, runbook, who, request):
    client.force_login(request.getfixturevalue(who))

    edit = client.post(
        reverse("compliance:runbook_edit", args=[runbook.slug]),
        {"title": "Hacked", "body": "x", "review_interval_days": 90},
    )
    review = client.post(reverse("compliance:runbook_review", args=[runbook.slug]))

    assert (edit.status_code, review.status_code) == (403, 403)
    runbook.refresh_from_db()
    assert runbook.title == "Database failover"
    assert runbook.history.count() == 1


def edit_data(runbook, **changes):
    data = {
        "title": runbook.title,
        "body": runbook.body,
        "owner": runbook.owner_id or "",
        "review_interval_days": runbook.review_interval_days,
        "revision": runbook.history.first().history_id,
    }
    data.update(changes)
    return data


def test_it_previews_without_saving(client, engineer, runbook):
    client.force_login(engineer)

    response = client.post(
        reverse("compliance:runbook_edit", args=[runbook.slug]),
        edit_data(runbook, body="# New\n\n`a < b`", preview="1"),
    )

    assert response.status_code == 200
    assert b"<h1>New</h1>\n<p><code>a &lt; b</code></p>" in response.content
    runbook.refresh_from_db()
    assert runbook.body.startswith("# Failover")
    assert runbook.history.count() == 1


def test_it_saves_an_edit_with_history(client, engineer, runbook):
    client.force_login(engineer)

    response = client.post(
        reverse("compliance:runbook_edit", args=[runbook.slug]),
        edit_data(runbook, body="# Failover\n\nPromote the replica.\n", save="1"),
    )

    assert response.status_code == 302
    runbook.refresh_from_db()
    assert runbook.body == "# Failover\n\nPromote the replica."
    revision = runbook.history.first()
    assert revision.history_user == engineer
    assert revision.history_change_reason == "Edited"


def test_it_refuses_to_overwrite_a_newer_revision(client, engineer, runbook):
    stale = edit_data(runbook, body="Mine", save="1")
    runbook.body = "Someone else's"
    runbook.save()
    client.force_login(engineer)

    response = client.post(
        reverse("compliance:runbook_edit", args=[runbook.slug]), stale
    )

    assert response.status_code == 400
    assert b"Someone saved this runbook after you opened it." in response.content
    runbook.refresh_from_db()
    assert runbook.body == "Someone else's"


def test_it_marks_a_runbook_reviewed_today(client, engineer, runbook, today):
    client.force_login(engineer)

    response = client.post(reverse("compliance:runbook_review", args=[runbook.slug]))

    assert response.status_code == 302
    runbook.refresh_from_db()
    assert runbook.last_reviewed_on == today
    assert runbook.history.first().history_change_reason == "Reviewed"
    assert runbook.history.first().history_user == engineer


def test_it_compares_two_revisions(client, viewer, runbook):
    first = runbook.history.first().history_id
    runbook.body = "# Failover\n\nRun `pg_ctl promote` on the replica.\n"
    runbook._history_user = UserFactory(username="editor")
    runbook.save()
    second = runbook.history.first().history_id
    client.force_login(viewer)

    response = client.get(
        reverse("compliance:runbook_compare", args=[runbook.slug]),
        {"from": second, "to": first},
    )

    content = response.content.decode()
    assert f"revision {first} to {second}" in content
    assert '<span class="diff-removed">-Run `pg_ctl promote`.</span>' in content
    assert (
        '<span class="diff-added">+Run `pg_ctl promote` on the replica.</span>'
        in content
    )
    assert "by editor" in content


def test_it_lists_revisions_to_compare(client, viewer, runbook):
    runbook.body = "changed"
    runbook.save()
    client.force_login(viewer)

    response = client.get(reverse("compliance:runbook_history", args=[runbook.slug]))

    assert [r.history_id for r in response.context["revisions"]] == list(
        runbook.history.values_list("history_id", flat=True)
    )
    assert b'<button type="submit">Compare</button>' in response.content


def test_it_answers_404_for_a_revision_of_another_runbook(client, viewer, runbook):
    other = RunbookFactory(title="Other")
    client.force_login(viewer)

    response = client.get(
        reverse("compliance:runbook_compare", args=[runbook.slug]),
        {"from": other.history.first().history_id, "to": "nonsense"},
    )

    assert response.status_code == 404


@pytest.mark.parametrize("garbled", ["nonsense", "", "-1", "1.5"])
def test_it_answers_404_for_a_garbled_revision(client, viewer, runbook, garbled):
    client.force_login(viewer)

    response = client.get(
        reverse("compliance:runbook_compare", args=[runbook.slug]),
        {"from": runbook.history.first().history_id, "to": garbled},
    )

    assert response.status_code == 404


def test_it_refuses_a_review_interval_beyond_ten_years(client, engineer, runbook):
    client.force_login(engineer)

    response = client.post(
        reverse("compliance:runbook_edit", args=[runbook.slug]),
        edit_data(runbook, review_interval_days=2147483647, save="1"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "review_interval_days": [
            "Review at least once every ten years: 3650 days or fewer."
        ]
    }
    runbook.refresh_from_db()
    assert runbook.review_interval_days == 90
    assert runbook.history.count() == 1
    assert (
        client.get(reverse("compliance:runbook", args=[runbook.slug])).status_code
        == 200
    )
