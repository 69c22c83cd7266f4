"""Batches: store the uploaded label sets, queue one task per label, run them,
cancel what has not started, and recover items whose worker died.

Life of an item: `queued` → `running` (a worker claimed it: `attempts` + 1,
`started_at` set) → `done` (with its one audit row) or `failed` (with a
reason). A worker killed mid-item leaves it `running`; once its lease
(`BATCH_ITEM_LEASE_SECONDS`) has expired, `batch_items_requeue_stale()` puts
it back in the queue, or marks it failed after `BATCH_ITEM_MAX_ATTEMPTS`. A
worker killed after it took an item's task but before it claimed the item
leaves the item `queued` with its task `RUNNING`: past the lease, the sweep
gives the item a new task.
Every batch has a watch task that runs that sweep until nothing is pending,
so no item stays stuck even if every worker died.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from artifacts.services import artifact_save_wanted
from verifier.application_data import application_from_mapping
from verifier.batch_files import BatchFile, UnreadableFile, archive_files, uploaded_files
from verifier.batch_manifest import LabelSet, group_files, parse_manifest
from verifier.batch_queue import batch_tasks
from verifier.engine.errors import EngineError
from verifier.engine.images import sniff_format
from verifier.models import (
    Batch,
    BatchItem,
    BatchItemStatus,
    BatchPanel,
    Channel,
)
from verifier.rejections import Rejected
from verifier.services.batch_panels import (
    panel_files_delete,
    panel_read,
    panel_save,
    panels_discard,
)
from verifier.services.verifications import (
    BatchItemNotRunning,
    verification_create,
    verification_options,
)
from verifier.upload_limits import check_batch_size

logger = logging.getLogger(__name__)

PENDING_ITEM_STATUSES = (BatchItemStatus.QUEUED, BatchItemStatus.RUNNING)


def _watch_delay() -> timedelta:
    return timedelta(seconds=min(60.0, max(1.0, settings.BATCH_ITEM_LEASE_SECONDS / 2)))


def batch_create_from_upload(
    *,
    user: Any,
    client_ip: str | None,
    archive: Any | None,
    images: list[Any],
    manifest: Any | None,
    backend: str,
    dpi: float | None,
    save_artifact: bool | None,
) -> Batch:
    """A batch from what a person or client uploaded: a ZIP or several images,
    and a manifest file (else the ZIP's own `manifest.csv`/`.json`, if any).

    The API and the web page both call this. Raises `Rejected` (storing
    nothing) for an oversized or unsafe ZIP or a manifest that does not fit.
    """
    if archive is not None:
        check_batch_size(archive.size, details={"field": "batch_file"})
        files, zipped_manifest = archive_files(archive)
    else:
        files, zipped_manifest = uploaded_files(images), None
    manifest_file = manifest or zipped_manifest
    label_sets = None
    if manifest_file is not None:
        label_sets = parse_manifest(manifest_file.read(), name=manifest_file.name)
    return batch_create(
        user=user,
        client_ip=client_ip,
        files=files,
        manifest=label_sets,
        backend=backend,
        dpi=dpi,
        save_artifact=artifact_save_wanted(requested=save_artifact),
        source_name=archive.name if archive is not None else "",
    )


def batch_create(
    *,
    user: Any,
    client_ip: str | None,
    files: list[BatchFile],
    manifest: list[LabelSet] | None,
    backend: str,
    dpi: float | None,
    save_artifact: bool,
    source_name: str = "",
) -> Batch:
    """Store every label set of the upload and queue one task per label.

    The file list must already be safe (see `verifier.batch_files`). Raises
    `Rejected` (and stores nothing: panel files written so far are deleted)
    when there are no files, the manifest disagrees with them, or a ZIP breaks
    its budgets while it is read. A file that is not a supported image, or cannot be
    read, becomes a failed item with the reason; the batch goes on.

    Tasks are enqueued inside the transaction: with the database task backend
    the queue rows commit (or roll back) together with the batch.
    """
    if not files:
        raise Rejected("The batch has no label files.", code="image_required")
    label_sets = group_files([f.name for f in files], manifest)
    by_name = {f.name: f for f in files}
    stored: list[str] = []  # panel files written, deleted again if the batch is refused
    try:
        with transaction.atomic():
            batch = _batch_store(
                user=user,
                client_ip=client_ip,
                source_name=source_name,
                backend=backend,
                dpi=dpi,
                save_artifact=save_artifact,
                label_sets=label_sets,
                files=by_name,
                stored=stored,
            )
    except BaseException:
        panel_files_delete(stored)
        raise
    return batch


def _batch_store(
    *,
    user: Any,
    client_ip: str | None,
    source_name: str,
    backend: str,
    dpi: float | None,
    save_artifact: bool,
    label_sets: list[LabelSet],
    files: dict[str, BatchFile],
    stored: list[str],
) -> Batch:
    tasks = batch_tasks()
    batch = Batch.objects.create(
        user=user,
        client_ip=client_ip,
        source_name=source_name[:255],
        backend_requested=backend,
        dpi=dpi,
        save_artifact=save_artifact,
        total=len(label_sets),
    )
    queued = []
    for position, label_set in enumerate(label_sets):
        item = _batch_item_store(batch, position, label_set, files, stored)
        if item.status == BatchItemStatus.QUEUED:
            queued.append(item.pk)
    for item_id in queued:
        tasks.item.enqueue(item_id)
    if queued:
        tasks.watch.using(run_after=timezone.now() + _watch_delay()).enqueue(str(batch.pk))
    return batch


def _batch_item_store(
    batch: Batch,
    position: int,
    label_set: LabelSet,
    files: dict[str, BatchFile],
    stored: list[str],
) -> BatchItem:
    item = BatchItem.objects.create(
        batch=batch,
        position=position,
        name=" + ".join(label_set.files)[:500],
        application=label_set.application,
    )
    for panel_position, name in enumerate(label_set.files):
        try:
            data = files[name].read()
            if sniff_format(data) is None:
                raise UnreadableFile(
                    "The file is not a JPEG, PNG, TIFF or WebP image.",
                    code="unsupported_media_type",
                )
        except UnreadableFile as problem:
            panels_discard(BatchPanel.objects.filter(item=item))
            BatchItem.objects.filter(pk=item.pk).update(
                status=BatchItemStatus.FAILED,
                finished_at=timezone.now(),
                error_code=problem.code,
                error_message=f"{name}: {problem.message}",
            )
            item.status = BatchItemStatus.FAILED
            return item
        key = panel_save(item, panel_position, data)
        stored.append(key)
        BatchPanel.objects.create(item=item, position=panel_position, name=name[:500], key=key)
    return item


def batch_item_run(*, item_id: int) -> str:
    """Claim a queued item, verify it, record the outcome. Returns the item's status.

    Called by the `batch_item_verify` task. An item that is no longer queued
    (cancelled, or already claimed by another worker) is left alone.
    """
    claimed = BatchItem.objects.filter(pk=item_id, status=BatchItemStatus.QUEUED).update(
        status=BatchItemStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    item = BatchItem.objects.select_related("batch", "batch__user").get(pk=item_id)
    batch = item.batch
    try:
        # A panel file gone from storage fails the item (below), never leaves it hanging.
        images = [panel_read(key) for key in item.panels.values_list("key", flat=True)]
        verification_create(
            images=images,
            application=application_from_mapping(item.application),
            options=verification_options(backend=batch.backend_requested, dpi=batch.dpi),
            channel=Channel.BATCH,
            user=batch.user,
            client_ip=batch.client_ip,
            batch_item=item,
            save_artifact=batch.save_artifact,
        )
        status = BatchItemStatus.DONE
    except BatchItemNotRunning:
        return "lost"
    except (EngineError, Rejected) as error:
        _batch_item_fail(item, code=error.code, message=error.message)
        status = BatchItemStatus.FAILED
    except Exception as error:
        logger.exception("Batch item %s failed", item_id)
        _batch_item_fail(
            item,
            code="verifier_error",
            message=f"The verifier failed on this label ({type(error).__name__}: {error}).",
        )
        status = BatchItemStatus.FAILED
    except BaseException:
        # The worker is stopping (second Ctrl-C/SIGTERM, autoreload): hand the
        # item back now rather than leave it to the lease sweep.
        _batch_item_release(item)
        raise
    batch_items_requeue_stale(batch_id=batch.pk)
    return status


def _batch_item_release(item: BatchItem) -> None:
    with transaction.atomic():
        released = BatchItem.objects.filter(
            pk=item.pk, status=BatchItemStatus.RUNNING, attempts=item.attempts
        ).update(status=BatchItemStatus.QUEUED, attempts=F("attempts") - 1, started_at=None)
        if released:
            batch_tasks().item.enqueue(item.pk)


def _batch_item_fail(item: BatchItem, *, code: str, message: str) -> None:
    with transaction.atomic():
        marked = BatchItem.objects.filter(
            pk=item.pk, status=BatchItemStatus.RUNNING, attempts=item.attempts
        ).update(
            status=BatchItemStatus.FAILED,
            finished_at=timezone.now(),
            error_code=code[:40],
            error_message=message,
        )
        if marked:
            panels_discard(BatchPanel.objects.filter(item=item))


def _items_whose_task_was_lost(cutoff: datetime, batch_id: Any = None) -> list[int]:
    """Queued items whose task a worker took and died with before it claimed
    the item: the task is `RUNNING` past the lease, the item still `queued`,
    and no other task for it is ready or alive. Nothing else would run them."""
    tasks = DBTaskResult.objects.filter(task_path=batch_tasks().item.module_path)
    lost = tasks.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    lost_ids = {task.args_kwargs["args"][0] for task in lost.only("args_kwargs")}
    if not lost_ids:
        return []
    alive = tasks.filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    alive_ids = {task.args_kwargs["args"][0] for task in alive.only("args_kwargs")}
    items = BatchItem.objects.filter(pk__in=lost_ids - alive_ids, status=BatchItemStatus.QUEUED)
    if batch_id is not None:
        items = items.filter(batch_id=batch_id)
    return list(items.values_list("pk", flat=True))


def batch_items_requeue_stale(*, batch_id: Any = None) -> tuple[int, int]:
    """Re-queue items whose worker died (lease expired), or fail them after too
    many attempts; give a new task to queued items whose task died with its
    worker. Returns (re-queued, failed)."""
    cutoff = timezone.now() - timedelta(seconds=settings.BATCH_ITEM_LEASE_SECONDS)
    stale = BatchItem.objects.filter(status=BatchItemStatus.RUNNING, started_at__lt=cutoff)
    if batch_id is not None:
        stale = stale.filter(batch_id=batch_id)
    requeued = failed = 0
    for item_id in _items_whose_task_was_lost(cutoff, batch_id):
        batch_tasks().item.enqueue(item_id)
        requeued += 1
    for item in stale.only("pk", "attempts"):
        this_attempt = BatchItem.objects.filter(
            pk=item.pk, status=BatchItemStatus.RUNNING, attempts=item.attempts
        )
        with transaction.atomic():
            if item.attempts >= settings.BATCH_ITEM_MAX_ATTEMPTS:
                if this_attempt.update(
                    status=BatchItemStatus.FAILED,
                    finished_at=timezone.now(),
                    error_code="worker_lost",
                    error_message=(
                        f"A worker stopped while verifying this label, {item.attempts} times."
                    ),
                ):
                    panels_discard(BatchPanel.objects.filter(item_id=item.pk))
                    failed += 1
            elif this_attempt.update(status=BatchItemStatus.QUEUED):
                batch_tasks().item.enqueue(item.pk)
                requeued += 1
    if requeued or failed:
        logger.warning("Batch items: %d re-queued, %d failed after worker loss", requeued, failed)
    return requeued, failed


def batch_watch_run(*, batch_id: Any) -> bool:
    """Sweep one batch; returns True while it still has pending items (the
    watch task then schedules itself again)."""
    batch_items_requeue_stale(batch_id=batch_id)
    pending = BatchItem.objects.filter(batch_id=batch_id, status__in=PENDING_ITEM_STATUSES)
    if not pending.exists():
        return False
    batch_tasks().watch.using(run_after=timezone.now() + _watch_delay()).enqueue(str(batch_id))
    return True


def batch_cancel(*, batch: Batch) -> int:
    """Cancel the items that have not started; running ones finish. Returns
    how many were cancelled."""
    with transaction.atomic():
        queued = BatchItem.objects.filter(batch=batch, status=BatchItemStatus.QUEUED)
        ids = list(queued.values_list("pk", flat=True))
        cancelled = BatchItem.objects.filter(pk__in=ids, status=BatchItemStatus.QUEUED).update(
            status=BatchItemStatus.CANCELLED, finished_at=timezone.now()
        )
        panels_discard(
            BatchPanel.objects.filter(item_id__in=ids, item__status=BatchItemStatus.CANCELLED)
        )
        if batch.cancelled_at is None:
            batch.cancelled_at = timezone.now()
            batch.save(update_fields=["cancelled_at"])
    return cancelled
