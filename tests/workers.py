"""Real `manage.py db_worker` processes for tests (a pytest plugin: `start_worker`).

They need a database another process can open (PostgreSQL, as in CI); the
default in-memory SQLite test database cannot be shared, so those tests skip
there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
LEASE_SECONDS = 4


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("worker subprocesses need a shared database (PostgreSQL)")
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def start_worker(settings: Any, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start `manage.py db_worker` processes; every one is stopped at the end.

    The lease is short by default so that a killed worker's item comes back
    quickly; a test that kills nothing asks for a long one, as items on a busy
    machine may take more than a few seconds. `env` adds to the environment.
    """
    base_env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    processes: list[subprocess.Popen] = []

    def start(
        lease_seconds: int = LEASE_SECONDS, env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        settings.BATCH_ITEM_LEASE_SECONDS = lease_seconds
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]
        command += ["--no-startup-delay", "-v", "0"]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**base_env, "BATCH_ITEM_LEASE_SECONDS": str(lease_seconds), **(env or {})},
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    from verifier.models import BatchItem  # a plugin module: no models before Django is set up

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            counts = {s: BatchItem.objects.filter(status=s).count() for s in ("queued", "running")}
            pytest.fail(f"timed out waiting for {what}; still pending: {counts}")
        time.sleep(0.2)
