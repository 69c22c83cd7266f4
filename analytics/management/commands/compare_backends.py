"""Re-read stored labels with several backends and compare them check by check."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from analytics.comparison import backend_problem, compare_label
from analytics.models import ComparisonRun
from artifacts.training_reads import artifacts_readable


def _backend_list(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise ValueError("name at least one backend")
    return list(dict.fromkeys(names))


def _ids(value: str) -> list[int]:
    return [int(item) for item in value.split(",") if item.strip()]


class Command(BaseCommand):
    help = (
        "Read the stored images of past verifications again with each backend and keep "
        "every check's outcome beside the audit row's, as a comparison run (see it in the "
        "admin under Analytics > Comparison runs). The audit rows are not changed. "
        "Backends that are not available are skipped, and said so. Stop it any time; "
        "--resume RUN carries on where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--until", type=date.fromisoformat, help="YYYY-MM-DD, included")
        parser.add_argument(
            "--ids",
            type=_ids,
            nargs="+",
            default=[],
            help="Verification ids (space- or comma-separated).",
        )
        parser.add_argument(
            "--backends",
            type=_backend_list,
            help="Comma-separated, e.g. tesseract,ollama,rapidocr.",
        )
        parser.add_argument("--resume", type=int, metavar="RUN", help="Carry on an earlier run.")

    def handle(self, *args: Any, **options: Any) -> None:
        run = self._run(options)
        run.skipped_backends = {}  # a backend that was down when the run stopped gets a new try
        for name in run.backends:
            problem = backend_problem(name)
            if problem:
                run.skipped_backends[name] = problem
                self.stderr.write(f"Skipping {name}: {problem}")
        run.save(update_fields=["skipped_backends"])
        backends = [name for name in run.backends if name not in run.skipped_backends]
        if not backends:
            raise CommandError("None of the backends can be used here; nothing to compare.")
        artifacts = artifacts_readable(
            since=run.since, until=run.until, verification_ids=run.verification_ids or None
        )
        self.stdout.write(
            f"Comparison run {run.pk}: {artifacts.count()} stored label(s), "
            f"backends {', '.join(backends)}."
        )
        for artifact in tqdm(
            artifacts.iterator(chunk_size=100),
            total=artifacts.count(),
            desc=f"Run {run.pk}",
            unit="label",
            disable=not sys.stderr.isatty(),
        ):
            compare_label(run, artifact, backends, say=self.stderr.write)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        read = run.readings.filter(status="ok").count()
        skipped = ", ".join(f"{name} ({why})" for name, why in run.skipped_backends.items())
        self.stdout.write(
            self.style.SUCCESS(f"Run {run.pk} finished: {read} reading(s).")
            + (f" Skipped: {skipped}." if skipped else "")
        )

    def _run(self, options: dict[str, Any]) -> ComparisonRun:
        if options["resume"]:
            run = ComparisonRun.objects.filter(pk=options["resume"]).first()
            if run is None:
                raise CommandError(f"There is no comparison run {options['resume']}.")
            return run
        if not options["since"] or not options["backends"]:
            raise CommandError("Give --since and --backends (or --resume RUN).")
        if options["until"] and options["until"] < options["since"]:
            raise CommandError("--until is before --since.")
        return ComparisonRun.objects.create(
            since=options["since"],
            until=options["until"],
            verification_ids=[number for group in options["ids"] for number in group],
            backends=options["backends"],
        )
