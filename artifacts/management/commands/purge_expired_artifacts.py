"""Delete artifacts past their `retain_until`. Run it daily (see artifacts/README.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from artifacts.management.commands._progress import progress
from artifacts.selectors import artifact_expired_list
from artifacts.services import RETENTION_ACTOR, ArtifactAlreadyDeleted, artifact_delete


class Command(BaseCommand):
    help = (
        "Delete the artifacts kept longer than ARTIFACT_RETENTION_DAYS, leaving a "
        "tombstone for each ('system: retention'). Meant to run once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-n",
            "--dry-run",
            action="store_true",
            help="List what would be deleted; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = list(artifact_expired_list().order_by("retain_until", "id"))
        for artifact in expired:
            self.stdout.write(
                f"{artifact.pk}\t{artifact.request_id}"
                f"\tretain until {artifact.retain_until:%Y-%m-%d}"
            )
        if options["dry_run"]:
            self.stdout.write(
                f"Would delete {len(expired)} expired artifact(s). Nothing was changed."
            )
            return
        deleted = 0
        for artifact in progress(expired, total=len(expired), description="Purging"):
            reason = (
                f"Retention period ended on {artifact.retain_until:%Y-%m-%d} "
                f"(ARTIFACT_RETENTION_DAYS={settings.ARTIFACT_RETENTION_DAYS})."
            )
            try:
                artifact_delete(artifact=artifact, user=None, actor=RETENTION_ACTOR, reason=reason)
                deleted += 1
            except ArtifactAlreadyDeleted:
                continue  # deleted by someone else meanwhile
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} expired artifact(s)."))
