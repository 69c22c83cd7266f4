"""bench/scale.py's checks and clocks on a drained batch: every label done exactly
once, the story of a lost one, and the queue waits and finish times."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol


class KillRecord(Protocol):
    """What the worker pool remembers of the workers it killed."""

    killed: set[int]  # process ids
    killed_worker_ids: set[str]  # the task framework's worker ids


def check_exactly_once(
    batch_id, digests: dict[str, str], stub_log: Path, pool: KillRecord
) -> tuple[int, list[str]]:
    """Every label done with one audit row, started more than once only after a
    kill. Returns how many labels were started again after their worker died,
    and what went wrong (empty: nothing)."""
    from django.db.models import Count

    from verifier.models import BatchItem, BatchItemStatus, Verification

    problems = []
    items = BatchItem.objects.filter(batch_id=batch_id)
    for item in items.exclude(status=BatchItemStatus.DONE):
        problems.append(f"LOST: {item.name} is {item.status}; {lost_label_story(item, pool)}")
    rows = Verification.objects.filter(batch_id=batch_id).values("batch_item_id")
    for row in rows.annotate(count=Count("id")).filter(count__gt=1):
        problems.append(f"RAN TWICE: item {row['batch_item_id']} has {row['count']} audit rows")

    starts: dict[str, list[int]] = {}
    for line in stub_log.read_text().splitlines():
        digest, pid = line.split()
        starts.setdefault(digest, []).append(int(pid))
    names = dict(items.values_list("name", "status"))
    restarted = 0
    for name, digest in digests.items():
        pids = starts.get(digest, [])
        survivors = [pid for pid in pids if pid not in pool.killed]
        if names.get(name) == BatchItemStatus.DONE and not pids:
            problems.append(f"{name} is done, yet the engine never saw it")
        if len(survivors) > 1:
            problems.append(f"RAN TWICE: {name} by workers {pids} (killed: {sorted(pool.killed)})")
        restarted += len(pids) > 1
    return restarted, problems


def lost_label_story(item, pool: KillRecord) -> str:
    """What the queue holds for a label that never finished."""
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(
        task_path__endswith="batch_item_verify", args_kwargs__args__0=item.pk
    ).order_by("enqueued_at")
    told = []
    for task in tasks:
        workers = ", ".join(
            f"{worker} ({'killed' if worker in pool.killed_worker_ids else 'alive'})"
            for worker in task.worker_ids
        )
        told.append(f"task {task.status} taken by {workers or 'nobody'}")
    return f"attempts {item.attempts}; its tasks: {'; '.join(told) or 'none'}." + (
        " A worker took its task and was killed before it claimed the label: the"
        " label stays queued, its task stays RUNNING, and the lease sweep"
        " (batch_items_requeue_stale) only looks at running labels."
        if item.status == "queued" and tasks and tasks.last().status == "RUNNING"
        else ""
    )


def queue_waits(batch_id, committed: datetime) -> list[float]:
    """Seconds from the batch's commit to each label's first start."""
    from django_tasks_db.models import DBTaskResult

    from verifier.models import BatchItem

    item_ids = set(BatchItem.objects.filter(batch_id=batch_id).values_list("pk", flat=True))
    first_start: dict[int, datetime] = {}
    tasks = DBTaskResult.objects.filter(
        task_path__endswith="batch_item_verify", started_at__isnull=False
    ).values_list("args_kwargs", "started_at")
    for args_kwargs, started_at in tasks:
        item_id = args_kwargs["args"][0]
        if item_id in item_ids and (
            item_id not in first_start or started_at < first_start[item_id]
        ):
            first_start[item_id] = started_at
    return [(started - committed).total_seconds() for started in first_start.values()]


def finish_times(batch_id, committed: datetime) -> tuple[float, int, float]:
    """Seconds from the commit to the last label done; how many labels were done
    at their first attempt, and seconds to the last of those."""
    from verifier.models import BatchItem

    rows = BatchItem.objects.filter(batch_id=batch_id, finished_at__isnull=False).values_list(
        "attempts", "finished_at"
    )
    drain = max(finished for _, finished in rows)
    first = [finished for attempts, finished in rows if attempts == 1]
    return (
        (drain - committed).total_seconds(),
        len(first),
        (max(first) - committed).total_seconds(),
    )
