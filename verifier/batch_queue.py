"""The batch work queue as the batch services see it.

`verifier.tasks` defines the tasks, which call the batch services; the
services enqueue those same tasks. So that neither imports the other, the
tasks register themselves here when the app starts (`VerifierConfig.ready`)
and the services enqueue through `batch_tasks()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_tasks.base import Task


@dataclass(frozen=True)
class BatchTasks:
    item: Task  # verify one label set of a batch: takes the item's id
    watch: Task  # re-queue a batch's lost items: takes the batch's id as text


_registered: list[BatchTasks] = []


def batch_tasks_register(tasks: BatchTasks) -> None:
    _registered[:] = [tasks]


def batch_tasks() -> BatchTasks:
    if not _registered:
        raise RuntimeError("The batch tasks are not registered: is the verifier app loaded?")
    return _registered[0]
