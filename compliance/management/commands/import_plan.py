from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from compliance import plan_import
from compliance.plan_document import DocumentError


class Command(BaseCommand):
    help = (
        "Import a launch-plan status document (Markdown). All or nothing; "
        "importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The status document to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would change and write nothing.",
        )
        parser.add_argument(
            "--user",
            help="Username recorded as the author of the changes "
            "(default: the system user).",
        )

    def handle(self, path, dry_run=False, user=None, **options):
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"no user named {user!r}; nothing was imported")
        try:
            result = plan_import.import_file(path, user=author, dry_run=dry_run)
        except DocumentError as error:
            raise CommandError(f"{path}: not a status document: {error}") from None
        except plan_import.ImportRefused as error:
            raise CommandError(f"{path}: {error}") from None

        if dry_run:
            self.stdout.write("Dry run: nothing was written. It would:")
        for change in result.changes:
            self.stdout.write(f"  {change}")
        for line in result.summary_lines():
            self.stdout.write(line)
        if result.unplaced:
            self.stdout.write(f"{len(result.unplaced)} lines could not be placed:")
            for number, text in result.unplaced:
                self.stdout.write(f"  line {number}: {text}")
        verdict = "would change" if dry_run else "changed"
        self.stdout.write(
            f"{'Plan ' + verdict if result.changed else 'Nothing ' + verdict}: "
            f"{result.plan.name} as of {result.plan.as_of}"
        )
