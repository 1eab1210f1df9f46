"""python manage.py send_reminders [--dry-run]"""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import AgreementFactory, UserFactory, VendorFactory
from vendors.models import Agreement, FollowUpReminder


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def owner(db):
    return UserFactory(username="lena", email="lena@example.test")


def waiting(owner, days_since_contact, name):
    last = timezone.localdate() - datetime.timedelta(days=days_since_contact)
    return AgreementFactory(
        vendor=VendorFactory(name=name),
        status=Agreement.Status.REQUESTED,
        requested_on=last,
        last_contact_on=last,
        owner=owner,
    )


def test_it_mails_the_owner_the_due_and_overdue_follow_ups_once(owner):
    waiting(owner, 7, "Due Today Inc")
    waiting(owner, 9, "Overdue Ltd")
    waiting(owner, 3, "Recent Co")

    first = run()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lena@example.test"]
    assert message.subject == "2 vendor follow-up(s) due"
    assert "Overdue Ltd BAA: Requested" in message.body
    assert "overdue by 2 day(s)" in message.body
    assert "Due Today Inc BAA: Requested" in message.body
    assert "Recent Co" not in message.body
    assert "sent 2 reminder(s)" in first

    second = run()

    assert len(mail.outbox) == 1
    assert "sent 0 reminder(s)" in second
    assert FollowUpReminder.objects.count() == 2


def test_it_sends_and_records_nothing_on_a_dry_run(owner):
    waiting(owner, 10, "Overdue Ltd")

    output = run("--dry-run")

    assert mail.outbox == []
    assert FollowUpReminder.objects.count() == 0
    assert "Would remind lena@example.test: Overdue Ltd BAA" in output
    assert "would send 1 reminder(s)" in output


def test_it_reports_due_follow_ups_nobody_owns(db):
    waiting(None, 8, "Orphan Corp")

    output = run()

    assert mail.outbox == []
    assert "No owner with an e-mail address for Orphan Corp BAA." in output


def test_it_sends_again_the_next_day(owner):
    agreement = waiting(owner, 8, "Overdue Ltd")
    FollowUpReminder.objects.create(
        agreement=agreement,
        owner=owner,
        sent_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    run()

    assert len(mail.outbox) == 1
