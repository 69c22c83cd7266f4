"""Supervisors' admin in real Chromium: the audit list with its date filter, CSV
export and record links, the audit detail, and axe on every admin page."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.web.browser.conftest import screenshot, serious_violations
from verifier.models import Verification
from verifier.services.decisions import decision_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUDIT = "/admin/verifier/verification/"


def audit_row(brand: str, day: str, **fields: Any) -> Verification:
    """A hand-built audit row dated `day` (rows are append-only: the date is set in SQL)."""
    row = Verification.objects.create(
        request_id=uuid.uuid4(),
        channel="web",
        backend_requested="tesseract",
        backend_used="tesseract",
        engine_version="2.0.1",
        verdict="NON_COMPLIANT",
        brand_name=brand,
        beverage_type="wine",
        check_outcomes={"brand_name": "fail", "warning_text": "pass"},
        result={
            "status": "NON_COMPLIANT",
            "checks": [
                {"id": "warning_text", "outcome": "pass", "message": "Word for word."},
                {
                    "id": "brand_name",
                    "outcome": "fail",
                    "message": "The brand on the label differs.",
                    "expected": brand,
                    "found": "Old Harbour",
                },
            ],
        },
        processing_ms=300,
        **fields,
    )
    created_at = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE verifier_verification SET created_at = %s WHERE id = %s", [created_at, row.pk]
        )
    return row


@pytest.fixture
def supervisor(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser(username="boss", password="pw-boss-123")


@pytest.fixture
def admin_page(browser: Any, live_server: Any, client: Any, supervisor: Any) -> Any:
    """A 1366×768 page signed in as a superuser (the session cookie of a forced login)."""
    client.force_login(supervisor)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    context.set_default_timeout(15_000)
    host = live_server.url.split("//", 1)[1].rsplit(":", 1)[0]
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    yield page
    context.close()


def test_audit_list_filters_by_date_links_records_and_exports_csv(
    admin_page, live_server, supervisor
):
    page = admin_page
    audit_row("Early Bird", "2026-03-01")
    wanted = audit_row("=Copper Heron", "2026-03-15")
    audit_row("Late Owl", "2026-04-02")
    decision_create(verification=wanted, user=supervisor, channel="web", outcome="reject")
    decision_create(verification=wanted, user=supervisor, channel="web", outcome="approve")

    page.goto(live_server.url + AUDIT)
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    assert serious_violations(page) == []
    screenshot(page, "admin-audit-list-1366")
    compact = page.locator("#result_list tbody tr", has_text="Copper Heron").locator(
        ".field-short_id"
    )
    assert compact.inner_text().strip() == str(wanted.request_id)[:8]
    record = page.get_by_role("link", name=f"Record {str(wanted.request_id)[:8]}")
    assert record.get_attribute("href") == f"/records/{wanted.request_id}/"

    page.get_by_label("Search", exact=True).fill("")  # the search box has a visible label
    page.get_by_label("From", exact=True).fill("2026-03-10")
    page.get_by_label("To (included)", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url("**created_from=2026-03-10**")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Copper Heron")
    expect(rows.first).to_contain_text("approve")
    assert serious_violations(page) == []
    screenshot(page, "admin-audit-filtered-1366")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV of this list").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(text)))
    assert [row["brand_name"] for row in exported] == ["'=Copper Heron"]  # never a formula
    assert exported[0]["decision"] == "approve"
    assert exported[0]["record_url"] == f"{live_server.url}/records/{wanted.request_id}/"


def test_audit_detail_shows_the_summary_and_decisions_before_the_raw_json(
    admin_page, live_server, supervisor
):
    page = admin_page
    row = audit_row("Copper Heron", "2026-03-15")
    decision_create(
        verification=row,
        user=supervisor,
        channel="web",
        outcome="approve",
        check_overrides={"brand_name": {"outcome": "pass", "reason": "the reading was wrong"}},
    )

    page.goto(f"{live_server.url}{AUDIT}{row.pk}/change/")
    summary = page.locator(".audit-summary")
    expect(summary).to_contain_text("Non-compliant")
    expect(summary.locator("tbody tr").first).to_contain_text("brand_name")  # problems first
    expect(page.locator(".audit-decisions")).to_contain_text("the reading was wrong")
    raw = page.locator(".field-pretty_result pre")
    assert summary.bounding_box()["y"] < raw.bounding_box()["y"]
    link = summary.get_by_role("link", name="Open the record page")
    assert link.get_attribute("href") == f"/records/{row.request_id}/"
    assert serious_violations(page) == []
    screenshot(page, "admin-audit-detail-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert serious_violations(page) == []
    screenshot(page, "admin-audit-detail-390")


def test_other_admin_pages_have_no_serious_findings(admin_page, live_server, supervisor):
    row = audit_row("Copper Heron", "2026-03-15")
    decision = decision_create(
        verification=row, user=supervisor, channel="api", outcome="request_correction"
    )
    for path in (
        "/admin/",
        "/admin/verifier/decision/",
        f"/admin/verifier/decision/{decision.pk}/change/",
        "/admin/verifier/decision/?created_from=2026-01-01",
        "/admin/artifacts/artifact/",
        "/admin/artifacts/artifact/?created_from=2026-01-01&created_to=2026-12-31",
        "/admin/artifacts/artifacttombstone/",
        "/admin/verifier/batch/",
    ):
        admin_page.goto(live_server.url + path)
        assert admin_page.title(), path
        assert serious_violations(admin_page) == [], path
