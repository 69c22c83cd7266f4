"""`GET /verify/batch/{id}`: progress, ETA, per-item results (paginated), ownership;
and what the workers do with the queue (run in this process, as `db_worker --batch`)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.api.helpers import application_json, error_of, image_bytes, rendered, run_worker, upload
from verifier.models import BatchItem, BatchPanel, Verification
from verifier.services.batches import batch_item_run, batch_items_requeue_stale
from verifier.tasks import batch_item_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch_id(api_client) -> str:
    """Three labels (two generated, one compliant with its application) and a text file."""
    compliant, mismatch = rendered(3), rendered(5, failures=("brand_name",))
    manifest = (
        "[{"
        f'"file": "compliant.png", "application": {application_json(compliant)}'
        "}, {"
        f'"file": "mismatch.png", "application": {application_json(mismatch)}'
        "}]"
    )
    response = api_client.post(
        "/verify/batch",
        {
            "image": [
                upload(compliant.panels[0], "compliant.png"),
                upload(mismatch.panels[0], "mismatch.png"),
                upload(compliant.panels[0], "plain.png"),
                upload(b"hello", "readme.txt"),
            ],
            "manifest": upload(manifest.encode(), "manifest.json"),
        },
        format="multipart",
    )
    assert response.status_code == 202, response.content
    return response.json()["id"]


def detail(client: Any, batch_id: str, query: str = "") -> dict:
    response = client.get(f"/verify/batch/{batch_id}{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_progress_before_and_after_the_workers(api_client, user, batch_id):
    before = detail(api_client, batch_id)
    assert before["status"] == "queued"
    assert (before["total"], before["queued"], before["failed"]) == (4, 3, 1)
    assert before["eta_seconds"] is None

    run_worker()

    after = detail(api_client, batch_id)
    assert after["status"] == "done"
    assert (after["done"], after["failed"], after["queued"], after["running"]) == (3, 1, 0, 0)
    assert after["finished_at"]
    items = {item["name"]: item for item in after["items"]}
    assert items["compliant.png"]["verdict"] == "COMPLIANT"
    assert items["compliant.png"]["result"]["validation_level"] == "FULL_VALIDATION"
    assert items["mismatch.png"]["verdict"] == "NON_COMPLIANT"
    assert "brand_name" in {v["check"] for v in items["mismatch.png"]["result"]["violations"]}
    assert items["plain.png"]["result"]["validation_level"] == "STRUCTURAL_ONLY"
    assert items["readme.txt"]["status"] == "failed"
    assert items["readme.txt"]["error"]["code"] == "unsupported_media_type"
    assert items["readme.txt"]["result"] is None

    # One audit row per verified item, from the batch channel, and no image kept.
    rows = Verification.objects.filter(batch_id=batch_id)
    assert rows.count() == 3
    assert set(rows.values_list("channel", flat=True)) == {"batch"}
    assert set(rows.values_list("user", flat=True)) == {user.pk}
    assert {str(r) for r in rows.values_list("request_id", flat=True)} == {
        items[name]["request_id"] for name in ("compliant.png", "mismatch.png", "plain.png")
    }
    assert BatchPanel.objects.count() == 0


def test_items_are_paginated(api_client, batch_id):
    first = detail(api_client, batch_id, "?page_size=3")
    assert first["count"] == 4
    assert [item["position"] for item in first["items"]] == [0, 1, 2]
    assert first["next"].endswith("page=2&page_size=3")
    second = detail(api_client, batch_id, "?page=2&page_size=3")
    assert [item["position"] for item in second["items"]] == [3]
    assert second["previous"]


def test_eta_while_running(api_client, batch_id):
    items = BatchItem.objects.filter(status="queued").order_by("position")
    started = timezone.now() - timedelta(seconds=10)
    items.filter(pk=items[0].pk).update(status="done", started_at=started, finished_at=started)
    body = detail(api_client, batch_id)
    assert body["status"] == "running"
    assert body["eta_seconds"] > 0


def test_other_users_cannot_see_it_staff_can(client_for, other_user, staff_user, batch_id):
    response = client_for(other_user).get(f"/verify/batch/{batch_id}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert client_for(staff_user).get(f"/verify/batch/{batch_id}").status_code == 200


def test_unknown_batch(api_client):
    response = api_client.get(f"/verify/batch/{uuid.uuid4()}")
    assert response.status_code == 404


def test_an_item_whose_worker_died_is_requeued_then_verified(api_client, settings, batch_id):
    settings.BATCH_ITEM_LEASE_SECONDS = 60
    item = BatchItem.objects.filter(status="queued").order_by("position").first()
    # What a worker killed mid-item leaves behind: running, lease long expired.
    BatchItem.objects.filter(pk=item.pk).update(
        status="running", attempts=1, started_at=timezone.now() - timedelta(minutes=5)
    )

    assert batch_items_requeue_stale(batch_id=batch_id) == (1, 0)
    run_worker()

    item.refresh_from_db()
    assert item.status == "done" and item.attempts == 2
    assert Verification.objects.filter(batch_item=item).count() == 1


def test_an_item_failing_its_workers_too_often_is_marked_failed(api_client, settings, batch_id):
    settings.BATCH_ITEM_MAX_ATTEMPTS = 2
    item = BatchItem.objects.filter(status="queued").order_by("position").first()
    BatchItem.objects.filter(pk=item.pk).update(
        status="running", attempts=2, started_at=timezone.now() - timedelta(hours=1)
    )

    assert batch_items_requeue_stale(batch_id=batch_id) == (0, 1)

    item.refresh_from_db()
    assert item.status == "failed" and item.error_code == "worker_lost"
    assert "2 times" in item.error_message
    assert not BatchPanel.objects.filter(item=item).exists()


def _task_of(item: BatchItem) -> DBTaskResult:
    return next(
        task
        for task in DBTaskResult.objects.filter(task_path=batch_item_verify.module_path)
        if task.args_kwargs["args"] == [item.pk]
    )


def test_an_item_whose_task_died_before_it_was_claimed_gets_a_new_task(
    api_client, settings, batch_id
):
    """A worker killed after taking the item's task but before claiming the item:
    the item stays queued, its task RUNNING; past the lease it is queued again."""
    settings.BATCH_ITEM_LEASE_SECONDS = 60
    item = BatchItem.objects.filter(status="queued").order_by("position").first()
    task = _task_of(item)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )

    assert batch_items_requeue_stale(batch_id=batch_id) == (1, 0)
    assert batch_items_requeue_stale(batch_id=batch_id) == (0, 0)  # one new task, not two
    run_worker()

    item.refresh_from_db()
    assert item.status == "done" and item.attempts == 1
    assert Verification.objects.filter(batch_item=item).count() == 1


def test_an_item_whose_task_is_still_within_its_lease_is_left_alone(api_client, batch_id):
    item = BatchItem.objects.filter(status="queued").order_by("position").first()
    DBTaskResult.objects.filter(pk=_task_of(item).pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    assert batch_items_requeue_stale(batch_id=batch_id) == (0, 0)


def test_a_running_item_within_its_lease_is_left_alone(api_client, batch_id):
    item = BatchItem.objects.filter(status="queued").first()
    BatchItem.objects.filter(pk=item.pk).update(
        status="running", attempts=1, started_at=timezone.now()
    )
    assert batch_items_requeue_stale(batch_id=batch_id) == (0, 0)


def test_unreadable_image_fails_its_item_not_the_batch(api_client):
    truncated = image_bytes("PNG", (300, 200))[:80]
    response = api_client.post(
        "/verify/batch",
        {"image": [upload(truncated, "broken.png"), upload(rendered(3).panels[0], "ok.png")]},
        format="multipart",
    )
    assert response.status_code == 202
    run_worker()
    body = detail(api_client, response.json()["id"])
    states = {item["name"]: (item["status"], item["error"]) for item in body["items"]}
    assert states["ok.png"] == ("done", None)
    assert states["broken.png"][0] == "failed"
    assert states["broken.png"][1]["code"] == "corrupt_image"


def test_a_worker_told_to_stop_hands_its_item_back(api_client, batch_id, monkeypatch):
    def interrupted(*args, **kwargs):
        raise SystemExit(1)  # what the worker's second SIGTERM or an autoreload raises

    monkeypatch.setattr("verifier.services.verifications.verify_label", interrupted)
    item = BatchItem.objects.filter(status="queued").order_by("position").first()

    with pytest.raises(SystemExit):
        batch_item_run(item_id=item.pk)

    item.refresh_from_db()
    assert (item.status, item.attempts, item.started_at) == ("queued", 0, None)
    monkeypatch.undo()
    run_worker()
    item.refresh_from_db()
    assert item.status == "done"
    assert Verification.objects.filter(batch_item=item).count() == 1
