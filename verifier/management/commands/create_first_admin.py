import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "On a fresh install with no users, create an 'admin' superuser with a random "
        "password and print it once. Does nothing when any user exists."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        User = get_user_model()
        if User.objects.exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the first admin account.\n  user: {username}\n  password: {password}\n"
                "This password is shown once: write it down, then change it in /admin/."
            )
        )
