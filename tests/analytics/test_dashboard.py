"""The dashboard's aggregates against hand-counted rows, its page, permission and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import escape

from analytics import aggregates
from analytics.backdated_rows import settable_created_at
from analytics.scope import Scope
from tests.analytics.conftest import NOW, audit_row, days_ago
from verifier.engine.rules import check_spec
from verifier.models import Decision

RANGE = Scope(first_day=date(2026, 11, 18), last_day=date(2026, 11, 20))
QUERY = {"start": "2026-11-18", "end": "2026-11-20"}


@pytest.fixture
def rows(add_rows, db):
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    rows = add_rows(
        audit_row(
            at=days_ago(0),
            checks={"brand_name": "pass", "warning_text": "pass"},
            processing_ms=1000,
            bottler="Alpha Cellars",
            user=alice,
        ),
        audit_row(
            at=days_ago(0, hours=1),
            verdict="NON_COMPLIANT",
            checks={"brand_name": "fail", "warning_text": "fail"},
            processing_ms=2000,
            bottler="Alpha Cellars",
            user=alice,
        ),
        audit_row(
            at=days_ago(1),
            verdict="NON_COMPLIANT",
            checks={"brand_name": "pass", "warning_text": "fail"},
            backend="ollama",
            processing_ms=5000,
            bottler="Beta Imports",
            user=bob,
        ),
        audit_row(
            at=days_ago(1, hours=2),
            verdict="NEEDS_REVIEW",
            checks={"brand_name": "review", "warning_text": "pass"},
            processing_ms=3000,
            bottler=None,
        ),
        audit_row(
            at=days_ago(2),
            verdict="NON_COMPLIANT",
            checks={"warning_text": "fail", "standard_of_fill": "not_applicable"},
            processing_ms=4000,
            beverage_type="distilled_spirits",
            channel="web",
            bottler="Alpha Cellars",
        ),
        # Outside the range on both sides: counted nowhere.
        audit_row(at=days_ago(10), verdict="NON_COMPLIANT", checks={"brand_name": "fail"}),
        audit_row(at=days_ago(-1), verdict="NON_COMPLIANT", checks={"brand_name": "fail"}),
    )
    return rows


def by(table, key):
    return {row[key]: row for row in table.rows}


def test_verifications_per_day_by_verdict_with_review_rate(rows):
    table = aggregates.daily_verdicts(RANGE)

    assert [row["day"] for row in table.rows] == ["2026-11-18", "2026-11-19", "2026-11-20"]
    days = by(table, "day")
    assert days["2026-11-18"] == {
        "day": "2026-11-18",
        "COMPLIANT": 0,
        "NON_COMPLIANT": 1,
        "NEEDS_REVIEW": 0,
        "total": 1,
        "review_rate": 0.0,
    }
    assert days["2026-11-19"]["NEEDS_REVIEW"] == 1 and days["2026-11-19"]["review_rate"] == 0.5
    assert days["2026-11-20"]["COMPLIANT"] == 1 and days["2026-11-20"]["NON_COMPLIANT"] == 1


def test_review_rate_over_the_range(rows):
    table = by(aggregates.review_rate(RANGE), "verdict")

    assert table["Needs review"] == {"verdict": "Needs review", "count": 1, "share": 0.2}
    assert table["Non-compliant"]["count"] == 3 and table["Compliant"]["count"] == 1


def test_failing_checks_ranked_with_cfr_section_and_rate(rows):
    table = aggregates.failing_checks(RANGE)

    assert table.rows == [
        {
            "check": "warning_text",
            "title": check_spec("warning_text").title,
            "cfr": check_spec("warning_text").cfr,
            "fail": 3,
            "review": 0,
            "evaluated": 5,
            "fail_rate": 0.6,
        },
        {
            "check": "brand_name",
            "title": check_spec("brand_name").title,
            "cfr": check_spec("brand_name").cfr,
            "fail": 1,
            "review": 1,
            "evaluated": 4,
            "fail_rate": 0.25,
        },
    ]


def test_filters_narrow_every_aggregate(rows):
    wine = Scope(first_day=RANGE.first_day, last_day=RANGE.last_day, beverage_type="wine")
    web = Scope(first_day=RANGE.first_day, last_day=RANGE.last_day, channel="web")
    ollama = Scope(first_day=RANGE.first_day, last_day=RANGE.last_day, backend="ollama")

    assert by(aggregates.failing_checks(wine), "check")["warning_text"]["fail"] == 2
    assert [row["check"] for row in aggregates.failing_checks(web).rows] == ["warning_text"]
    assert sum(row["total"] for row in aggregates.daily_verdicts(ollama).rows) == 1


def test_backend_share_and_percentiles(rows):
    table = by(aggregates.backends(RANGE), "backend")

    # tesseract: 1000, 2000, 3000, 4000 ms. Nearest rank: p50 is the 2nd, p95 the 4th,
    # read from 2 %-wide histogram buckets, so within 1 %.
    assert table["tesseract"]["count"] == 4 and table["tesseract"]["share"] == 0.8
    assert table["tesseract"]["p50_ms"] == pytest.approx(2000, rel=0.01)
    assert table["tesseract"]["p95_ms"] == pytest.approx(4000, rel=0.01)
    assert table["ollama"]["count"] == 1 and table["ollama"]["share"] == 0.2
    assert table["ollama"]["p50_ms"] == pytest.approx(5000, rel=0.01)


def test_bottlers_and_users_with_most_failures(rows):
    bottlers = aggregates.failing_bottlers(RANGE).rows
    users = aggregates.failing_users(RANGE).rows

    assert bottlers == [
        {"bottler": "Alpha Cellars", "count": 2},
        {"bottler": "Beta Imports", "count": 1},
    ]
    assert {row["user"]: row["count"] for row in users} == {
        "alice": 1,
        "bob": 1,
        "(anonymous)": 1,
    }


def test_latest_decision_against_machine_verdict(rows):
    agent = User.objects.create_user("agent")
    compliant, non_compliant = rows[0], rows[1]
    with settable_created_at(Decision):
        Decision.objects.bulk_create(
            [
                Decision(
                    verification=compliant,
                    user=agent,
                    channel="web",
                    outcome="approve",
                    created_at=NOW,
                ),
                Decision(
                    verification=non_compliant,
                    user=agent,
                    channel="web",
                    outcome="reject",
                    created_at=days_ago(0, hours=1),
                ),
                # A later decision supersedes the earlier one on the same verification.
                Decision(
                    verification=non_compliant,
                    user=agent,
                    channel="web",
                    outcome="approve",
                    created_at=NOW,
                ),
            ]
        )

    table = by(aggregates.decisions_against_verdicts(RANGE), "verdict")

    assert table["Compliant"]["approve"] == 1 and table["Compliant"]["agreement"] == 1.0
    assert table["Non-compliant"]["approve"] == 1 and table["Non-compliant"]["reject"] == 0
    assert table["Non-compliant"]["agreement"] == 0.0
    assert table["Needs review"]["decided"] == 0 and table["Needs review"]["agreement"] is None


def test_dashboard_page_draws_each_chart_over_its_table(rows, analyst: Client):
    response = analyst.get("/admin/analytics/", QUERY)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") >= 6 and "<title>Failing checks, most failures first</title>" in page
    assert '<table id="failing_checks">' in page
    assert escape(check_spec("warning_text").cfr) in page
    assert "/admin/analytics/failing_checks.csv?start=2026-11-18&amp;end=2026-11-20" in page
    assert "<script" not in page.split('id="content"')[1]
    assert "<td>20.0%</td>" in page  # the review share, shown as a percentage


def test_csv_export_holds_the_tables_numbers(rows, analyst: Client):
    response = analyst.get("/admin/analytics/failing_checks.csv", QUERY)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == [
        "Check",
        "About",
        "CFR section",
        "Failed",
        "Needs review",
        "Evaluated",
        "Fail rate",
    ]
    spec = check_spec("warning_text")
    assert lines[1] == ["warning_text", spec.title, spec.cfr, "3", "0", "5", "0.6"]
    assert analyst.get("/admin/analytics/nothing.csv", QUERY).status_code == 404


def test_a_backwards_range_is_a_400_saying_so(analyst: Client):
    response = analyst.get("/admin/analytics/", {"start": "2026-11-20", "end": "2026-11-01"})

    assert response.status_code == 400
    assert "The start date is after the end date." in response.content.decode()


def test_staff_without_the_permission_is_refused(client: Client, db):
    client.force_login(User.objects.create_user("clerk", is_staff=True))

    assert client.get("/admin/analytics/").status_code == 403
    assert client.get("/admin/analytics/backends.csv").status_code == 403
    assert "analytics-link" not in client.get("/admin/").content.decode()


def test_signed_out_visitors_go_to_the_admin_sign_in(client: Client, db):
    response = client.get("/admin/analytics/")

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_admin_index_links_the_dashboard(analyst: Client):
    page = analyst.get("/admin/").content.decode()

    assert 'id="analytics-link"' in page and 'href="/admin/analytics/"' in page


def test_a_check_the_registry_no_longer_lists_takes_its_citation_from_the_result(add_rows):
    add_rows(audit_row(at=days_ago(0), verdict="NON_COMPLIANT", checks={"retired_rule": "fail"}))

    assert aggregates.failing_checks(RANGE).rows[0]["cfr"] == "27 CFR retired_rule"
