"""Pictures for the dashboard's tables: which chart each table gets."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from analytics.aggregates import Table
from analytics.charts import COLORS, Series, horizontal_bars, stacked_columns
from verifier.models import DecisionOutcome, VerdictChoice

VERDICT_COLORS = {
    VerdictChoice.COMPLIANT: COLORS[0],
    VerdictChoice.NON_COMPLIANT: COLORS[1],
    VerdictChoice.NEEDS_REVIEW: COLORS[2],
}
CHART_ROWS = 15


@dataclass(frozen=True)
class Panel:
    table: Table
    charts: list[SafeString]


def _column(table: Table, key: str, rows: int | None = None) -> list[float | None]:
    return [row[key] for row in table.rows[:rows]]


def charts_for(table: Table) -> list[SafeString]:
    if not table.rows:
        return []
    if table.name == "verdicts_per_day":
        return [
            stacked_columns(
                table.title,
                _column(table, "day"),  # type: ignore[arg-type]
                [
                    Series(verdict.label, _column(table, verdict.value), VERDICT_COLORS[verdict])
                    for verdict in VerdictChoice
                ],
            )
        ]
    if table.name == "decisions":
        if not any(row["decided"] for row in table.rows):
            return []
        return [
            horizontal_bars(
                table.title,
                _column(table, "verdict"),  # type: ignore[arg-type]
                [
                    Series(outcome.label, _column(table, outcome.value), color)
                    for outcome, color in zip(DecisionOutcome, COLORS, strict=False)
                ],
            )
        ]
    if table.name == "backends":
        labels: list[str] = _column(table, "backend")  # type: ignore[assignment]
        return [
            horizontal_bars(
                "Backend share (verifications)",
                labels,
                [Series("Verifications", _column(table, "count"), COLORS[3])],
            ),
            horizontal_bars(
                "Processing time per backend (ms)",
                labels,
                [
                    Series("p50", _column(table, "p50_ms"), COLORS[3]),
                    Series("p95", _column(table, "p95_ms"), COLORS[4]),
                ],
            ),
        ]
    label_key, value_key, color = {
        "review_rate": ("verdict", "count", COLORS[3]),
        "failing_checks": ("check", "fail", COLORS[1]),
        "failing_bottlers": ("bottler", "count", COLORS[1]),
        "failing_users": ("user", "count", COLORS[1]),
    }[table.name]
    return [
        horizontal_bars(
            table.title,
            [str(label) for label in _column(table, label_key, CHART_ROWS)],
            [Series(table.columns[-1][1], _column(table, value_key, CHART_ROWS), color)],
        )
    ]


def panels_for(tables: list[Table]) -> list[Panel]:
    return [Panel(table=table, charts=charts_for(table)) for table in tables]
