"""Embedded mode survives a dead process: `scripts/serve.sh` starts a task
worker or gunicorn again after `kill -9`, and `/health` keeps answering.

Runs the real script on a free port, on SQLite in a fresh data folder, with
one task worker and one web worker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes() -> dict[int, tuple[int, list[str]]]:
    """pid -> (parent pid, command line words) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                words = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
                found[int(entry.name)] = (parent, [w for w in words if w])
    return found


def _descendants(root: int) -> dict[int, tuple[int, list[str]]]:
    table = _processes()
    result, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, words) in table.items():
            if ppid == parent and pid not in result:
                result[pid] = (ppid, words)
                frontier.append(pid)
    return result


def _pids(root: int, role: Callable[[list[str]], bool]) -> set[int]:
    return {pid for pid, (_, words) in _descendants(root).items() if role(words)}


def _is_task_worker(words: list[str]) -> bool:
    return "db_worker" in words


def _gunicorn_masters(root: int) -> set[int]:
    """gunicorn processes whose parent is not gunicorn (its workers' parent is)."""
    tree = _descendants(root)
    gunicorns = {pid for pid, (_, words) in tree.items() if any("gunicorn" in w for w in words)}
    return {pid for pid in gunicorns if tree[pid][0] not in gunicorns}


def _wait(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)


def _health(url: str) -> int | None:
    try:
        return requests.get(f"{url}/health", timeout=5).status_code
    except requests.RequestException:
        return None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    port = _free_port()
    # Embedded mode: no DATABASE_URL. The engine's OMP_THREAD_LIMIT would make nproc say 1.
    dropped = {"DATABASE_URL", "DEBUG", "OMP_THREAD_LIMIT"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DATA_DIR=str(tmp_path / "data"),
        BIND=f"127.0.0.1:{port}",
        TASK_WORKERS="1",
        WEB_CONCURRENCY="1",
        LOG_LEVEL="WARNING",
    )
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(ROOT / "scripts/serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(
                lambda: process.poll() is not None or (_health(url) or 500) < 500,
                timeout=300,
                what="serve.sh to answer /health",
            )
            assert process.poll() is None, log_path.read_text()[-3000:]
            yield process, url, log_path
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_killed_processes_are_started_again_and_health_stays_up(served):
    process, url, log_path = served
    _wait(lambda: len(_pids(process.pid, _is_task_worker)) == 1, timeout=60, what="a task worker")
    (worker,) = _pids(process.pid, _is_task_worker)

    os.kill(worker, signal.SIGKILL)

    _wait(
        lambda: _pids(process.pid, _is_task_worker) - {worker},
        timeout=30,
        what="the task worker to be started again",
    )
    assert process.poll() is None, log_path.read_text()[-3000:]
    assert (_health(url) or 500) < 500

    (master,) = _gunicorn_masters(process.pid)
    os.kill(master, signal.SIGKILL)

    _wait(
        lambda: (_gunicorn_masters(process.pid) - {master}) and (_health(url) or 500) < 500,
        timeout=90,
        what="gunicorn to be started again and answer /health",
    )
    assert process.poll() is None
    assert len(_pids(process.pid, _is_task_worker)) == 1
    log = log_path.read_text()
    assert "task worker 1 exited with status 137" in log
    assert "gunicorn exited with status 137" in log


def test_stopping_serve_sh_stops_every_process_it_started(served):
    process, _, _ = served
    _wait(lambda: _pids(process.pid, _is_task_worker), timeout=60, what="a task worker")
    started = set(_descendants(process.pid))

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)

    _wait(
        lambda: not (started & set(_processes())),
        timeout=30,
        what="the workers and gunicorn to exit",
    )
