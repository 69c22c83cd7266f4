"""Remove objects no row knows, and settle rows whose objects are gone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from artifacts.sweep import artifact_prune_orphans


class Command(BaseCommand):
    help = (
        "Sweep the artifact storage against the index rows: delete objects with no "
        "row, tombstone stored artifacts whose objects vanished, and settle uploads "
        "a crash interrupted. Objects younger than --grace-minutes are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-n", "--dry-run", action="store_true", help="Report what would change; change nothing."
        )
        parser.add_argument("--grace-minutes", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["grace_minutes"] < 0:
            raise CommandError("--grace-minutes cannot be negative.")
        report = artifact_prune_orphans(
            dry_run=options["dry_run"], grace=timedelta(minutes=options["grace_minutes"])
        )
        verb = "Would" if options["dry_run"] else "Did"
        for key in report.orphan_objects:
            self.stdout.write(f"orphan object\t{key}")
        for label, artifacts in (
            ("objects vanished (tombstoned)", report.vanished),
            ("objects partly missing (marked failed)", report.incomplete),
            ("interrupted upload had finished (marked stored)", report.completed),
            ("interrupted upload (cleaned up)", report.interrupted),
        ):
            for artifact in artifacts:
                self.stdout.write(f"{label}\t{artifact.pk}\t{artifact.request_id}")
        summary = (
            f"{verb} delete {len(report.orphan_objects)} orphan object(s) and settle "
            f"{report.changes - len(report.orphan_objects)} artifact row(s)."
        )
        if options["dry_run"]:
            summary += " Nothing was changed."
        self.stdout.write(self.style.SUCCESS(summary))
