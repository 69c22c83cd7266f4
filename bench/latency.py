"""HTTP latency of `POST /verify`, and what HTTP and the audit row add to the engine.

Starts the service as the README does (`scripts/serve.sh`: gunicorn plus task
workers) on a free port with a throw-away data folder, posts generated labels
from client threads, and prints p50/p95 latency, throughput, and the overhead:
client-side latency minus the engine time the answer reports
(`processing_time_seconds`). Also prints each server process's memory (RSS).

    .venv/bin/python -m bench.latency --requests 60 --concurrency 1
    .venv/bin/python -m bench.latency --requests 120 --concurrency 4
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labelgen import render_label, spec_for_seed  # noqa: E402
from verifier.application_data import application_to_json  # noqa: E402


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    env: dict[str, str]

    def manage(self, *args: str) -> str:
        command = [str(ROOT / ".venv/bin/python"), "manage.py", *args]
        return subprocess.run(
            command, cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of every process the server started, by command."""
        return {name: usage.rss_mb for name, usage in self.usage().items()}

    def usage(self) -> dict[str, Usage]:
        """Memory and CPU time so far of each gunicorn process and task worker."""
        roles: dict[int, str] = {}
        workers: set[int] = set()  # task workers and gunicorn's (not its master)
        found: dict[str, Usage] = {}
        for pid, parent in _descendants(self.process.pid):
            if parent in workers:
                continue  # a worker's fork caught before it execs Tesseract
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                cpu = cpu_seconds(pid)
            except OSError:
                continue
            rss = next(
                (line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")), None
            )
            words = [w.decode() for w in command if w]
            role = next((w for w in words if w in ("db_worker",)), None) or (
                "gunicorn" if any("gunicorn" in w for w in words) else None
            )
            if not role:
                continue
            roles[pid] = role
            if role == "db_worker" or roles.get(parent) == "gunicorn":
                workers.add(pid)
            if rss:
                found[f"{role}[{pid}]"] = Usage(rss_mb=int(rss) / 1024, cpu_seconds=cpu)
        return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Usage:
    rss_mb: float
    cpu_seconds: float


def _descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, parent pid) of every process under `pid`, parents before children."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        parent = stack.pop()
        for child in children.get(parent, []):
            found.append((child, parent))
            stack.append(child)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(*, task_workers: int | None = None) -> Iterator[Server]:
    """`scripts/serve.sh` with its own data folder (SQLite unless DATABASE_URL is set)."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="ttb-bench-") as data_dir:
        # The engine, imported here, sets OMP_THREAD_LIMIT=1 for its own Tesseract
        # runs; serve.sh's `nproc` honours it and would start one task worker.
        inherited = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
        env = {**inherited, "DATA_DIR": data_dir, "BIND": f"127.0.0.1:{port}"}
        env.setdefault("LOG_LEVEL", "WARNING")
        if task_workers is not None:
            env["TASK_WORKERS"] = str(task_workers)
        log = open(Path(data_dir) / "serve.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [str(ROOT / "scripts/serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one process group: stopped together below
        )
        server = Server(url=f"http://127.0.0.1:{port}", process=process, env=env)
        try:
            _wait_until_up(server, log_path=Path(data_dir) / "serve.log")
            yield server
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
            log.close()


def _wait_until_up(server: Server, *, log_path: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"serve.sh exited:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{server.url}/health", timeout=2).status_code < 500:
                return
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--labels", type=int, default=10, help="distinct generated labels")
    parser.add_argument("--warmup", type=int, default=4)
    args = parser.parse_args()

    labels = [render_label(spec_for_seed(seed)) for seed in range(args.labels)]
    with running_server(task_workers=0) as server:
        session = requests.Session()

        def post(index: int) -> tuple[float, float]:
            label = labels[index % len(labels)]
            files = [("image", (f"panel{i}.png", data)) for i, data in enumerate(label.panels)]
            fields = {"application": json.dumps(application_to_json(label.application))}
            started = time.perf_counter()
            response = session.post(f"{server.url}/verify", files=files, data=fields, timeout=60)
            elapsed = time.perf_counter() - started
            response.raise_for_status()
            return elapsed, response.json()["processing_time_seconds"]

        for index in range(args.warmup):
            post(index)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(post, range(args.requests)))
        wall = time.perf_counter() - started
        memory = server.rss_mb()

    latencies = [latency * 1000 for latency, _ in results]
    overheads = [(latency - engine) * 1000 for latency, engine in results]
    engine = [engine * 1000 for _, engine in results]
    print(f"POST /verify  requests={args.requests} concurrency={args.concurrency}")
    for name, values in (("latency", latencies), ("engine", engine), ("overhead", overheads)):
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"{name:9} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    print("(overhead: client latency - engine time = HTTP + validation + audit row)")
    print(f"throughput {args.requests / wall:.2f} labels/s over {wall:.1f} s")
    for name, size in sorted(memory.items()):
        print(f"rss {name:24} {size:6.0f} MB")


if __name__ == "__main__":
    main()
