import json

from django.core.management.base import BaseCommand, CommandError

from compliance import readiness
from compliance.models import Plan

READY, BLOCKED, ERROR = 0, 1, 2


class Command(BaseCommand):
    help = (
        "Print launch readiness computed from the data. Exit 0 when nothing blocks "
        "launch, 1 when something does, 2 on error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="One JSON object.")

    def execute(self, *args, **options):
        # A deploy pipeline reads the exit code: any failure must be 2, never a
        # traceback exit that could be mistaken for "blocked".
        try:
            return super().execute(*args, **options)
        except SystemExit:
            raise
        except Exception as error:  # noqa: BLE001
            self.stderr.write(f"readiness: error: {error}")
            raise SystemExit(ERROR) from None

    def handle(self, *args, json=False, **options):
        plan = Plan.current()
        if plan is None:
            # An empty database has no blockers, yet nothing says launch is ready.
            raise CommandError(
                "there is no plan yet, so readiness is unknown; "
                "import the status document first"
            )
        result = readiness.compute(plan)
        if json:
            self.stdout.write(to_json(result.as_dict()))
        else:
            self.write_text(result)
        raise SystemExit(READY if result.ready else BLOCKED)

    def write_text(self, result):
        plan = result.plan
        if plan is not None:
            self.stdout.write(f"{plan.name} (as of {plan.as_of})")
        self.stdout.write(
            f"Launch requirements met: {result.blocking_done}/{result.blocking_total}"
        )
        self.stdout.write(
            f"Checklist items done: {result.items_done}/{result.items_total}"
        )
        if result.ready:
            self.stdout.write("READY: nothing blocks launch.")
            return
        self.stdout.write(f"BLOCKED: {len(result.blockers)} blockers")
        for blocker in result.blockers:
            self.stdout.write(f"  [{blocker.kind}] {blocker.title}")


def to_json(data):
    return json.dumps(data, ensure_ascii=False)
