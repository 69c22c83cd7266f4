"""How far the batch queue scales across worker processes, on PostgreSQL.

For each N in --workers it starts N `manage.py db_worker` processes against a
database of its own (created on the PostgreSQL server in --database-url and
dropped at the end), with a stub in place of the engine that sleeps
--service-seconds (bench/scale_engine.py, named by bench/scale_settings.py), so
the machine's cores are not what is measured. It queues --items labels as one
batch through the real batch service and drains them while it `kill -9`s
--kills random workers at random moments (each replaced at once by a new one;
the killed worker's label comes back after BATCH_ITEM_LEASE_SECONDS). Then it
checks that every label is done with exactly one audit row and that no label was
started twice except after its worker was killed, and prints, per N:
throughput, queue wait p50/p95 (from the batch's commit to the label's first
start), and the CPU that PostgreSQL, the workers and the whole machine spent.
A closing note says where scaling stops and why.

Start PostgreSQL as `.ci/run` does first. Then:

    .venv/bin/python -m bench.scale                               # 1..32 workers, 5,000 labels
    .venv/bin/python -m bench.scale --workers 4,8 --items 500     # a quick look
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench.cpu_accounting import machine_busy_seconds, postgres_cpu_seconds, process_cpu_seconds
from bench.scale_checks import check_exactly_once, finish_times, queue_waits
from bench.scale_report import CORES, RunResult, closing_note, print_table

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = f"ttb_scale_bench_{os.getpid()}"
LEASE_SECONDS = 10  # a killed worker's label is re-queued after this (production: 300)


# ---------------------------------------------------------------- database


def server_url(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(database_url: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return server_url(database_url, BENCH_DATABASE)


def drop_database(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def worker_environment(
    bench_url: str, scratch: Path, stub_log: Path, service_seconds: float
) -> dict[str, str]:
    return {
        **os.environ,
        "DATA_DIR": str(scratch / "data"),  # waiting panels, if kept as files
        "DJANGO_SETTINGS_MODULE": "bench.scale_settings",
        "DATABASE_URL": bench_url,
        "DEBUG": "false",  # DEBUG keeps every query in memory
        "SECRET_KEY": "scale-bench-only-not-a-secret-0123456789abcdef",
        "ALLOWED_HOSTS": "localhost",
        "BATCH_ITEM_LEASE_SECONDS": str(LEASE_SECONDS),
        "SCALE_STUB_SECONDS": str(service_seconds),
        "SCALE_STUB_LOG": str(stub_log),
        "OCR_THREADS": "1",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


# ---------------------------------------------------------------- workers


@dataclass
class WorkerPool:
    environment: dict[str, str]
    log_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    killed: set[int] = field(default_factory=set)
    killed_worker_ids: set[str] = field(default_factory=set)
    worker_ids: dict[int, str] = field(default_factory=dict)  # pid -> db_worker's --worker-id
    started: int = 0

    def start(self) -> subprocess.Popen:
        self.started += 1
        worker_id = f"scale-{os.getpid()}-{self.started}"
        log = (self.log_dir / f"worker-{self.started}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "-v",
                "0",
                "--worker-id",
                worker_id,
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        self.worker_ids[process.pid] = worker_id
        return process

    def live(self) -> list[subprocess.Popen]:
        return [p for p in self.processes if p.poll() is None]

    def kill_one(self, rng: random.Random) -> float:
        """`kill -9` a random worker and start another; the CPU the victim had used."""
        victim = rng.choice(self.live())
        cpu = process_cpu_seconds(victim.pid)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        self.killed.add(victim.pid)
        self.killed_worker_ids.add(self.worker_ids[victim.pid])
        self.start()  # the restart: N workers again
        return cpu

    def cpu_seconds(self) -> float:
        return sum(process_cpu_seconds(p.pid) for p in self.live())

    def stop(self) -> None:
        for process in self.live():
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# ---------------------------------------------------------------- one run


def label_files(prefix: str, count: int) -> tuple[list, dict[str, str]]:
    """`count` one-panel labels whose bytes differ (a PNG signature and a name:
    the stub never decodes them); and each label's sha256 by file name."""
    import hashlib

    from verifier.batch_files import BatchFile

    files, digests = [], {}
    for index in range(count):
        name = f"{prefix}-{index:05}.png"
        data = b"\x89PNG\r\n\x1a\n" + name.encode()
        files.append(BatchFile(name=name, size=len(data), read=lambda data=data: data))
        digests[name] = hashlib.sha256(data).hexdigest()
    return files, digests


def queue_batch(prefix: str, count: int):
    from django.contrib.auth import get_user_model

    from verifier.services.batches import batch_create

    user, _ = get_user_model().objects.get_or_create(username="scale-bench")
    files, digests = label_files(prefix, count)
    batch = batch_create(
        user=user,
        client_ip=None,
        files=files,
        manifest=None,
        backend="tesseract",
        dpi=None,
        save_artifact=False,
    )
    return batch, digests


def wait_until_drained(batch_id, count: int, on_tick=None, on_progress=None) -> int:
    """Poll until every label is finished, or none has finished for a while
    (three leases: a label a dead worker held would have come back by then).
    Returns how many finished."""
    from verifier.models import FINISHED_ITEM_STATUSES, BatchItem

    stall_seconds = 3 * LEASE_SECONDS + 10
    last, last_change = -1, time.monotonic()
    while True:
        finished = BatchItem.objects.filter(
            batch_id=batch_id, status__in=FINISHED_ITEM_STATUSES
        ).count()
        if finished == count:
            return finished
        if finished != last:
            last, last_change = finished, time.monotonic()
            if on_progress is not None:
                on_progress()
        elif time.monotonic() - last_change > stall_seconds:
            return finished
        if on_tick is not None:
            on_tick()
        time.sleep(0.2)


def empty_tables() -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from verifier.models import Batch, BatchItem, BatchPanel, Verification

    tables = [m._meta.db_table for m in (Verification, BatchPanel, BatchItem, Batch, DBTaskResult)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def run(
    workers: int,
    *,
    items: int,
    kills: int,
    service_seconds: float,
    bench_url: str,
    scratch: Path,
    rng: random.Random,
) -> RunResult:
    from django.utils import timezone

    empty_tables()
    stub_log = scratch / f"stub-{workers}.log"
    log_dir = scratch / f"workers-{workers}"
    log_dir.mkdir()
    pool = WorkerPool(worker_environment(bench_url, scratch, stub_log, service_seconds), log_dir)
    try:
        for _ in range(workers):
            pool.start()
        # Warm up: every worker imports the task code and connects before the clock starts.
        warm, _ = queue_batch(f"warm-{workers}", 2 * workers)
        wait_until_drained(warm.pk, 2 * workers)

        expected = items * service_seconds / workers
        kill_at = sorted(rng.uniform(0.1, 0.8) * expected for _ in range(kills))
        postgres_before, machine_before = postgres_cpu_seconds(), machine_busy_seconds()
        worker_cpu = -pool.cpu_seconds()
        started = time.monotonic()
        batch, digests = queue_batch(f"run-{workers}", items)
        committed = timezone.now()

        cpu = {"workers": 0.0, "postgres": 0.0, "machine": 0.0}

        def maybe_kill() -> None:
            nonlocal worker_cpu
            if kill_at and time.monotonic() - started >= kill_at[0]:
                kill_at.pop(0)
                worker_cpu += pool.kill_one(rng)

        def measure() -> None:  # at every finished label, so a stall adds nothing
            cpu["workers"] = worker_cpu + pool.cpu_seconds()
            cpu["postgres"] = postgres_cpu_seconds() - postgres_before
            cpu["machine"] = machine_busy_seconds() - machine_before

        wait_until_drained(batch.pk, items, on_tick=maybe_kill, on_progress=measure)
    finally:
        pool.stop()

    restarted, problems = check_exactly_once(batch.pk, digests, stub_log, pool)
    drain_seconds, steady_items, steady_seconds = finish_times(batch.pk, committed)
    return RunResult(
        workers=workers,
        items=items,
        drain_seconds=drain_seconds,
        steady_items=steady_items,
        steady_seconds=steady_seconds,
        waits=queue_waits(batch.pk, committed),
        postgres_cpu=cpu["postgres"],
        worker_cpu=cpu["workers"],
        machine_cpu=cpu["machine"],
        kills=len(pool.killed),
        restarted_labels=restarted,
        problems=problems,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--workers", default="1,2,4,8,16,32", help="comma-separated N")
    parser.add_argument("--items", type=int, default=5000, help="labels drained per run")
    parser.add_argument("--service-seconds", type=float, default=0.2, help="the stub's sleep")
    parser.add_argument("--kills", type=int, default=3, help="kill -9s per run")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://ttb:ttb@127.0.0.1:5432/ttb"),
        help="a PostgreSQL server and a role that may CREATE DATABASE",
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")

    # `kill PID` (and a background run's ignored Ctrl-C) still stops the workers
    # and drops the database.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    bench_url = create_database(args.database_url)
    try:
        with tempfile.TemporaryDirectory(prefix="ttb-scale-") as scratch:
            os.environ.update(
                worker_environment(
                    bench_url, Path(scratch), Path(scratch) / "unused.log", args.service_seconds
                )
            )
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            print(
                f"{args.items} labels per run, stub service time {args.service_seconds:g} s,"
                f" {args.kills} kill -9 per run, lease {LEASE_SECONDS} s, {CORES} cores,"
                f" database {BENCH_DATABASE}",
                flush=True,
            )
            rng = random.Random(args.seed)
            results = []
            for workers in counts:
                result = run(
                    workers,
                    items=args.items,
                    kills=args.kills,
                    service_seconds=args.service_seconds,
                    bench_url=bench_url,
                    scratch=Path(scratch),
                    rng=rng,
                )
                results.append(result)
                print(
                    f"N={workers}: {result.throughput:.1f} labels/s, drained in"
                    f" {result.drain_seconds:.1f} s; {result.kills} workers killed,"
                    f" {result.restarted_labels} labels re-run after a kill; "
                    + ("; ".join(result.problems) or f"all {args.items} done exactly once"),
                    flush=True,
                )
            from django.db import connections

            connections.close_all()
        results.sort(key=lambda r: r.workers)
        print_table(results, args.service_seconds, lease_seconds=LEASE_SECONDS)
        print()
        print(closing_note(results, args.service_seconds))
        problems = [f"N={r.workers}: {p}" for r in results for p in r.problems]
        if problems:
            raise SystemExit("\nFAILED: not every label ran exactly once:\n" + "\n".join(problems))
        print(f"\nOK: in every run each of the {args.items} labels ran exactly once.")
    finally:
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
