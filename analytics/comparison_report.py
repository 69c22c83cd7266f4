"""What a comparison run found: agreement per check, the disagreements, the timings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from analytics.models import ComparisonOutcome, ComparisonRun, ReadingStatus
from artifacts.training_reads import artifact_id_of

AUDIT = "audit row"  # the outcome the original verification recorded
DISAGREEMENTS_SHOWN = 200


@dataclass(frozen=True)
class CheckAgreement:
    check: str
    sources: list[str]
    matrix: list[tuple[str, list[str]]]  # (row source, a cell per column source)


def _outcomes(run: ComparisonRun) -> dict[tuple[int, str], dict[str, str]]:
    """(verification id, check) -> {source: outcome} over the run's good readings."""
    by_label: dict[tuple[int, str], dict[str, str]] = {}
    rows = ComparisonOutcome.objects.filter(
        reading__run=run, reading__status=ReadingStatus.OK
    ).values_list(
        "reading__verification_id", "reading__backend", "check_id", "outcome", "original_outcome"
    )
    for verification_id, backend, check_id, outcome, original in rows.iterator():
        sources = by_label.setdefault((verification_id, check_id), {})
        sources[backend] = outcome
        if original:
            sources[AUDIT] = original
    return by_label


def agreement(run: ComparisonRun, by_label: dict) -> list[CheckAgreement]:
    sources = [AUDIT, *run.backends]
    checks = sorted({check for _, check in by_label})
    result = []
    for check in checks:
        labels = [outcomes for (_, c), outcomes in by_label.items() if c == check]
        matrix = []
        for row in sources:
            cells = []
            for column in sources:
                compared = [o for o in labels if row in o and column in o]
                agreed = sum(1 for o in compared if o[row] == o[column])
                cells.append(
                    f"{agreed}/{len(compared)} ({agreed / len(compared):.0%})" if compared else "–"
                )
            matrix.append((row, cells))
        result.append(CheckAgreement(check=check, sources=sources, matrix=matrix))
    return result


def disagreements(by_label: dict) -> list[dict[str, Any]]:
    rows = []
    for (verification_id, check), outcomes in sorted(by_label.items()):
        backends = {source: o for source, o in outcomes.items() if source != AUDIT}
        if len(set(outcomes.values())) > 1 and (len(backends) > 1 or AUDIT in outcomes):
            rows.append(
                {
                    "verification_id": verification_id,
                    "artifact_id": artifact_id_of(verification_id=verification_id),
                    "check": check,
                    "outcomes": sorted(outcomes.items()),
                }
            )
    return rows


def nearest_rank(ordered: list[float], fraction: float) -> float | None:
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else None


def timings(run: ComparisonRun) -> list[dict[str, Any]]:
    rows = []
    for backend in run.backends:
        readings = run.readings.filter(backend=backend)
        seconds = sorted(readings.filter(status=ReadingStatus.OK).values_list("seconds", flat=True))
        rows.append(
            {
                "backend": backend,
                "read": len(seconds),
                "failed": readings.exclude(status=ReadingStatus.OK).count(),
                "skipped": run.skipped_backends.get(backend, ""),
                "mean_s": round(sum(seconds) / len(seconds), 2) if seconds else None,
                "p50_s": nearest_rank(seconds, 0.5),
                "p95_s": nearest_rank(seconds, 0.95),
            }
        )
    return rows


def comparison_report(*, run: ComparisonRun) -> dict[str, Any]:
    by_label = _outcomes(run)
    found = disagreements(by_label)
    return {
        "agreement": agreement(run, by_label),
        "disagreements": found[:DISAGREEMENTS_SHOWN],
        "disagreement_count": len(found),
        "timings": timings(run),
        "labels": len({verification_id for verification_id, _ in by_label}),
    }


def comparison_csv_rows(run: ComparisonRun) -> Any:
    """Every outcome of the run, one row each, for the CSV export."""
    yield [
        "verification_id",
        "request_id",
        "backend",
        "status",
        "seconds",
        "check",
        "outcome",
        "audit_outcome",
        "found",
    ]
    for reading in run.readings.select_related("verification").order_by(
        "verification_id", "backend"
    ):
        base = [
            reading.verification_id,
            str(reading.verification.request_id),
            reading.backend,
            reading.status,
            reading.seconds,
        ]
        outcomes = list(reading.outcomes.all()) or [None]
        for outcome in outcomes:
            if outcome is None:
                yield [*base, "", "", "", ""]
            else:
                yield [
                    *base,
                    outcome.check_id,
                    outcome.outcome,
                    outcome.original_outcome,
                    outcome.found,
                ]
