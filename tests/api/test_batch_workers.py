"""Real `manage.py db_worker` processes on the test database: a 300-label batch,
and a worker killed with SIGKILL mid-batch losing no item.

These need a database another process can open (PostgreSQL, as in CI); the
default in-memory SQLite test database cannot be shared, so they skip there.
"""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from labelgen import RenderedLabel
from tests.api.helpers import application_json, rendered, upload, zip_of
from tests.workers import LEASE_SECONDS, wait_for
from verifier.engine import Options, verify_label
from verifier.models import BatchItem, Verification

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def finished(batch_id: str) -> bool:
    pending = BatchItem.objects.filter(batch_id=batch_id, status__in=("queued", "running"))
    return not pending.exists()


def post_zip(client: Any, members: dict[str, bytes], manifest: str) -> str:
    response = client.post(
        "/verify/batch",
        {"batch_file": upload(zip_of({**members, "manifest.json": manifest.encode()}), "b.zip")},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    return response.json()["id"]


def manifest_for(names: dict[str, RenderedLabel]) -> str:
    entries = [
        f'{{"file": "{name}", "application": {application_json(label)}}}'
        for name, label in names.items()
    ]
    return "[" + ", ".join(entries) + "]"


def test_a_worker_killed_mid_batch_loses_no_item(api_client, settings, start_worker):
    # Two panels at a high resolution: slow enough that the kill lands mid-item.
    label = rendered(21, degradations=("multi_panel",))
    names = {f"bottle-{n:02}": label for n in range(10)}
    members, entries = {}, []
    for name in names:
        members[f"{name}/front.png"], members[f"{name}/back.png"] = label.panels
        entries.append(
            f'{{"files": ["{name}/front.png", "{name}/back.png"], '
            f'"application": {application_json(label)}}}'
        )
    settings.BATCH_ITEM_LEASE_SECONDS = LEASE_SECONDS  # the batch's watch task uses it
    batch_id = post_zip(api_client, members, "[" + ", ".join(entries) + "]")

    first = start_worker()
    wait_for(
        lambda: (
            BatchItem.objects.filter(batch_id=batch_id, status="done").exists()
            and BatchItem.objects.filter(batch_id=batch_id, status="running").exists()
        ),
        timeout=60,
        what="the first worker to be mid-batch",
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    orphaned = list(BatchItem.objects.filter(batch_id=batch_id, status="running"))

    start_worker()
    wait_for(lambda: finished(batch_id), timeout=120, what="the batch to finish")

    items = BatchItem.objects.filter(batch_id=batch_id)
    assert set(items.values_list("status", flat=True)) <= {"done", "failed"}
    assert items.filter(status="done").count() == Verification.objects.count()
    for item in orphaned:
        item.refresh_from_db()
        assert item.status == "done", (item.error_code, item.error_message)
        assert item.attempts == 2
        assert Verification.objects.filter(batch_item=item).count() == 1


@pytest.mark.timeout(480)
def test_three_hundred_labels_with_two_workers(api_client, settings, start_worker):
    """Each item must come back with the verdict the engine gives its own label:
    items are not mixed up, and each is checked against its own application."""
    distinct = [
        rendered(seed, failures=failures)
        for seed in range(6)
        for failures in ((), ("warning_header_caps",), ("brand_name",))
    ]
    engine_verdicts = [
        str(verify_label(label.panels, label.application, Options()).verdict) for label in distinct
    ]
    assert {"COMPLIANT", "NON_COMPLIANT"} <= set(engine_verdicts)
    names = {f"label-{n:03}.png": distinct[n % len(distinct)] for n in range(300)}
    members = {name: label.panels[0] for name, label in names.items()}
    settings.BATCH_ITEM_LEASE_SECONDS = 120
    batch_id = post_zip(api_client, members, manifest_for(names))

    started = time.monotonic()
    start_worker(lease_seconds=120), start_worker(lease_seconds=120)
    # About a minute on two idle cores; generous for a busy CI machine.
    wait_for(lambda: finished(batch_id), timeout=400, what="300 labels")
    elapsed = time.monotonic() - started

    response = api_client.get(f"/verify/batch/{batch_id}/results.json")
    body = response.json()
    assert body["status"] == "done" and body["done"] == 300 and body["failed"] == 0
    for item in body["items"]:
        expected = engine_verdicts[int(item["name"][6:9]) % len(distinct)]
        assert item["verdict"] == expected, item["name"]
    assert Verification.objects.filter(batch_id=batch_id).count() == 300
    print(f"\n300 labels, 2 workers: {elapsed:.1f} s ({300 / elapsed:.2f} labels/s)")
