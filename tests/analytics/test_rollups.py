"""Daily rollups: days that are over are counted once and kept; the rest is read live."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from analytics import aggregates
from analytics.models import DailyRollup, RolledUpDay
from analytics.rollups import (
    SETTLE,
    histogram_percentile,
    latency_histograms,
    rollup_days,
    split,
)
from analytics.scope import Scope, start_of_day
from tests.analytics.conftest import audit_row


def test_a_day_that_is_over_is_rolled_up_once_and_then_read_from_the_rollup(add_rows):
    day = date(2026, 11, 3)
    add_rows(audit_row(at=start_of_day(day) + timedelta(hours=5), checks={"bottler": "fail"}))
    scope = Scope(first_day=day, last_day=day)

    assert aggregates.failing_checks(scope).rows[0]["fail"] == 1
    assert RolledUpDay.objects.filter(day=day).count() == 1
    assert DailyRollup.objects.get(day=day).checks == {"bottler": {"fail": 1}}
    # A row that turns up later for that day is not seen: the day was final.
    add_rows(audit_row(at=start_of_day(day) + timedelta(hours=6), checks={"bottler": "fail"}))
    assert aggregates.failing_checks(scope).rows[0]["fail"] == 1
    assert RolledUpDay.objects.filter(day=day).count() == 1


def test_today_is_read_live_and_only_settled_days_are_kept(add_rows):
    now = timezone.now()
    today = now.date()
    add_rows(
        audit_row(at=start_of_day(today), verdict="NEEDS_REVIEW", processing_ms=700),
        audit_row(at=start_of_day(today) - timedelta(days=1), processing_ms=900),
    )
    scope = Scope(first_day=today - timedelta(days=1), last_day=today)

    parts = split(scope, now=start_of_day(today) + SETTLE)
    assert parts.kept_days == [today - timedelta(days=1)]
    assert [(live.first_day, live.last_day) for live in parts.live] == [(today, today)]
    totals = {row["day"]: row["total"] for row in aggregates.daily_verdicts(scope).rows}
    assert totals == {(today - timedelta(days=1)).isoformat(): 1, today.isoformat(): 1}
    assert not RolledUpDay.objects.filter(day=today).exists()


def test_the_latency_histogram_matches_the_exact_times_within_one_percent(add_rows):
    day = date(2026, 11, 4)
    times = [120, 480, 950, 1333, 2710, 9999, 15000, 22222, 40000, 61234]
    add_rows(*(audit_row(at=start_of_day(day), processing_ms=ms) for ms in times))
    histogram = {
        bucket: count
        for (_, bucket), count in latency_histograms(Scope(first_day=day, last_day=day)).items()
    }

    for fraction, exact in ((0.5, 2710), (0.95, 61234), (0.1, 120)):
        assert abs(histogram_percentile(histogram, fraction) - exact) <= exact * 0.01


def test_several_days_roll_up_in_one_pass_and_a_day_done_meanwhile_is_not_counted_twice(
    add_rows,
):
    first, second, third = date(2026, 11, 5), date(2026, 11, 6), date(2026, 11, 7)
    add_rows(
        *(
            audit_row(
                at=start_of_day(day) + timedelta(hours=23, minutes=59), checks={"bottler": "fail"}
            )
            for day in (first, second, second, third)
        )
    )
    rollup_days([second])  # another process got there first

    rollup_days([first, second, third])

    counts = {row.day: row.checks["bottler"]["fail"] for row in DailyRollup.objects.all()}
    assert counts == {first: 1, second: 2, third: 1}
    assert sorted(RolledUpDay.objects.values_list("day", flat=True)) == [first, second, third]
