"""Load shedding: each process runs at most `ENGINE_CONCURRENCY` interactive
engine calls at once.

A request that finds every slot taken waits `ENGINE_QUEUE_WAIT_SECONDS` at
most, then gets `EngineBusy` (the API answers 503 with `Retry-After`): on a
full machine a fast "try again" is better than a queue whose every request
ends past its deadline. Batch items do not take slots; they queue by design.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from verifier.engine.errors import EngineError

# What a shed request is told: a label takes a few seconds.
RETRY_AFTER_SECONDS = 5

_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


class EngineBusy(EngineError):
    """Every engine slot of this process is taken; try again shortly."""

    code = "server_busy"


def _semaphore() -> threading.BoundedSemaphore:
    """This process's slots, made anew if the setting changed (tests change it)."""
    global _slots
    limit = settings.ENGINE_CONCURRENCY
    with _lock:
        if _slots is None or _slots[0] != limit:
            _slots = (limit, threading.BoundedSemaphore(limit))
        return _slots[1]


@contextmanager
def engine_slot(*, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold one engine slot for the block, or raise `EngineBusy` after a short
    wait (`ENGINE_QUEUE_WAIT_SECONDS`, or less when `wait_seconds` says so)."""
    wait = settings.ENGINE_QUEUE_WAIT_SECONDS
    if wait_seconds is not None:
        wait = max(0.0, min(wait, wait_seconds))
    slots = _semaphore()
    if not slots.acquire(timeout=wait):
        raise EngineBusy(
            f"The server is verifying as many labels as it can ({settings.ENGINE_CONCURRENCY} "
            f"at once per process). Try again in {RETRY_AFTER_SECONDS} seconds.",
            details={"retry_after_seconds": RETRY_AFTER_SECONDS},
        )
    try:
        yield
    finally:
        slots.release()
