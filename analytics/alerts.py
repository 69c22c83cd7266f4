"""Keep the detector's findings as alerts (once each) and post the new ones."""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from analytics.anomalies import Finding, Windows
from analytics.models import AnomalyAlert

logger = logging.getLogger(__name__)


def alerts_record(*, windows: Windows, findings: list[Finding]) -> list[AnomalyAlert]:
    """The findings not alerted before. One alert per kind and subject per UTC day
    of the window's end, so an hourly timer does not repeat itself all day."""
    new = []
    for finding in findings:
        fingerprint = f"{finding.kind}|{finding.subject}|{windows.end.date()}"[:400]
        try:
            with transaction.atomic():
                new.append(
                    AnomalyAlert.objects.create(
                        kind=finding.kind,
                        subject=finding.subject[:300],
                        message=finding.message,
                        window_start=windows.start,
                        window_end=windows.end,
                        details=finding.details,
                        fingerprint=fingerprint,
                    )
                )
        except IntegrityError:
            continue  # raised already today
    return new


def alert_payload(alert: AnomalyAlert) -> dict[str, Any]:
    return {
        "kind": alert.kind,
        "subject": alert.subject,
        "message": alert.message,
        "window_start": alert.window_start.isoformat(),
        "window_end": alert.window_end.isoformat(),
        "details": alert.details,
    }


def alerts_post(*, alerts: list[AnomalyAlert], url: str | None = None) -> None:
    """POST {"alerts": [...]} as JSON to the webhook. Raises OSError when it fails."""
    url = url or settings.ANALYTICS_ALERT_WEBHOOK_URL
    if not url or not alerts:
        return
    body = json.dumps({"alerts": [alert_payload(alert) for alert in alerts]}).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(
        request, timeout=settings.ANALYTICS_ALERT_WEBHOOK_TIMEOUT
    ) as answer:
        answer.read()
