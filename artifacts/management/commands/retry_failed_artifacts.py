"""Upload again the artifacts whose first save failed, from the kept bytes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from artifacts.management.commands._progress import progress
from artifacts.models import ArtifactState
from artifacts.selectors import artifact_failed_list
from artifacts.services import ArtifactNotRetryable, artifact_retry


class Command(BaseCommand):
    help = (
        "Store the artifacts marked 'failed' (the storage was unreachable when the "
        "verification ran) from the copy kept in the database. Safe to run often."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id", type=int, action="append", dest="ids", default=[])
        parser.add_argument("--limit", type=int, default=None, help="At most this many.")
        parser.add_argument(
            "-n",
            "--dry-run",
            action="store_true",
            help="List what would be retried; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = artifact_failed_list()
        if options["ids"]:
            failed = failed.filter(pk__in=options["ids"])
        artifacts = list(failed[: options["limit"]] if options["limit"] else failed)
        if options["dry_run"]:
            for artifact in artifacts:
                self.stdout.write(
                    f"{artifact.pk}\t{artifact.request_id}\t{artifact.failure_reason}"
                )
            self.stdout.write(f"Would retry {len(artifacts)} artifact(s). Nothing was changed.")
            return
        stored = still_failed = 0
        for artifact in progress(artifacts, total=len(artifacts), description="Retrying"):
            try:
                artifact = artifact_retry(artifact=artifact)
            except ArtifactNotRetryable as error:
                self.stderr.write(str(error))
                still_failed += 1
                continue
            if artifact.state == ArtifactState.STORED:
                stored += 1
            else:
                still_failed += 1
                self.stderr.write(f"{artifact.pk}: {artifact.failure_reason}")
        style = self.style.SUCCESS if not still_failed else self.style.WARNING
        self.stdout.write(style(f"Stored {stored} artifact(s); {still_failed} still failed."))
