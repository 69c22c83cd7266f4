"""The model status document, written atomically and at most about once a second.

One `StatusWriter` per fetch. It owns the document's invariants, so every
source (S3, Ollama) gets them for free:

- the status only moves forward: downloading -> extracting -> ready, or error;
- byte counters never go back, even when callbacks arrive out of order from
  several download threads;
- the ETA comes from the rate over the last few seconds, not since the start,
  so a slow first minute does not skew it for the rest of the download.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from modelstatus.services.errors import ModelFetchError

STATUSES = ("not_started", "downloading", "extracting", "ready", "error")
_FORWARD_ORDER = {"not_started": 0, "downloading": 1, "extracting": 2, "ready": 3}
# Which byte counter each working phase advances.
_COUNTER = {"downloading": "downloaded_bytes", "extracting": "extracted_bytes"}

Document = dict[str, Any]
Listener = Callable[[Document], None]


def monotonic_seconds() -> float:
    return time.monotonic()


def utc_timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atomic_write_json(path: Path, document: Document) -> None:
    """Write beside the target, then rename over it: a reader sees the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as handle:
            json.dump(document, handle)
        # mkstemp makes 0600; the app container reads this as another user.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


class StatusWriter:
    def __init__(
        self,
        *,
        path: Path,
        model: str,
        source: str,
        write_interval_seconds: float = 1.0,
        rate_window_seconds: float = 10.0,
        clock: Callable[[], float] | None = None,
        listener: Listener | None = None,
    ) -> None:
        self.path = path
        self._clock = clock or monotonic_seconds
        self._interval = write_interval_seconds
        self._window = rate_window_seconds
        self._listener = listener
        self._lock = threading.Lock()
        self._samples: deque[tuple[float, int]] = deque()
        self._last_write: float | None = None
        self._document: Document = {
            "model": model,
            "status": "not_started",
            "progress": {
                "downloaded_bytes": 0,
                "total_bytes": None,
                "percentage": None,
                "estimated_time_remaining_seconds": None,
            },
            "source": source,
            "started_at": utc_timestamp(),
            "updated_at": utc_timestamp(),
        }

    @property
    def document(self) -> Document:
        with self._lock:
            return json.loads(json.dumps(self._document))

    def begin(self, status: str, *, total_bytes: int | None = None) -> None:
        """Enter a working phase (`downloading` or `extracting`) and write at once."""
        with self._lock:
            self._move_to(status)
            progress = self._document["progress"]
            progress.setdefault(_COUNTER[status], 0)
            if total_bytes is not None:
                progress["total_bytes"] = max(total_bytes, progress["total_bytes"] or 0)
            progress["estimated_time_remaining_seconds"] = None
            self._samples.clear()
            self._refresh_progress()
            self._write()

    def advance(self, done_bytes: int, *, total_bytes: int | None = None) -> None:
        """The current phase has done `done_bytes` in all; writes if a second has passed."""
        with self._lock:
            self._set_counter(done_bytes, total_bytes)

    def add(self, more_bytes: int) -> None:
        """boto3's transfer callback: `more_bytes` arrived since the last call."""
        with self._lock:
            counter = _COUNTER.get(self._document["status"])
            if counter is not None:
                self._set_counter(self._document["progress"][counter] + more_bytes, None)

    def ready(self, *, total_bytes: int | None = None, **extra: Any) -> None:
        """Done; `extra` keys join the document (e.g. `already_installed`)."""
        with self._lock:
            self._move_to("ready")
            progress = self._document["progress"]
            if total_bytes is not None:
                progress["total_bytes"] = total_bytes
            total = progress["total_bytes"]
            if total is not None:
                for counter in _COUNTER.values():
                    if counter in progress:
                        progress[counter] = total
            progress["percentage"] = 100.0
            progress["estimated_time_remaining_seconds"] = 0
            self._document["completed_at"] = utc_timestamp()
            self._document.update(extra)
            self._write()

    def fail(self, message: str) -> None:
        with self._lock:
            self._document["status"] = "error"
            self._document["error"] = message
            self._document["progress"]["estimated_time_remaining_seconds"] = None
            self._write()

    @contextlib.contextmanager
    def recording_failure(self) -> Iterator[None]:
        """Any exception inside ends the document in `error`, then propagates."""
        try:
            yield
        except ModelFetchError as error:
            self.fail(str(error))
            raise
        except Exception as error:
            self.fail(
                f"The fetch stopped on an unexpected {type(error).__name__}: {error}. "
                "The command's output has the details."
            )
            raise

    # Everything below runs with the lock held.

    def _move_to(self, status: str) -> None:
        current = self._document["status"]
        if current == "error" or _FORWARD_ORDER[status] < _FORWARD_ORDER[current]:
            raise ValueError(f"The status cannot go from {current} to {status}.")
        self._document["status"] = status

    def _set_counter(self, done_bytes: int, total_bytes: int | None) -> None:
        status = self._document["status"]
        if status not in _COUNTER:
            return  # a late callback after the phase ended
        progress = self._document["progress"]
        counter = _COUNTER[status]
        progress[counter] = max(progress[counter], done_bytes)
        if total_bytes is not None:
            progress["total_bytes"] = max(total_bytes, progress["total_bytes"] or 0)
        self._refresh_progress()
        now = self._clock()
        if self._last_write is None or now - self._last_write >= self._interval:
            self._write()
        elif self._listener is not None:
            self._listener(self._document)

    def _refresh_progress(self) -> None:
        progress = self._document["progress"]
        done = progress[_COUNTER[self._document["status"]]]
        total = progress["total_bytes"]
        now = self._clock()
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[0][0] > self._window:
            self._samples.popleft()
        if not total:
            return
        progress["percentage"] = round(min(100.0, 100.0 * done / total), 1)
        first_time, first_done = self._samples[0]
        elapsed, gained = now - first_time, done - first_done
        if elapsed > 0 and gained > 0:
            rate = gained / elapsed
            progress["estimated_time_remaining_seconds"] = math.ceil(max(0, total - done) / rate)

    def _write(self) -> None:
        self._document["updated_at"] = utc_timestamp()
        self._last_write = self._clock()
        atomic_write_json(self.path, self._document)
        if self._listener is not None:
            self._listener(self._document)
