"""Write the stored artifacts out as a training dataset (see analytics/training_export.py)."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from analytics.training_export import ExportCounts, export_label, write_manifest
from artifacts.training_reads import artifacts_readable


class Command(BaseCommand):
    help = (
        "Export stored label images with each backend's words and lines, the extracted "
        "fields and every check's outcome (the agent's where one decided) as JSON Lines "
        "plus images into OUT, which must be empty or new. Deleted and expired "
        "artifacts are skipped. The layout is in OUT/README.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="An empty or new folder.")
        parser.add_argument("--since", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--until", type=date.fromisoformat, help="YYYY-MM-DD, included")
        parser.add_argument(
            "--decided-only",
            action="store_true",
            help="Only labels an agent has decided on.",
        )
        parser.add_argument(
            "--holdout",
            type=float,
            default=0.0,
            help="Share of bottlers/importers whose labels go to the test split (0 to 0.9).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        holdout: float = options["holdout"]
        if not 0 <= holdout <= 0.9:
            raise CommandError(f"--holdout {holdout} is not between 0 and 0.9.")
        if options["until"] and options["until"] < options["since"]:
            raise CommandError("--until is before --since.")
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise CommandError(f"{out} is not an empty folder: choose a new one.")
        artifacts = artifacts_readable(
            since=options["since"], until=options["until"], decided_only=options["decided_only"]
        )
        counts = ExportCounts()
        splits = ["train", "test"] if holdout > 0 else ["train"]
        with ExitStack() as stack:
            files = {}
            for split in splits:
                (out / split).mkdir(parents=True, exist_ok=True)
                files[split] = (
                    stack.enter_context((out / split / "panels.jsonl").open("w")),
                    stack.enter_context((out / split / "checks.jsonl").open("w")),
                )
            for artifact in tqdm(
                artifacts.iterator(chunk_size=200),
                total=artifacts.count(),
                desc="Exporting",
                unit="label",
                disable=not sys.stderr.isatty(),
            ):
                export_label(artifact, out=out, holdout=holdout, files=files, counts=counts)
        write_manifest(
            out,
            since=options["since"],
            until=options["until"],
            decided_only=options["decided_only"],
            holdout=holdout,
            counts=counts,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {sum(counts.labels.values())} label(s), "
                f"{sum(counts.panels.values())} panel(s) to {out} "
                f"({', '.join(f'{k}: {v}' for k, v in sorted(counts.labels.items())) or 'none'})"
                + (f"; {counts.skipped} skipped, images gone." if counts.skipped else ".")
            )
        )
