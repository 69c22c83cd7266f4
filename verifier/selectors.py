"""Reads of verifications and batches, with who may see what.

A user sees their own verifications and batches; staff see everyone's.
Anything a user may not see is reported as absent (404), not forbidden, so
ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from verifier.models import Batch, BatchItem, BatchItemStatus, Verification


def _visible_to(queryset: QuerySet, user: Any) -> QuerySet:
    if user.is_staff:
        return queryset
    return queryset.filter(user=user)


def verification_get(*, request_id: Any, user: Any) -> Verification | None:
    return _visible_to(Verification.objects.all(), user).filter(request_id=request_id).first()


def batch_get(*, batch_id: Any, user: Any) -> Batch | None:
    return _visible_to(Batch.objects.all(), user).filter(pk=batch_id).first()


def batch_progress(*, batch: Batch) -> dict[str, Any]:
    """Counts per status, the batch's overall status and an ETA in seconds."""
    counts = BatchItem.objects.filter(batch=batch).aggregate(
        queued=Count("pk", filter=Q(status=BatchItemStatus.QUEUED)),
        running=Count("pk", filter=Q(status=BatchItemStatus.RUNNING)),
        done=Count("pk", filter=Q(status=BatchItemStatus.DONE)),
        failed=Count("pk", filter=Q(status=BatchItemStatus.FAILED)),
        cancelled=Count("pk", filter=Q(status=BatchItemStatus.CANCELLED)),
        worked=Count("pk", filter=Q(started_at__isnull=False, finished_at__isnull=False)),
        first_started=Min("started_at"),
        last_finished=Max("finished_at"),
    )
    pending = counts["queued"] + counts["running"]
    if pending == 0:
        status = "cancelled" if counts["cancelled"] else "done"
    elif counts["first_started"] is None:
        status = "queued"  # items failed on upload (not images) do not count as started
    else:
        status = "running"
    eta_seconds = None
    if pending and counts["worked"]:
        # Throughput so far, all workers together; items failed on upload excluded.
        elapsed = (timezone.now() - counts["first_started"]).total_seconds()
        eta_seconds = round(pending * elapsed / counts["worked"], 1)
    return {
        "status": status,
        "total": batch.total,
        "queued": counts["queued"],
        "running": counts["running"],
        "done": counts["done"],
        "failed": counts["failed"],
        "cancelled": counts["cancelled"],
        "eta_seconds": eta_seconds,
        "finished_at": counts["last_finished"] if pending == 0 else None,
    }


def batch_item_list(*, batch: Batch) -> QuerySet[BatchItem]:
    """The batch's items in upload order, each with its audit row (if done)."""
    return (
        BatchItem.objects.filter(batch=batch)
        .select_related("verification")
        .order_by("position")
        .defer("verification__images", "verification__timings")
    )
