"""Hand-built audit rows for the analytics tests: no OCR runs unless a test is about it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from analytics.backdated_rows import settable_created_at
from verifier.models import Verification

# A fixed "now" for the hand-counted fixtures: noon, so whole days are unambiguous.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def result_for(check_outcomes: dict[str, str]) -> dict[str, Any]:
    return {
        "checks": [
            {"id": check_id, "outcome": outcome, "cfr": f"27 CFR {check_id}"}
            for check_id, outcome in check_outcomes.items()
        ],
        "extracted_fields": {},
    }


def audit_row(
    *,
    at: datetime = NOW,
    verdict: str = "COMPLIANT",
    checks: dict[str, str] | None = None,
    backend: str = "tesseract",
    processing_ms: int = 1000,
    beverage_type: str = "wine",
    channel: str = "api",
    bottler: str | None = "Stone Ridge Winery, Napa, CA",
    user: User | None = None,
    batch: Any = None,
) -> Verification:
    """An unsaved audit row as the service would write it."""
    checks = checks if checks is not None else {"brand_name": "pass"}
    return Verification(
        request_id=uuid.uuid4(),
        created_at=at,
        channel=channel,
        backend_requested=backend,
        backend_used=backend,
        engine_version="1.0.0",
        application={"bottler": bottler} if bottler is not None else {},
        beverage_type=beverage_type,
        verdict=verdict,
        check_outcomes=checks,
        result=result_for(checks),
        processing_ms=processing_ms,
        user=user,
        batch=batch,
    )


@pytest.fixture
def add_rows(db: None) -> Callable[..., list[Verification]]:
    """`add_rows(row, row, ...)`: bulk-insert unsaved audit rows with their own times."""

    def add(*rows: Verification) -> list[Verification]:
        with settable_created_at(Verification):
            return Verification.objects.bulk_create(rows)

    return add


def days_ago(days: float, *, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


@pytest.fixture
def analyst(client: Client, db: None) -> Client:
    """A staff member allowed to see the dashboard, and nothing else."""
    user = User.objects.create_user("analyst", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    client.force_login(user)
    return client
