import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the first administrator with a random password, printed once. "
        "Does nothing when the user exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, username, **options):
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(
                f"Administrator {username!r} exists; its password was printed when it "
                "was created (change it with: python manage.py changepassword "
                f"{username})."
            )
            return
        password = secrets.token_urlsafe(15)
        user_model.objects.create_superuser(username=username, password=password)
        self.stdout.write(
            f"Log in as {username!r} with password {password!r} (shown only this once)."
        )
