"""The dashboard's numbers, each aggregated in the database from the audit rows.

Every function takes a `Scope` and returns a `Table`: the numbers a chart is
drawn from, shown beneath it, and exported as CSV. Counts per day, check and
backend come from the daily rollups for days that are over plus the audit
rows of the rest (analytics/rollups.py); the rankings by bottler and user and
the decisions are grouped from the audit rows directly. Nothing loops over
audit rows in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    TextField,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, NullIf

from analytics import rollups
from analytics.scope import Scope, verifications_in
from verifier.engine.rules import check_spec
from verifier.models import Decision, DecisionOutcome, VerdictChoice

TOP = 10
VERDICTS = [choice.value for choice in VerdictChoice]
# Outcomes that mean the check was evaluated (not "not applicable" / "skipped").
EVALUATED = ("pass", "fail", "review")
SHARES = {"review_rate", "share", "fail_rate", "agreement"}


@dataclass(frozen=True)
class Table:
    name: str  # URL and CSV file name
    title: str
    columns: list[tuple[str, str]]  # (key, header)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def cells(self) -> list[list[Any]]:
        return [[row.get(key) for key, _ in self.columns] for row in self.rows]

    def shown_cells(self) -> list[list[Any]]:
        """The cells as the page shows them: shares as percentages (the CSV keeps fractions)."""
        return [
            [
                f"{row[key]:.1%}" if key in SHARES and row.get(key) is not None else row.get(key)
                for key, _ in self.columns
            ]
            for row in self.rows
        ]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _verdict_counts(scope: Scope) -> dict[tuple[date, str], int]:
    counts: dict[tuple[date, str], int] = {}
    for (day, _backend, verdict), count in rollups.verdicts_by_day_backend(scope).items():
        counts[(day, verdict)] = counts.get((day, verdict), 0) + count
    return counts


def daily_verdicts(scope: Scope) -> Table:
    """Verifications per day by verdict, and each day's review rate."""
    counts = _verdict_counts(scope)
    rows = []
    for day in scope.days:
        row: dict[str, Any] = {"day": day.isoformat()}
        for verdict in VERDICTS:
            row[verdict] = counts.get((day, verdict), 0)
        row["total"] = sum(row[verdict] for verdict in VERDICTS)
        row["review_rate"] = _rate(row[VerdictChoice.NEEDS_REVIEW], row["total"])
        rows.append(row)
    return Table(
        name="verdicts_per_day",
        title="Verifications per day by verdict",
        columns=[
            ("day", "Day"),
            *[(verdict.value, verdict.label) for verdict in VerdictChoice],
            ("total", "Total"),
            ("review_rate", "Review rate"),
        ],
        rows=rows,
    )


def review_rate(scope: Scope) -> Table:
    """The whole scope's verdict shares: how many needed a person."""
    counts: dict[str, int] = {}
    for (_day, verdict), count in _verdict_counts(scope).items():
        counts[verdict] = counts.get(verdict, 0) + count
    total = sum(counts.values())
    rows = [
        {
            "verdict": verdict.label,
            "count": counts.get(verdict.value, 0),
            "share": _rate(counts.get(verdict.value, 0), total),
        }
        for verdict in VerdictChoice
    ]
    return Table(
        name="review_rate",
        title="Verdicts and review rate",
        columns=[("verdict", "Verdict"), ("count", "Verifications"), ("share", "Share")],
        rows=rows,
    )


def check_citations(check_ids: list[str], scope: Scope) -> dict[str, str]:
    """Each check's CFR section: from the check registry, or for a check it no
    longer lists, as the newest result in the scope that ran it cites it."""
    citations = {
        check_id: spec.cfr for check_id in check_ids if (spec := check_spec(check_id)) is not None
    }
    newest = verifications_in(scope).order_by("-created_at")
    for check_id in check_ids:
        if check_id in citations:
            continue
        checks = (
            newest.filter(check_outcomes__has_key=check_id)
            .values_list(KT("result__checks"), flat=True)
            .first()
        )
        for check in _as_list(checks):
            if isinstance(check, dict) and check.get("id") and check.get("cfr"):
                citations.setdefault(check["id"], check["cfr"])
    return citations


def _as_list(value: Any) -> list[Any]:
    # KT gives text on every database; the checks are a JSON list.
    if isinstance(value, str):
        import json

        value = json.loads(value)
    return value if isinstance(value, list) else []


def failing_checks(scope: Scope) -> Table:
    """The checks ranked by failures, with their CFR section and fail rate."""
    counts: dict[str, dict[str, int]] = {}
    for (check_id, outcome), count in rollups.check_outcomes(scope).items():
        counts.setdefault(check_id, {})[outcome] = count
    ranked = sorted(
        (check_id for check_id, outcomes in counts.items() if outcomes.get("fail")),
        key=lambda check_id: (-counts[check_id]["fail"], check_id),
    )
    citations = check_citations(ranked, scope)
    rows = []
    for check_id in ranked:
        outcomes = counts[check_id]
        evaluated = sum(outcomes.get(outcome, 0) for outcome in EVALUATED)
        rows.append(
            {
                "check": check_id,
                "title": spec.title if (spec := check_spec(check_id)) else "",
                "cfr": citations.get(check_id, ""),
                "fail": outcomes.get("fail", 0),
                "review": outcomes.get("review", 0),
                "evaluated": evaluated,
                "fail_rate": _rate(outcomes.get("fail", 0), evaluated),
            }
        )
    return Table(
        name="failing_checks",
        title="Failing checks, most failures first",
        columns=[
            ("check", "Check"),
            ("title", "About"),
            ("cfr", "CFR section"),
            ("fail", "Failed"),
            ("review", "Needs review"),
            ("evaluated", "Evaluated"),
            ("fail_rate", "Fail rate"),
        ],
        rows=rows,
    )


def backends(scope: Scope) -> Table:
    """Each backend's share of the verifications and its p50/p95 processing time.

    The percentiles are nearest-rank, read from a histogram of 2 % wide
    buckets (analytics/rollups.py), so they are within 1 % of the exact times.
    """
    counts: dict[str, int] = {}
    for (_day, backend, _verdict), count in rollups.verdicts_by_day_backend(scope).items():
        counts[backend] = counts.get(backend, 0) + count
    histograms: dict[str, dict[int, int]] = {}
    for (backend, bucket), count in rollups.latency_histograms(scope).items():
        histograms.setdefault(backend, {})[bucket] = count
    total = sum(counts.values())
    rows = []
    for backend, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        p50 = rollups.histogram_percentile(histograms.get(backend, {}), 0.5)
        p95 = rollups.histogram_percentile(histograms.get(backend, {}), 0.95)
        rows.append(
            {
                "backend": backend,
                "count": count,
                "share": _rate(count, total),
                "p50_ms": round(p50) if p50 is not None else None,
                "p95_ms": round(p95) if p95 is not None else None,
            }
        )
    return Table(
        name="backends",
        title="Backend share and processing time",
        columns=[
            ("backend", "Backend"),
            ("count", "Verifications"),
            ("share", "Share"),
            ("p50_ms", "p50 (ms)"),
            ("p95_ms", "p95 (ms)"),
        ],
        rows=rows,
    )


NOT_FILED = "(not filed)"


def failing_bottlers(scope: Scope) -> Table:
    """The bottlers or importers, as filed, with the most non-compliant labels."""
    rows = (
        verifications_in(scope)
        .filter(verdict=VerdictChoice.NON_COMPLIANT)
        .annotate(
            bottler=Coalesce(
                NullIf(KT("application__bottler"), Value("")),
                Value(NOT_FILED),
                output_field=TextField(),
            )
        )
        .values("bottler")
        .annotate(count=Count("id"))
        .order_by("-count", "bottler")[:TOP]
    )
    return Table(
        name="failing_bottlers",
        title="Bottlers and importers with the most non-compliant labels",
        columns=[("bottler", "Bottler or importer"), ("count", "Non-compliant")],
        rows=[{"bottler": row["bottler"], "count": row["count"]} for row in rows],
    )


ANONYMOUS = "(anonymous)"


def failing_users(scope: Scope) -> Table:
    """The users whose verifications were non-compliant most often."""
    rows = (
        verifications_in(scope)
        .filter(verdict=VerdictChoice.NON_COMPLIANT)
        .values("user__username")
        .annotate(count=Count("id"))
        .order_by("-count", "user__username")[:TOP]
    )
    return Table(
        name="failing_users",
        title="Users with the most non-compliant labels",
        columns=[("user", "User"), ("count", "Non-compliant")],
        rows=[{"user": row["user__username"] or ANONYMOUS, "count": row["count"]} for row in rows],
    )


# An agent's decision agrees with the machine when it approves what the machine
# found compliant, or rejects / asks for a correction of what it found non-compliant.
AGREES = {
    VerdictChoice.COMPLIANT: {DecisionOutcome.APPROVE},
    VerdictChoice.NON_COMPLIANT: {DecisionOutcome.REJECT, DecisionOutcome.REQUEST_CORRECTION},
}


def decisions_against_verdicts(scope: Scope) -> Table:
    """Each verification's latest agent decision against its machine verdict."""
    later = Decision.objects.filter(
        verification=OuterRef("verification"), created_at__gt=OuterRef("created_at")
    )
    counts = {
        (row["verification__verdict"], row["outcome"]): row["count"]
        for row in Decision.objects.filter(verification__in=verifications_in(scope))
        .exclude(Exists(later))
        .values("verification__verdict", "outcome")
        .annotate(count=Count("id"))
        .order_by()
    }
    rows = []
    for verdict in VerdictChoice:
        row: dict[str, Any] = {"verdict": verdict.label}
        for outcome in DecisionOutcome:
            row[outcome.value] = counts.get((verdict.value, outcome.value), 0)
        row["decided"] = sum(row[outcome.value] for outcome in DecisionOutcome)
        agreeing = sum(row[outcome.value] for outcome in AGREES.get(verdict, set()))
        row["agreement"] = _rate(agreeing, row["decided"]) if verdict in AGREES else None
        rows.append(row)
    return Table(
        name="decisions",
        title="Agent decisions against machine verdicts",
        columns=[
            ("verdict", "Machine verdict"),
            *[(outcome.value, outcome.label) for outcome in DecisionOutcome],
            ("decided", "Decided"),
            ("agreement", "Agent agrees"),
        ],
        rows=rows,
    )


TABLES: dict[str, Callable[[Scope], Table]] = {
    "verdicts_per_day": daily_verdicts,
    "review_rate": review_rate,
    "failing_checks": failing_checks,
    "backends": backends,
    "failing_bottlers": failing_bottlers,
    "failing_users": failing_users,
    "decisions": decisions_against_verdicts,
}
