"""E-mail each agreement owner the follow-ups that are due today or overdue.

Meant to run once a day from cron. Each agreement is reminded at most once per
(portal) day, so running it again the same day sends nothing.
"""

import logging
from itertools import groupby

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from vendors.models import Agreement, FollowUpReminder

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "E-mail agreement owners the vendor follow-ups that are due or overdue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be sent; send and record nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        due = (
            Agreement.objects.follow_up_due(today)
            .exclude(reminders__sent_on=today)
            .select_related("vendor", "owner")
            .order_by("owner_id", "_contact", "vendor__name")
        )
        unowned = [a for a in due if a.owner is None or not a.owner.email]
        owned = [a for a in due if a not in unowned]

        sent = 0
        for owner, agreements in groupby(owned, key=lambda a: a.owner):
            agreements = list(agreements)
            if dry_run:
                self.stdout.write(
                    f"Would remind {owner.email}: "
                    + ", ".join(str(a) for a in agreements)
                )
                continue
            sent += self.remind(owner, agreements, today)

        for agreement in unowned:
            self.stdout.write(f"No owner with an e-mail address for {agreement}.")
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"{verb} {sent if not dry_run else len(owned)} reminder(s) for "
            f"{today:%Y-%m-%d}; {len(unowned)} due follow-up(s) without an owner."
        )

    def remind(self, owner, agreements, today):
        """Record then send one e-mail; returns how many agreements it covered.

        The rows are written first in a transaction that the send must survive, so
        that a second run (even an overlapping one) never mails the same follow-up
        twice; a failed send rolls the rows back and is retried on the next run.
        """
        try:
            with transaction.atomic():
                for agreement in agreements:
                    FollowUpReminder.objects.create(
                        agreement=agreement, owner=owner, sent_on=today
                    )
                send_mail(
                    subject=f"{len(agreements)} vendor follow-up(s) due",
                    message=reminder_text(agreements, today),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[owner.email],
                )
        except IntegrityError:
            logger.warning("Reminders for %s were already sent today", owner)
            return 0
        except Exception:
            logger.exception("Could not send reminders to %s", owner.email)
            return 0
        return len(agreements)


def reminder_text(agreements, today):
    lines = ["These vendor agreements are waiting for a follow-up:", ""]
    for agreement in agreements:
        days = (today - agreement.next_follow_up_on).days
        when = "due today" if days == 0 else f"overdue by {days} day(s)"
        lines.append(
            f"- {agreement}: {agreement.get_status_display()}, last contact "
            f"{agreement.last_contact:%Y-%m-%d}, {when}"
        )
    lines += ["", "Log the follow-up in the portal once it is done."]
    return "\n".join(lines)
