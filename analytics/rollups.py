"""Daily rollups of the audit rows, built the first time the dashboard needs a day.

The dashboard sums the kept counts for days that are over and aggregates only
the rest (today, usually) from the audit rows: a month of 100,000 audit rows
is then about a thousand small rollup rows (one per day and combination of
filters), not a scan of every audit row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast, Floor, Greatest, Ln, TruncDate
from django.utils import timezone

from analytics.models import DailyRollup, RolledUpDay
from analytics.scope import Scope, start_of_day, verifications_in
from verifier.models import Verification

# A day is rolled up only once it has been over this long: a verification
# stamped just before midnight may still be committing just after it.
SETTLE = timedelta(minutes=15)
BUCKET_BASE = 1.02  # latency histogram buckets 2 % wide: percentiles within 1 %
DIMENSIONS = ("beverage_type", "channel", "backend")


def latency_bucket() -> Any:
    """The histogram bucket of a row's processing time, computed in the database."""
    return Cast(
        Floor(Ln(Greatest(F("processing_ms"), Value(1))) / Value(math.log(BUCKET_BASE))),
        IntegerField(),
    )


def bucket_value(bucket: int) -> float:
    """A bucket's representative time: its geometric middle."""
    return BUCKET_BASE ** (bucket + 0.5)


def settled(day: date, now: datetime) -> bool:
    return start_of_day(day + timedelta(days=1)) + SETTLE <= now


def check_counts_sql(where: str, *, by_day: bool = False) -> str:
    """Per (dimensions, check, outcome) counts of the audit rows matching `where`
    (alias v); with `by_day`, the UTC day comes first."""
    table = Verification._meta.db_table
    if connection.vendor == "postgresql":
        each = "CROSS JOIN LATERAL jsonb_each_text(v.check_outcomes) AS o"
        day = "(v.created_at AT TIME ZONE 'UTC')::date"
    else:
        each = ", json_each(v.check_outcomes) AS o"
        day = "date(v.created_at)"  # stored as UTC text
    columns = "v.beverage_type, v.channel, v.backend_used, o.key, o.value"
    if by_day:
        columns = f"{day}, {columns}"
    return f"SELECT {columns}, COUNT(*) FROM {table} v {each} WHERE {where} GROUP BY {columns}"


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _day_counts(days: list[date]) -> dict[tuple, dict[str, dict]]:
    """(day, beverage type, channel, backend) -> the rollup's three count maps,
    from one pass over the audit rows of min(days)..max(days)."""
    wanted = set(days)
    start, end = start_of_day(min(days)), start_of_day(max(days) + timedelta(days=1))
    rows = Verification.objects.filter(created_at__gte=start, created_at__lt=end).annotate(
        day=TruncDate("created_at"), backend=F("backend_used")
    )
    counts: dict[tuple, dict[str, dict]] = {}

    def maps(day: date, *dimensions: str) -> dict[str, dict]:
        return counts.setdefault((day, *dimensions), {"verdicts": {}, "checks": {}, "latency": {}})

    for row in rows.values("day", *DIMENSIONS, "verdict").annotate(n=Count("id")).order_by():
        if row["day"] in wanted:
            key = [row[name] for name in DIMENSIONS]
            maps(row["day"], *key)["verdicts"][row["verdict"]] = row["n"]
    for row in (
        rows.annotate(bucket=latency_bucket())
        .values("day", *DIMENSIONS, "bucket")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if row["day"] in wanted:
            key = [row[name] for name in DIMENSIONS]
            maps(row["day"], *key)["latency"][str(row["bucket"])] = row["n"]
    with connection.cursor() as cursor:
        cursor.execute(
            check_counts_sql("v.created_at >= %s AND v.created_at < %s", by_day=True), [start, end]
        )
        for day, beverage_type, channel, backend, check_id, outcome, n in cursor:
            if _as_date(day) in wanted:
                checks = maps(_as_date(day), beverage_type, channel, backend)["checks"]
                checks.setdefault(check_id, {})[outcome] = n
    return counts


def rollup_days(days: list[date]) -> None:
    """Keep the counts of `days` (each over), reading their audit rows in one pass.

    If another process rolled up one of them meanwhile, the batch is undone and
    each day is tried on its own, so no day is ever counted twice.
    """
    if not days:
        return
    counts = _day_counts(days)
    try:
        with transaction.atomic():
            RolledUpDay.objects.bulk_create(RolledUpDay(day=day) for day in sorted(set(days)))
            DailyRollup.objects.bulk_create(
                DailyRollup(
                    day=day, beverage_type=beverage_type, channel=channel, backend=backend, **maps
                )
                for (day, beverage_type, channel, backend), maps in counts.items()
            )
    except IntegrityError:
        if len(days) > 1:
            for day in days:
                rollup_days([day])
        # A single day: another process rolled it up first.


@dataclass(frozen=True)
class Split:
    """A scope cut in two: days whose counts are kept, and the rest, read live."""

    kept_days: list[date]
    live: list[Scope]  # runs of consecutive days not kept


def split(scope: Scope, *, now: datetime | None = None) -> Split:
    """Roll up the scope's settled days not rolled up yet, and say which are kept."""
    now = now or timezone.now()
    wanted = [day for day in scope.days if settled(day, now)]
    have = set(RolledUpDay.objects.filter(day__in=wanted).values_list("day", flat=True))
    rollup_days([day for day in wanted if day not in have])
    kept_days = set(wanted)
    live: list[Scope] = []
    for day in scope.days:
        if day in kept_days:
            continue
        if live and live[-1].last_day == day - timedelta(days=1):
            live[-1] = _with_days(live[-1], live[-1].first_day, day)
        else:
            live.append(_with_days(scope, day, day))
    return Split(kept_days=sorted(kept_days), live=live)


def _with_days(scope: Scope, first: date, last: date) -> Scope:
    return Scope(
        first_day=first,
        last_day=last,
        beverage_type=scope.beverage_type,
        channel=scope.channel,
        backend=scope.backend,
    )


def kept(scope: Scope, days: list[date]) -> QuerySet[DailyRollup]:
    """The rollup rows for `days` under the scope's filters."""
    queryset = DailyRollup.objects.filter(day__in=days) if days else DailyRollup.objects.none()
    for dimension in DIMENSIONS:
        value = getattr(scope, dimension)
        if value:
            queryset = queryset.filter(**{dimension: value})
    return queryset


def merge(counts: Iterable[tuple[tuple, int]]) -> dict[tuple, int]:
    merged: dict[tuple, int] = {}
    for key, count in counts:
        merged[key] = merged.get(key, 0) + count
    return merged


def verdicts_by_day_backend(scope: Scope) -> dict[tuple[date, str, str], int]:
    """(day, backend, verdict) -> count over the scope."""
    parts = split(scope)
    rows: list[tuple[tuple, int]] = [
        ((day, backend, verdict), count)
        for day, backend, verdicts in kept(scope, parts.kept_days).values_list(
            "day", "backend", "verdicts"
        )
        for verdict, count in verdicts.items()
    ]
    for live in parts.live:
        rows += [
            ((row["day"], row["backend_used"], row["verdict"]), row["total"])
            for row in verifications_in(live)
            .annotate(day=TruncDate("created_at"))
            .values("day", "backend_used", "verdict")
            .annotate(total=Count("id"))
            .order_by()
        ]
    return merge(rows)


def check_outcomes(scope: Scope) -> dict[tuple[str, str], int]:
    """(check id, outcome) -> count over the scope."""
    parts = split(scope)
    rows: list[tuple[tuple, int]] = [
        ((check_id, outcome), count)
        for checks in kept(scope, parts.kept_days).values_list("checks", flat=True)
        for check_id, outcomes in checks.items()
        for outcome, count in outcomes.items()
    ]
    for live in parts.live:
        where, params = _live_where(live)
        with connection.cursor() as cursor:
            cursor.execute(check_counts_sql(where), params)
            rows += [((check_id, outcome), count) for *_, check_id, outcome, count in cursor]
    return merge(rows)


def _live_where(scope: Scope) -> tuple[str, list[Any]]:
    conditions, params = ["v.created_at >= %s", "v.created_at < %s"], [scope.start, scope.end]
    for column, value in (
        ("beverage_type", scope.beverage_type),
        ("channel", scope.channel),
        ("backend_used", scope.backend),
    ):
        if value:
            conditions.append(f"v.{column} = %s")
            params.append(value)
    return " AND ".join(conditions), params


def latency_histograms(scope: Scope) -> dict[tuple[str, int], int]:
    """(backend, bucket) -> count over the scope."""
    parts = split(scope)
    rows: list[tuple[tuple, int]] = [
        ((backend, int(bucket)), count)
        for backend, latency in kept(scope, parts.kept_days).values_list("backend", "latency")
        for bucket, count in latency.items()
    ]
    for live in parts.live:
        rows += [
            ((row["backend_used"], row["bucket"]), row["total"])
            for row in verifications_in(live)
            .annotate(bucket=latency_bucket())
            .values("backend_used", "bucket")
            .annotate(total=Count("id"))
            .order_by()
        ]
    return merge(rows)


def histogram_percentile(histogram: dict[int, int], fraction: float) -> float | None:
    """The nearest-rank percentile: the first bucket holding the ceil(fraction * n)-th time."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return bucket_value(bucket)
    return None  # not reached
