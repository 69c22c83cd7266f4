"""Reads of the model download status document (written by `fetch_model`).

Each process reads the file at most once per 5 seconds per path: the page
polls it and /health probes it, and neither needs fresher news than that. The
cache keeps failures as well as documents, so a missing or broken file is not
re-read on every request either. A broken file is an error, never the last
good document: a stale `ready` would hide a failed download.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from modelstatus.services.status_writer import STATUSES

CACHE_SECONDS = 5.0


class ModelStatusMissing(Exception):
    """No status file: no download was ever attempted on this instance."""


class ModelStatusUnreadable(Exception):
    """The status file exists but is not a status document we can trust."""


@dataclass(frozen=True)
class _CachedRead:
    expires_at: float
    document: dict[str, Any] | None
    error: Exception | None


class ModelStatusCache:
    def __init__(
        self, *, seconds: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self._reads: dict[Path, _CachedRead] = {}
        self._lock = threading.Lock()

    def read(self, path: Path) -> dict[str, Any]:
        with self._lock:
            now = self.clock()
            cached = self._reads.get(path)
            if cached is None or now >= cached.expires_at:
                try:
                    cached = _CachedRead(now + self.seconds, _read_document(path), None)
                except (ModelStatusMissing, ModelStatusUnreadable) as error:
                    cached = _CachedRead(now + self.seconds, None, error)
                self._reads[path] = cached
        if cached.error is not None:
            raise type(cached.error)(*cached.error.args)  # a fresh traceback each time
        assert cached.document is not None
        return dict(cached.document)

    def clear(self) -> None:
        with self._lock:
            self._reads.clear()


status_cache = ModelStatusCache()


def _read_document(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        raise ModelStatusMissing() from None
    except OSError as error:
        raise ModelStatusUnreadable(f"the file cannot be read ({error.strerror})") from error
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ModelStatusUnreadable(f"the file is not valid JSON ({error})") from error
    if not isinstance(document, dict) or document.get("status") not in STATUSES:
        raise ModelStatusUnreadable("the file is JSON but not a model status document")
    return document


def model_status_get(*, path: Path | None = None) -> dict[str, Any]:
    """The current status document; raises ModelStatusMissing or ModelStatusUnreadable."""
    return status_cache.read(path or settings.MODEL_STATUS_FILE)


def model_status_summary() -> dict[str, Any]:
    """For /health: the model's state in a few keys.

    Without OLLAMA_HOST the vision model is not used at all, so its download
    state cannot degrade the service: the summary says `disabled`.
    """
    model = settings.OLLAMA_MODEL
    if not settings.OLLAMA_HOST:
        return {"status": "disabled", "model": model, "reason": "OLLAMA_HOST is not set"}
    try:
        document = model_status_get()
    except ModelStatusMissing:
        return {"status": "not_started", "model": model}
    except ModelStatusUnreadable as error:
        return {"status": "unreadable", "model": model, "error": str(error)}
    summary: dict[str, Any] = {"status": document["status"], "model": document.get("model")}
    if document["status"] in {"downloading", "extracting"}:
        summary["percentage"] = (document.get("progress") or {}).get("percentage")
    if document["status"] == "error":
        summary["error"] = document.get("error")
    return summary
