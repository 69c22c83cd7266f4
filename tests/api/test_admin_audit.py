"""The supervisors' audit admin: the from–to date filter, the CSV export of the
filtered list, the backend filter, and agents' decisions (read-only)."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from django.db import connection

from verifier.engine.rules import CHECKS
from verifier.models import Decision, Verification
from verifier.services.decisions import decision_create

pytestmark = pytest.mark.django_db

AUDIT = "/admin/verifier/verification/"


def audit_row(brand: str, when: str = "2026-03-15T12:00:00+00:00", **fields: Any) -> Verification:
    """A hand-built audit row created at `when` (append-only rows: the date is set in SQL)."""
    row = Verification.objects.create(
        request_id=uuid.uuid4(),
        channel=fields.pop("channel", "api"),
        backend_requested="tesseract",
        backend_used=fields.pop("backend_used", "tesseract"),
        engine_version="2.0.1",
        verdict="COMPLIANT",
        brand_name=brand,
        result={"status": "COMPLIANT"},
        processing_ms=300,
        **fields,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE verifier_verification SET created_at = %s WHERE id = %s",
            [datetime.fromisoformat(when), row.pk],
        )
    return row


@pytest.fixture
def supervisor(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser(username="boss", password="pw-boss-123")


@pytest.fixture
def admin(client: Any, supervisor: Any) -> Any:
    client.force_login(supervisor)
    return client


def listed(response: Any) -> list[str]:
    assert response.status_code == 200
    return [row.brand_name for row in response.context["cl"].result_list]


def exported(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_date_filter_takes_whole_days_both_included(admin):
    audit_row("Before", "2026-03-14T23:59:59+00:00")
    audit_row("First day", "2026-03-15T00:00:00+00:00")
    audit_row("Last day", "2026-03-31T23:59:59+00:00")
    audit_row("After", "2026-04-01T00:00:00+00:00")

    both = admin.get(AUDIT + "?created_from=2026-03-15&created_to=2026-03-31")
    assert listed(both) == ["Last day", "First day"]
    assert b'value="2026-03-15"' in both.content  # the form keeps what was asked
    assert listed(admin.get(AUDIT + "?created_from=2026-03-31")) == ["After", "Last day"]
    assert listed(admin.get(AUDIT + "?created_to=2026-03-14")) == ["Before"]
    assert admin.get(AUDIT + "?created_from=15/03/2026").url.endswith("?e=1")


def test_export_is_the_filtered_list_on_every_page_with_the_latest_decision(admin, supervisor):
    for number in range(55):  # more than one page of 50
        audit_row(f"Heron {number}", channel="web")
    audit_row("Not on the web", channel="api")
    decided = audit_row("=Decided", channel="web")
    decision_create(verification=decided, user=supervisor, channel="web", outcome="reject")
    decision_create(
        verification=decided, user=supervisor, channel="web", outcome="request_correction"
    )

    page = admin.get(AUDIT + "?channel__exact=web")
    assert b"export.csv?channel__exact=web" in page.content
    rows = exported(admin.get(AUDIT + "export.csv?channel__exact=web"))
    assert len(rows) == 56
    assert "Not on the web" not in {row["brand_name"] for row in rows}
    top = next(row for row in rows if row["request_id"] == str(decided.request_id))
    assert top["brand_name"] == "'=Decided"  # a spreadsheet must not run it
    assert top["decision"] == "request_correction"
    assert top["decided_at"]
    assert top["record_url"] == f"http://testserver/records/{decided.request_id}/"
    assert {row["decision"] for row in rows} - {"request_correction"} == {""}

    searched = exported(admin.get(AUDIT + "export.csv?channel__exact=web&q=decided"))
    assert [row["request_id"] for row in searched] == [str(decided.request_id)]


def test_export_with_a_bad_filter_is_a_bad_request(admin):
    assert admin.get(AUDIT + "export.csv?created_from=yesterday").status_code == 400
    assert admin.get(AUDIT + "export.csv?no_such_field=1").status_code == 400


def test_export_is_for_staff_only(client, django_user_model):
    agent = django_user_model.objects.create_user(username="agent", password="pw-agent-123")
    client.force_login(agent)
    response = client.get(AUDIT + "export.csv")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_list_links_records_with_a_compact_id_and_the_decision(admin, supervisor):
    row = audit_row("Copper Heron")
    decision_create(verification=row, user=supervisor, channel="web", outcome="approve")
    content = admin.get(AUDIT).content.decode()
    assert f'href="/records/{row.request_id}/"' in content
    assert f">{str(row.request_id)[:8]}</code>" in content
    assert ">approve<" in content


def test_backend_filter_offers_every_backend_including_auto(admin):
    audit_row("Read by auto", backend_used="auto")
    audit_row("Read by Tesseract")
    response = admin.get(AUDIT)
    assert b"?backend_used=auto" in response.content
    assert listed(admin.get(AUDIT + "?backend_used=auto")) == ["Read by auto"]
    artifacts = admin.get("/admin/artifacts/artifact/")
    assert b"?ocr_backend=auto" in artifacts.content


def test_decisions_are_listed_read_only_and_found_by_request_id(admin, supervisor):
    row = audit_row("Copper Heron")
    decision = decision_create(
        verification=row, user=supervisor, channel="web", outcome="approve", note="Looks right."
    )
    base = "/admin/verifier/decision/"
    assert admin.get(base + "add/").status_code == 403
    assert admin.get(f"{base}{decision.pk}/delete/").status_code == 403
    assert admin.post(f"{base}{decision.pk}/change/", {"note": "x"}).status_code == 403
    assert Decision.objects.get(pk=decision.pk).note == "Looks right."
    found = admin.get(f"{base}?q={row.request_id}")
    assert list(found.context["cl"].result_list) == [decision]
    assert list(admin.get(f"{base}?q={uuid.uuid4()}").context["cl"].result_list) == []

    detail = admin.get(f"{AUDIT}{row.pk}/change/").content.decode()
    assert "Looks right." in detail
    assert detail.index("audit-summary") < detail.index("audit-decisions")
    assert detail.index("audit-decisions") < detail.index("field-pretty_result")


def test_failed_check_filter_and_overrides_follow_the_check_registry(
    admin, supervisor, monkeypatch
):
    monkeypatch.setitem(
        CHECKS, "sulfites", replace(CHECKS["brand_name"], id="sulfites", title="Sulfite note")
    )
    audit_row("Brand failed", check_outcomes={"brand_name": "fail", "sulfites": "pass"})
    audit_row("Brand passed", check_outcomes={"brand_name": "pass"})
    sulfites = audit_row("Sulfites failed", check_outcomes={"sulfites": "fail"})

    page = admin.get(AUDIT)
    assert b"?failed_check=sulfites" in page.content
    assert b"Sulfite note" in page.content
    assert listed(admin.get(AUDIT + "?failed_check=brand_name")) == ["Brand failed"]
    assert listed(admin.get(AUDIT + "?failed_check=sulfites")) == ["Sulfites failed"]
    decision = decision_create(
        verification=sulfites,
        user=supervisor,
        channel="web",
        outcome="approve",
        check_overrides={"sulfites": {"outcome": "pass", "reason": "declared on the back"}},
    )
    assert decision.check_overrides["sulfites"]["outcome"] == "pass"
