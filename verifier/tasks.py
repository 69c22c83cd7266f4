"""Background tasks (Django's Tasks framework, database backend).

Thin wrappers: the work and its rules live in `verifier.services.batches`,
which enqueues these tasks through `verifier.batch_queue` (see `register`).
"""

from __future__ import annotations

from django_tasks import task

from verifier.batch_queue import BatchTasks, batch_tasks_register
from verifier.services.batches import batch_item_run, batch_watch_run


@task()
def batch_item_verify(item_id: int) -> str:
    """Verify one label set of a batch."""
    return batch_item_run(item_id=item_id)


@task()
def batch_watch(batch_id: str) -> bool:
    """Re-queue a batch's items whose worker died; repeats until nothing is pending."""
    return batch_watch_run(batch_id=batch_id)


def register() -> None:
    """Hand these tasks to the batch services' queue (`VerifierConfig.ready` calls it)."""
    batch_tasks_register(BatchTasks(item=batch_item_verify, watch=batch_watch))
