"""ZIP budgets and where batch panels wait: every entry's compression ratio is
checked whatever its size, sizes are counted as they are read, and panel bytes
live in storage (not database rows) until their item finishes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from tests.api.helpers import error_of, rendered, run_worker, upload, zip_of
from verifier.batch_files import _Budget
from verifier.models import Batch, BatchItem, BatchPanel, Verification
from verifier.services.batch_panels import panel_storage
from verifier.services.batches import batch_item_run

pytestmark = pytest.mark.django_db

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def post_batch(client: Any, **fields: Any) -> Any:
    return client.post("/verify/batch", fields, format="multipart")


def database_bytes() -> int:
    """The database's size on disk (PostgreSQL: the whole database; SQLite: its
    file and write-ahead log)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    name = Path(connection.settings_dict["NAME"])
    return sum(path.stat().st_size for path in (name, Path(f"{name}-wal")) if path.exists())


def stored_panel_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_thousand_small_bombs_are_refused_and_nothing_grows(api_client, isolated_data):
    """The issue's ZIP: 1,000 entries of 1 MiB (PNG magic plus zeros), 1.1 MB
    compressed. Each entry is exactly at the old 1 MiB threshold of the ratio check."""
    buffer = io.BytesIO()
    entry = PNG_MAGIC + b"\x00" * (1024 * 1024 - len(PNG_MAGIC))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(1000):
            archive.writestr(f"label-{number:04}.png", entry)
    data = buffer.getvalue()
    assert len(data) < 1_500_000
    before = database_bytes()

    response = post_batch(api_client, batch_file=upload(data, "bombs.zip"))

    assert response.status_code == 400, response.content[:500]
    error = error_of(response)
    assert error["code"] == "unsafe_archive"
    assert "compressed more than 100:1" in error["message"]
    assert not (Batch.objects.exists() or BatchItem.objects.exists() or BatchPanel.objects.exists())
    assert stored_panel_files(isolated_data / "batch-panels") == []
    assert database_bytes() - before < 4 * 1024 * 1024


def test_a_small_entry_compressed_like_a_bomb_is_refused(api_client):
    archive = zip_of(
        {"fine.png": rendered(3).panels[0], "tiny-bomb.png": PNG_MAGIC + b"\x00" * 200_000},
        compression=zipfile.ZIP_DEFLATED,
    )
    response = post_batch(api_client, batch_file=upload(archive, "mixed.zip"))

    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "unsafe_archive"
    assert "tiny-bomb.png" in error_of(response)["message"]
    assert not Batch.objects.exists()


def test_panels_wait_as_files_and_go_when_their_item_is_done(
    api_client, isolated_data, django_capture_on_commit_callbacks
):
    label = rendered(3)
    archive = zip_of({"a.png": label.panels[0], "b.png": label.panels[0]})

    response = post_batch(api_client, batch_file=upload(archive, "labels.zip"))

    assert response.status_code == 202, response.content
    keys = list(BatchPanel.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(panel_storage().open(key).read() == label.panels[0] for key in keys)
    assert len(stored_panel_files(isolated_data / "batch-panels")) == 2
    assert not any(field.name == "data" for field in BatchPanel._meta.get_fields())

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    assert set(BatchItem.objects.values_list("status", flat=True)) == {"done"}
    assert Verification.objects.count() == 2
    assert BatchPanel.objects.count() == 0
    assert stored_panel_files(isolated_data / "batch-panels") == []


def test_panel_files_go_when_items_are_cancelled_or_fail(
    api_client, isolated_data, django_capture_on_commit_callbacks
):
    images = [upload(rendered(3).panels[0], f"{n}.png") for n in range(2)]
    batch_id = post_batch(api_client, image=images).json()["id"]
    first, second = BatchItem.objects.order_by("position")
    BatchItem.objects.filter(pk=first.pk).update(
        status="running", attempts=1, started_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        api_client.delete(f"/verify/batch/{batch_id}")

    assert not BatchPanel.objects.filter(item=second).exists()
    assert len(stored_panel_files(isolated_data / "batch-panels")) == 1  # the running one's

    panel = BatchPanel.objects.get(item=first)
    panel_storage().delete(panel.key)  # lost from storage: the item fails, it does not hang
    BatchItem.objects.filter(pk=first.pk).update(status="queued", attempts=0)
    with django_capture_on_commit_callbacks(execute=True):
        status = batch_item_run(item_id=first.pk)

    assert status == "failed"
    assert BatchPanel.objects.count() == 0
    assert stored_panel_files(isolated_data / "batch-panels") == []


def test_a_zip_refused_while_it_is_read_leaves_no_panel_files(api_client, isolated_data):
    """The total budget is spent as entries are read: when it runs out at the
    second label, the first label's file, already written, is deleted again."""
    label = rendered(3)
    archive = zip_of({"a.png": label.panels[0], "b.png": label.panels[0]})
    spend = _Budget.spend

    def spend_one_label_at_most(budget: _Budget, size: int) -> None:
        budget.limit = len(label.panels[0])
        spend(budget, size)

    with mock.patch.object(_Budget, "spend", spend_one_label_at_most):
        response = post_batch(api_client, batch_file=upload(archive, "labels.zip"))

    assert response.status_code == 413, response.content
    assert error_of(response)["code"] == "archive_too_large"
    assert not (Batch.objects.exists() or BatchPanel.objects.exists())
    assert stored_panel_files(isolated_data / "batch-panels") == []
