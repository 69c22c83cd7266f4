"""Delete stored artifacts by id, request id, date or brand, leaving tombstones."""

from __future__ import annotations

import getpass
import uuid
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from artifacts.management.commands._progress import progress
from artifacts.selectors import artifact_deletion_list
from artifacts.services import ArtifactAlreadyDeleted, artifact_delete


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--before {value!r} is not a date like 2025-01-31.") from None


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise CommandError(f"--request-id {value!r} is not a UUID.") from None


class Command(BaseCommand):
    help = (
        "Delete artifacts (their objects in storage) matching every option given. "
        "Each deletion leaves a tombstone; objects go once its transaction commits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id", type=int, action="append", dest="ids", default=[])
        parser.add_argument(
            "--request-id", action="append", dest="request_ids", default=[], metavar="UUID"
        )
        parser.add_argument("--before", type=str, help="Saved before this date (YYYY-MM-DD, UTC).")
        parser.add_argument("--brand", type=str, help="Brand name contains (case-insensitive).")
        parser.add_argument("--reason", type=str, default="", help="Why (kept in the tombstone).")
        parser.add_argument(
            "-n",
            "--dry-run",
            action="store_true",
            help="List what would be deleted; change nothing.",
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        before = _date(options["before"]) if options["before"] else None
        if not (options["ids"] or options["request_ids"] or before or options["brand"]):
            raise CommandError("Name what to delete: --id, --request-id, --before or --brand.")
        artifacts = list(
            artifact_deletion_list(
                ids=options["ids"],
                request_ids=[_uuid(value) for value in options["request_ids"]],
                before=before,
                brand=options["brand"],
            )
        )

        for artifact in artifacts:
            self.stdout.write(
                f"{artifact.pk}\t{artifact.request_id}\t{artifact.created_at:%Y-%m-%d}"
                f"\t{artifact.state}\t{artifact.brand_name}"
            )
        if options["dry_run"]:
            self.stdout.write(f"Would delete {len(artifacts)} artifact(s). Nothing was changed.")
            return
        if not artifacts:
            self.stdout.write("No artifacts match.")
            return
        if not options["reason"].strip():
            raise CommandError("Say why with --reason; it is kept in each tombstone.")
        if not options["yes"] and not self._confirmed(len(artifacts)):
            raise CommandError("Cancelled: nothing was deleted.")

        actor = f"manage.py delete_artifacts ({getpass.getuser()})"
        deleted = 0
        for artifact in progress(artifacts, total=len(artifacts), description="Deleting"):
            try:
                artifact_delete(artifact=artifact, user=None, actor=actor, reason=options["reason"])
                deleted += 1
            except ArtifactAlreadyDeleted as error:
                self.stderr.write(str(error))
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} artifact(s)."))

    def _confirmed(self, count: int) -> bool:
        try:
            answer = input(f"Delete {count} artifact(s) and their objects? Type 'yes': ")
        except EOFError:
            return False
        return answer.strip().lower() == "yes"
