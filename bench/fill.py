"""Fill the bench database with a large plan, fast.

500 vendors, 5,000 checklist items, 50 runbooks, 100 bench users and at least
100,000 history rows, written with simple-history's bulk helpers so that every
row has the history the portal would have given it. Run by bench/run.py against
the bench database only.
"""

import datetime
import os
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from compliance.models import (  # noqa: E402
    ChecklistItem,
    ChecklistSection,
    Measurement,
    Metric,
    Milestone,
    MilestoneTask,
    Phase,
    Plan,
    Runbook,
    Status,
    WorkItem,
)
from vendors.models import Agreement, Vendor  # noqa: E402

PASSWORD = "bench password, not a secret"
USERS = 100
VENDORS = 500
SECTIONS, ITEMS_PER_SECTION = 50, 100
RUNBOOKS = 50
HISTORY_ROWS = 100_000

random.seed(6)


# The plan was imported two months ago and edited since.
CREATED_AT = timezone.now() - datetime.timedelta(days=61)


def create(model, objs, user):
    return bulk_create_with_history(
        objs,
        model,
        batch_size=2000,
        default_user=user,
        default_change_reason="bench",
        default_date=CREATED_AT,
    )


def fill():
    User = get_user_model()
    # One hash for everyone: hashing 100 passwords would take longer than the rest.
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [User(username=f"bench-user-{n:03d}", password=password) for n in range(USERS)]
        + [User(username="bench-probe", password=password)]
    )
    viewer = Group.objects.filter(name="Viewer").first()
    if viewer:
        viewer.user_set.add(*users)
    author = users[0]
    today = timezone.localdate()

    (plan,) = create(
        Plan,
        [
            Plan(
                name="Bench plan",
                as_of=today,
                target_launch=today + datetime.timedelta(days=30),
                claimed_status="Ready for launch",
            )
        ],
        author,
    )
    phases = create(
        Phase,
        [Phase(plan=plan, title=f"Phase {n}", number=n, position=n) for n in range(5)],
        author,
    )
    create(
        WorkItem,
        [
            WorkItem(
                plan=plan,
                phase=phases[n % 5] if n < 100 else None,
                optional=n >= 100,
                title=f"Work item {n}",
                status=random.choice([Status.DONE, Status.PENDING, Status.IN_PROGRESS]),
                position=n,
            )
            for n in range(120)
        ],
        author,
    )

    vendors = create(
        Vendor,
        [
            Vendor(
                name=f"Bench vendor {n:03d}",
                slug=f"bench-vendor-{n:03d}",
                service="Hosting",
                handles_phi=n % 5 != 0,
            )
            for n in range(VENDORS)
        ],
        author,
    )
    agreements = []
    for n, vendor in enumerate(vendors):
        if vendor.handles_phi:
            signed = n % 10 != 1
            agreements.append(
                Agreement(
                    vendor=vendor,
                    kind=Agreement.Kind.BAA,
                    status=Agreement.Status.SIGNED
                    if signed
                    else Agreement.Status.IN_NEGOTIATION,
                    signed_on=today - datetime.timedelta(days=n % 90)
                    if signed
                    else None,
                )
            )
        agreements.append(
            Agreement(vendor=vendor, kind=Agreement.Kind.DPA, status="requested")
        )
    create(Agreement, agreements, author)

    metrics = create(
        Metric,
        [
            Metric(plan=plan, name=f"Metric {n}", unit="%", target=70, position=n)
            for n in range(20)
        ],
        author,
    )
    now = timezone.now()
    create(
        Measurement,
        [
            Measurement(
                metric=metric,
                value=random.randint(40, 99),
                measured_at=now - datetime.timedelta(days=day),
                source="bench",
            )
            for metric in metrics
            for day in range(30)
        ],
        author,
    )

    sections = create(
        ChecklistSection,
        [
            ChecklistSection(plan=plan, name=f"Section {n}", position=n)
            for n in range(SECTIONS)
        ],
        author,
    )
    items = create(
        ChecklistItem,
        [
            ChecklistItem(
                plan=plan,
                section=section,
                title=f"{section.name} item {n}",
                status=Status.DONE if n % 10 else Status.PENDING,
                blocking=n % 2 == 0,
                metric=metrics[n % 20] if n % 25 == 0 else None,
                owner=random.choice(users),
                evidence=f"https://tickets.example.test/{section.pk}-{n}",
                position=n,
            )
            for section in sections
            for n in range(ITEMS_PER_SECTION)
        ],
        author,
    )

    body = "# Steps\n\n" + "".join(
        f"{n}. Check the dashboard, then page the on-call engineer.\n"
        for n in range(1, 60)
    )
    create(
        Runbook,
        [
            Runbook(title=f"Runbook {n:02d}", slug=f"runbook-{n:02d}", body=body)
            for n in range(RUNBOOKS)
        ],
        author,
    )
    milestones = create(
        Milestone,
        [
            Milestone(
                plan=plan,
                title=f"Milestone {n}",
                starts_on=today + datetime.timedelta(days=7 * n - 14),
                ends_on=today + datetime.timedelta(days=7 * n - 8),
                position=n,
            )
            for n in range(8)
        ],
        author,
    )
    create(
        MilestoneTask,
        [
            MilestoneTask(
                milestone=milestone, title=f"Task {n}", done=n % 3 == 0, position=n
            )
            for milestone in milestones
            for n in range(10)
        ],
        author,
    )

    add_edit_history(items, users, now)


def history_count():
    models = [
        Plan,
        Phase,
        WorkItem,
        Vendor,
        Agreement,
        Metric,
        Measurement,
        ChecklistSection,
        ChecklistItem,
        Runbook,
        Milestone,
        MilestoneTask,
    ]
    return sum(model.history.count() for model in models)


def add_edit_history(items, users, now):
    """Past edits of the checklist, spread over 60 days, until 100,000 rows.

    The newest history row of each item holds its current status, as it would
    after real edits.
    """
    current = {item.pk: item.status for item in items}
    missing = HISTORY_ROWS - history_count() - len(items)
    statuses = [Status.PENDING, Status.IN_PROGRESS, Status.DONE]
    while missing > 0:
        batch = items[:missing]
        for item in batch:
            item.status = random.choice(statuses)
            item._history_user = random.choice(users)
            item._history_date = now - datetime.timedelta(
                minutes=random.randint(1, 60 * 24 * 60)
            )
        ChecklistItem.history.bulk_history_create(
            batch, update=True, batch_size=5000, default_change_reason="bench edit"
        )
        missing -= len(batch)
    for item in items:
        item.status = current[item.pk]
        item._history_date = now
    ChecklistItem.history.bulk_history_create(
        items, update=True, batch_size=5000, default_change_reason="bench edit"
    )


if __name__ == "__main__":
    with transaction.atomic():
        fill()
    print(
        f"Filled: {Vendor.objects.count()} vendors, "
        f"{ChecklistItem.objects.count()} checklist items, "
        f"{Runbook.objects.count()} runbooks, {history_count()} history rows."
    )
