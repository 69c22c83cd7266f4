"""detect_anomalies on seeded rows: known anomalies are flagged, normal noise is not."""

from __future__ import annotations

import io
import json
import random
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from analytics.anomalies import Windows, detect
from analytics.models import AnomalyAlert
from analytics.scope import start_of_day
from analytics.statistics import binomial_upper_tail, two_proportion_z
from tests.analytics.conftest import audit_row
from tests.engine.ollama_doubles import closed_port_url
from verifier.models import Batch

BASELINE_PER_DAY = 40  # 28 days: 1,120 baseline rows
WINDOW_ROWS = 150


def seeded(
    rng: random.Random,
    *,
    at: datetime,
    fail_rate: float = 0.05,
    review_rate: float = 0.1,
    latency_ms: float = 1000,
    **fields,
):
    checks = {
        "warning_text": "fail" if rng.random() < fail_rate else "pass",
        "brand_name": "fail" if rng.random() < 0.03 else "pass",
    }
    verdict = "NON_COMPLIANT" if "fail" in checks.values() else "COMPLIANT"
    if rng.random() < review_rate:
        verdict = "NEEDS_REVIEW"
    return audit_row(
        at=at,
        verdict=verdict,
        checks=checks,
        processing_ms=int(rng.lognormvariate(0, 0.25) * latency_ms),
        bottler=f"Bottler {rng.randrange(200)}",
        **fields,
    )


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def baseline(add_rows, now):
    """Four normal weeks before the window."""
    rng = random.Random(7)
    windows = Windows.ending(now, window_hours=24, baseline_days=28)
    rows = [
        seeded(rng, at=start_of_day(day) + timedelta(hours=rng.uniform(0, 23.9)))
        for day in windows.baseline.days
        for _ in range(BASELINE_PER_DAY)
    ]
    add_rows(*rows)


def window_rows(rng: random.Random, now: datetime, count: int = WINDOW_ROWS, **fields):
    return [
        seeded(rng, at=now - timedelta(hours=rng.uniform(0.1, 23.5)), **fields)
        for _ in range(count)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_no_alert_on_noise_of_normal_size(baseline, add_rows, now, seed):
    add_rows(*window_rows(random.Random(seed), now))

    _, findings = detect(now=now)

    assert findings == []


def test_a_check_failing_four_times_as_often_is_flagged(baseline, add_rows, now):
    add_rows(*window_rows(random.Random(11), now, fail_rate=0.2))

    _, findings = detect(now=now)

    flagged = [(finding.kind, finding.subject) for finding in findings]
    assert ("check_fail_rate", "warning_text") in flagged
    assert ("check_fail_rate", "brand_name") not in flagged
    finding = next(f for f in findings if f.subject == "warning_text")
    assert finding.details["z"] >= 3.09 and finding.details["baseline"][1] >= 1000


def test_a_review_rate_jump_and_a_slower_backend_are_flagged(baseline, add_rows, now):
    add_rows(*window_rows(random.Random(12), now, review_rate=0.3, latency_ms=1800))

    kinds = {finding.kind for finding in detect(now=now)[1]}

    assert {"review_rate", "latency_p95"} <= kinds


def test_three_labels_of_one_bottler_or_batch_failing_the_same_check(baseline, add_rows, now):
    rng = random.Random(13)
    uploader = User.objects.create(username="uploader")
    batch = Batch.objects.create(user=uploader, backend_requested="tesseract", total=3)
    failing = {"net_contents": "fail"}
    add_rows(
        *window_rows(rng, now),
        *[
            audit_row(at=now - timedelta(hours=hour), checks=failing, bottler="Acme Imports")
            for hour in (1, 2, 3)
        ],
        *[
            audit_row(
                at=now - timedelta(hours=hour), checks=failing, bottler=f"B{hour}", batch=batch
            )
            for hour in (4, 5, 6)
        ],
        # Two is not a pattern.
        *[
            audit_row(
                at=now - timedelta(hours=hour), checks={"bottler": "fail"}, bottler="Two Times"
            )
            for hour in (1, 2)
        ],
    )

    findings = [f for f in detect(now=now)[1] if f.kind == "repeated_failure"]

    assert sorted(f.subject for f in findings) == [
        f"batch {batch.pk}: net_contents",
        "bottler or importer Acme Imports: net_contents",
    ]


class Webhook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Webhook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook(settings) -> Iterator[list[dict]]:
    Webhook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ANALYTICS_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    yield Webhook.received
    server.shutdown()
    server.server_close()


def run() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("detect_anomalies", stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return int(exit.code), out.getvalue()
    return 0, out.getvalue()


def test_command_stores_new_alerts_posts_them_and_exits_1_once(baseline, add_rows, webhook):
    add_rows(*window_rows(random.Random(11), timezone.now(), fail_rate=0.2))

    status, output = run()

    assert status == 1 and "Check warning_text fails more often" in output
    alert = AnomalyAlert.objects.get(kind="check_fail_rate", subject="warning_text")
    assert [a["subject"] for a in webhook[0]["alerts"]] == [
        a.subject for a in AnomalyAlert.objects.order_by("id")
    ]
    assert webhook[0]["alerts"][0]["message"] == AnomalyAlert.objects.order_by("id")[0].message
    # The same anomaly an hour later is not new: exit 0, nothing posted again.
    assert run()[0] == 0 and len(webhook) == 1
    assert AnomalyAlert.objects.filter(pk=alert.pk).exists()


def test_quiet_data_exits_0(baseline, add_rows):
    add_rows(*window_rows(random.Random(2), timezone.now()))

    assert run()[0] == 0 and not AnomalyAlert.objects.exists()


def test_the_stated_tests_agree_with_known_values():
    # 20/150 against 56/1120, pooled 76/1270: z = 0.0833 / 0.02062 = 4.04.
    assert two_proportion_z(20, 150, 56, 1120) == pytest.approx(4.04, abs=0.01)
    # P(X >= 8) for Binomial(10, 0.5) = (45 + 10 + 1) / 1024.
    assert binomial_upper_tail(8, 10, 0.5) == pytest.approx(56 / 1024)
    assert binomial_upper_tail(0, 10, 0.5) == 1.0


def test_an_unreachable_webhook_is_reported_and_the_alerts_are_kept(baseline, add_rows, settings):
    settings.ANALYTICS_ALERT_WEBHOOK_URL = closed_port_url() + "/hook"
    add_rows(*window_rows(random.Random(11), timezone.now(), fail_rate=0.2))
    errors = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("detect_anomalies", stdout=io.StringIO(), stderr=errors)

    assert exited.value.code == 1
    assert "The alert webhook failed" in errors.getvalue()
    assert AnomalyAlert.objects.filter(subject="warning_text").exists()
