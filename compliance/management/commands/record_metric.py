"""Record one measurement of a success metric, e.g. from a CI pipeline:

python manage.py record_metric "Test coverage" 72.4 --source "CI run 1234"
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from compliance.forms import parse_value
from compliance.models import Metric, Plan, format_number

# A pipeline tells a typo from a failed run by the exit status.
BAD_INPUT = 2


class Command(BaseCommand):
    help = "Record a new measurement of a metric of the current plan."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Metric name, any letter case.")
        parser.add_argument("value", help="A number, e.g. 72.4.")
        parser.add_argument("--source", default="", help="Where the value is from.")
        parser.add_argument(
            "--user", help="Username to record as the author (default: system)."
        )

    def handle(self, name, value, source, user, **options):
        plan = Plan.current()
        if plan is None:
            raise CommandError(
                "There is no plan yet; import one first.", returncode=BAD_INPUT
            )
        metric = Metric.objects.filter(plan=plan, name__iexact=name.strip()).first()
        if metric is None:
            known = ", ".join(
                f'"{n}"' for n in plan.metrics.values_list("name", flat=True)
            )
            raise CommandError(
                f'No metric named "{name}" in {plan}. '
                f"Known metrics: {known or 'none'}.",
                returncode=BAD_INPUT,
            )
        number = parse_value(value)
        if number is None:
            raise CommandError(
                f'"{value}" is not a number the portal can keep '
                "(up to 10 digits before the point and 4 after).",
                returncode=BAD_INPUT,
            )
        if len(source) > 255:
            raise CommandError(
                "--source is longer than 255 characters.", returncode=BAD_INPUT
            )

        author = self.author(user)
        metric.record(number, by=author, source=source)
        verdict = {True: "meets", False: "misses", None: "has no"}[metric.meets(number)]
        self.stdout.write(
            f"Recorded {metric.name} = {format_number(number)}{metric.unit_suffix()}; "
            f"it {verdict} its target {metric.target_display() or ''}".rstrip()
        )

    def author(self, username):
        users = get_user_model().objects
        if username:
            author = users.filter(username=username).first()
            if author is None:
                raise CommandError(f'No user named "{username}".', returncode=BAD_INPUT)
            return author
        author, created = users.get_or_create(username=settings.PORTAL_SYSTEM_USERNAME)
        if created:
            author.set_unusable_password()
            author.save(update_fields=["password"])
        return author
