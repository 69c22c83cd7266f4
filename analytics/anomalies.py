"""Find what changed in the last window against its baseline.

The window is the last `window_hours` (24 by default), read from the audit
rows; the baseline is the `baseline_days` (28) whole UTC days before the
window's first day, read from the daily rollups. Four findings:

- **A check's fail rate** above its baseline: a one-sided two-proportion
  z-test (pooled), flagged when z >= 3.09 (p < 0.001) with at least
  `MIN_WINDOW` evaluations of the check in the window, `MIN_BASELINE` in the
  baseline, and at least `MIN_HITS` failures in the window. One check of ~15
  run daily at p < 0.001 raises a false alert about once in 2 years.
- **The same failing check on >= 3 labels** of one bottler or importer (as
  filed), or of one batch, within the window: a count, no test.
- **A p95 latency regression** per backend: under no change 5 % of the
  window's times exceed the baseline p95, so the count above it is
  Binomial(n, 0.05); flagged when P(X >= count) < 0.001, n >= `MIN_WINDOW`,
  and the window's p95 is at least 20 % above the baseline's.
- **A jump in the review rate** (NEEDS_REVIEW share): the same z-test as
  for a check's fail rate.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from analytics import rollups
from analytics.models import AlertKind
from analytics.scope import Scope
from analytics.statistics import binomial_upper_tail, normal_upper_tail, two_proportion_z
from verifier.models import VerdictChoice, Verification

Z_THRESHOLD = 3.09  # one-sided p < 0.001
P_THRESHOLD = 0.001
MIN_WINDOW = 30
MIN_BASELINE = 100
MIN_HITS = 5
REPEATS = 3
LATENCY_RATIO = 1.2


@dataclass(frozen=True)
class Finding:
    kind: AlertKind
    subject: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Windows:
    start: datetime
    end: datetime
    baseline: Scope

    @classmethod
    def ending(cls, now: datetime, *, window_hours: int, baseline_days: int) -> Windows:
        start = now - timedelta(hours=window_hours)
        last = start.date() - timedelta(days=1)
        return cls(
            start=start,
            end=now,
            baseline=Scope(first_day=last - timedelta(days=baseline_days - 1), last_day=last),
        )

    def rows(self) -> Any:
        return Verification.objects.filter(created_at__gte=self.start, created_at__lt=self.end)


def _rate_finding(
    *,
    kind: AlertKind,
    subject: str,
    what: str,
    window: tuple[int, int],
    baseline: tuple[int, int],
) -> Finding | None:
    (window_hits, window_total), (baseline_hits, baseline_total) = window, baseline
    if window_total < MIN_WINDOW or baseline_total < MIN_BASELINE or window_hits < MIN_HITS:
        return None
    z = two_proportion_z(window_hits, window_total, baseline_hits, baseline_total)
    if z < Z_THRESHOLD:
        return None
    return Finding(
        kind=kind,
        subject=subject,
        message=(
            f"{what}: {window_hits}/{window_total} ({window_hits / window_total:.1%}) in the "
            f"window against {baseline_hits}/{baseline_total} "
            f"({baseline_hits / baseline_total:.1%}) in the baseline (z = {z:.2f})."
        ),
        details={
            "window": [window_hits, window_total],
            "baseline": [baseline_hits, baseline_total],
            "z": round(z, 3),
            "p_value": normal_upper_tail(z),
        },
    )


def check_fail_rates(windows: Windows) -> list[Finding]:
    baseline: dict[str, list[int]] = {}
    for (check_id, outcome), count in rollups.check_outcomes(windows.baseline).items():
        _tally(baseline, check_id, outcome, count)
    window: dict[str, list[int]] = {}
    where = "v.created_at >= %s AND v.created_at < %s"
    with connection.cursor() as cursor:
        cursor.execute(rollups.check_counts_sql(where), [windows.start, windows.end])
        for *_, check_id, outcome, count in cursor:
            _tally(window, check_id, outcome, count)
    findings = []
    for check_id in sorted(window):
        finding = _rate_finding(
            kind=AlertKind.CHECK_FAIL_RATE,
            subject=check_id,
            what=f"Check {check_id} fails more often",
            window=tuple(window[check_id]),  # type: ignore[arg-type]
            baseline=tuple(baseline.get(check_id, [0, 0])),  # type: ignore[arg-type]
        )
        if finding:
            findings.append(finding)
    return findings


def _tally(counts: dict[str, list[int]], check_id: str, outcome: str, count: int) -> None:
    hits_total = counts.setdefault(check_id, [0, 0])
    if outcome in ("pass", "fail", "review"):
        hits_total[1] += count
        if outcome == "fail":
            hits_total[0] += count


def review_rate_jump(windows: Windows) -> list[Finding]:
    baseline = [0, 0]
    for (_day, _backend, verdict), count in rollups.verdicts_by_day_backend(
        windows.baseline
    ).items():
        baseline[1] += count
        baseline[0] += count if verdict == VerdictChoice.NEEDS_REVIEW else 0
    window = windows.rows().aggregate(
        hits=Count("id", filter=Q(verdict=VerdictChoice.NEEDS_REVIEW)), total=Count("id")
    )
    finding = _rate_finding(
        kind=AlertKind.REVIEW_RATE,
        subject="review rate",
        what="More labels need review",
        window=(window["hits"], window["total"]),
        baseline=(baseline[0], baseline[1]),
    )
    return [finding] if finding else []


def latency_regressions(windows: Windows) -> list[Finding]:
    histograms: dict[str, dict[int, int]] = {}
    for (backend, bucket), count in rollups.latency_histograms(windows.baseline).items():
        histograms.setdefault(backend, {})[bucket] = count
    findings = []
    for backend, histogram in sorted(histograms.items()):
        if sum(histogram.values()) < MIN_BASELINE:
            continue
        baseline_p95 = rollups.histogram_percentile(histogram, 0.95)
        assert baseline_p95 is not None
        rows = windows.rows().filter(backend_used=backend)
        times = sorted(rows.values_list("processing_ms", flat=True))
        if len(times) < MIN_WINDOW:
            continue
        above = sum(1 for milliseconds in times if milliseconds > baseline_p95)
        window_p95 = times[max(0, -(-len(times) * 95 // 100) - 1)]  # nearest rank
        p_value = binomial_upper_tail(above, len(times), 0.05)
        if p_value >= P_THRESHOLD or window_p95 < baseline_p95 * LATENCY_RATIO:
            continue
        findings.append(
            Finding(
                kind=AlertKind.LATENCY_P95,
                subject=backend,
                message=(
                    f"{backend} is slower: p95 {window_p95} ms in the window against "
                    f"{baseline_p95:.0f} ms in the baseline; {above} of {len(times)} "
                    f"above the old p95 (p = {p_value:.1e})."
                ),
                details={
                    "window_p95_ms": window_p95,
                    "baseline_p95_ms": round(baseline_p95),
                    "above": above,
                    "total": len(times),
                    "p_value": p_value,
                },
            )
        )
    return findings


def repeated_failures(windows: Windows) -> list[Finding]:
    """The same check failing on >= REPEATS labels of one bottler, or of one batch."""
    table = Verification._meta.db_table
    if connection.vendor == "postgresql":
        each = "CROSS JOIN LATERAL jsonb_each_text(v.check_outcomes) AS o"
        bottler = "v.application->>'bottler'"
    else:
        each = ", json_each(v.check_outcomes) AS o"
        bottler = "json_extract(v.application, '$.bottler')"
    findings = []
    groups = (
        (bottler, f"{bottler} IS NOT NULL AND {bottler} != ''", "bottler or importer"),
        ("v.batch_id", "v.batch_id IS NOT NULL", "batch"),
    )
    for group, present, label in groups:
        sql = (
            f"SELECT {group}, o.key, COUNT(*) FROM {table} v {each} "
            f"WHERE v.created_at >= %s AND v.created_at < %s AND o.value = 'fail' "
            f"AND {present} "
            f"GROUP BY {group}, o.key HAVING COUNT(*) >= %s ORDER BY 1, 2"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [windows.start, windows.end, REPEATS])
            for value, check_id, count in cursor.fetchall():
                # SQLite keeps a batch's UUID as bare hex; say it the usual way.
                name = str(uuid.UUID(str(value))) if label == "batch" else value
                findings.append(
                    Finding(
                        kind=AlertKind.REPEATED_FAILURE,
                        subject=f"{label} {name}: {check_id}",
                        message=f"Check {check_id} failed on {count} labels of {label} {name}.",
                        details={label: str(name), "check": check_id, "labels": count},
                    )
                )
    return findings


def detect(
    *, now: datetime | None = None, window_hours: int = 24, baseline_days: int = 28
) -> tuple[Windows, list[Finding]]:
    windows = Windows.ending(
        now or timezone.now(), window_hours=window_hours, baseline_days=baseline_days
    )
    findings = [
        *check_fail_rates(windows),
        *repeated_failures(windows),
        *latency_regressions(windows),
        *review_rate_jump(windows),
    ]
    return windows, findings
