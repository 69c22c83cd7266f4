"""Batch panels waiting for a worker: bytes in the `batch_panels` storage (local
files, or the artifact bucket), one `BatchPanel` row each naming its file.

The database holds no image bytes, so a large batch cannot grow it; a panel's
file is deleted with its row when the item finishes (done, failed, cancelled),
after the transaction that finished it commits.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import QuerySet

from verifier.models import BatchItem, BatchPanel


def panel_storage() -> Storage:
    return storages["batch_panels"]


def panel_save(item: BatchItem, position: int, data: bytes) -> str:
    """Store one panel's bytes; returns the key its row records."""
    return panel_storage().save(f"{item.batch_id}/{item.pk}/{position}", ContentFile(data))


def panel_read(key: str) -> bytes:
    with panel_storage().open(key, "rb") as stored:
        return stored.read()


def panel_files_delete(keys: Iterable[str]) -> None:
    """Delete stored panels; one already gone is no error."""
    storage = panel_storage()
    for key in keys:
        with contextlib.suppress(FileNotFoundError):
            storage.delete(key)


def panels_discard(panels: QuerySet[BatchPanel]) -> None:
    """Delete these panel rows now and their files once the transaction commits
    (at once outside one): a rolled-back finish keeps the item's panels."""
    keys = list(panels.values_list("key", flat=True))
    panels.delete()
    if keys:
        transaction.on_commit(lambda: panel_files_delete(keys))
