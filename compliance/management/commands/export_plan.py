from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance import plan_export
from compliance.models import Plan


class Command(BaseCommand):
    help = (
        "Write the current plan as a Markdown status document that import_plan "
        "reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="File to write (default: standard output)."
        )

    def handle(self, output=None, **options):
        plan = Plan.current()
        if plan is None:
            raise CommandError("there is no plan to export; import one first")
        text = plan_export.export(plan)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stdout.write(f"Wrote {plan.name} as of {plan.as_of} to {output}")
