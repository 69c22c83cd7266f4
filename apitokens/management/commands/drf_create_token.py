"""`manage.py drf_create_token USER`: a new API token, printed once.

Keeps the name and the output line of Django REST Framework's command, which
operators' scripts call (`… .split()[2]` is the token). Only a hash of the
token is stored, so it cannot be shown again: lose it and create another.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from knox.models import AuthToken


class Command(BaseCommand):
    help = "Create an API token for USER and print it once (it expires after API_TOKEN_TTL_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "-r",
            "--reset",
            action="store_true",
            help="Revoke the user's other tokens first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()._default_manager
        try:
            user = users.get_by_natural_key(options["username"])
        except users.model.DoesNotExist:
            raise CommandError(f"No user {options['username']!r}.") from None
        if options["reset"]:
            AuthToken.objects.filter(user=user).delete()
        instance, token = AuthToken.objects.create(user=user)
        self.stdout.write(f"Generated token {token} for user {options['username']}")
        expiry = instance.expiry.isoformat() if instance.expiry else "never"
        self.stderr.write(f"It expires {expiry}; only its hash is kept, so save it now.")
