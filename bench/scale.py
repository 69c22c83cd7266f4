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
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = f"ttb_scale_bench_{os.getpid()}"
LEASE_SECONDS = 10  # a killed worker's label is re-queued after this (production: 300)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


# ---------------------------------------------------------------- CPU accounting


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def process_cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: reaped children
    return ticks / CLOCK_TICKS


def postgres_cpu_seconds() -> float:
    """CPU of the whole PostgreSQL server so far: the postmaster with the
    backends it has reaped, plus every live backend."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    fields = _stat_fields(int(entry.name))
                    if fields is not None:
                        processes[int(entry.name)] = int(fields[1])  # ppid
            except OSError:
                continue
    if not processes:
        raise SystemExit("no `postgres` process on this machine: start it as .ci/run does")
    total = 0.0
    for pid, parent in processes.items():
        total += process_cpu_seconds(pid, with_children=parent not in processes)
    return total


def machine_busy_seconds() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


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


@dataclass
class RunResult:
    workers: int
    items: int
    drain_seconds: float  # commit to the last label done, re-runs after kills included
    steady_items: int  # labels done at their first attempt (their worker was not killed)
    steady_seconds: float  # commit to the last of those
    waits: list[float]
    postgres_cpu: float
    worker_cpu: float
    machine_cpu: float
    kills: int
    restarted_labels: int
    problems: list[str]  # labels lost or run twice: empty when the queue held

    @property
    def throughput(self) -> float:
        """Labels/s while every worker runs; a killed worker's label waits out its
        lease (BATCH_ITEM_LEASE_SECONDS) and would measure the lease instead."""
        return self.steady_items / self.steady_seconds

    def cores(self, cpu_seconds: float) -> float:
        return cpu_seconds / self.drain_seconds

    @property
    def other_cores(self) -> float:
        """Busy cores that were neither the workers nor PostgreSQL: this bench's
        polling and whatever else runs on the machine."""
        return self.cores(self.machine_cpu - self.worker_cpu - self.postgres_cpu)


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


def check_exactly_once(
    batch_id, digests: dict[str, str], stub_log: Path, pool: WorkerPool
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


def lost_label_story(item, pool: WorkerPool) -> str:
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


# ---------------------------------------------------------------- report


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def print_table(results: list[RunResult], service_seconds: float) -> None:
    print(
        f"\n{'N':>3} {'labels/s':>9} {'ideal':>6} {'effic.':>6} {'drain':>7}"
        f" {'wait p50':>9} {'wait p95':>9} {'pg ms/label':>11} {'cores: pg':>9}"
        f" {'workers':>7} {'other':>6} {'kills':>5} {'re-run':>6}"
    )
    for r in results:
        ideal = r.workers / service_seconds
        print(
            f"{r.workers:>3} {r.throughput:>9.1f} {ideal:>6.0f} {r.throughput / ideal:>6.0%}"
            f" {r.drain_seconds:>6.1f}s"
            f" {percentile(r.waits, 0.5):>8.1f}s {percentile(r.waits, 0.95):>8.1f}s"
            f" {1000 * r.postgres_cpu / r.items:>11.2f} {r.cores(r.postgres_cpu):>9.2f}"
            f" {r.cores(r.worker_cpu):>7.2f} {r.other_cores:>6.2f}"
            f" {r.kills:>5} {r.restarted_labels:>6}"
        )
    print(
        "labels/s: labels done at their first attempt / seconds to the last of them;"
        f" ideal: N / {service_seconds:g} s; drain: to the last label, the re-runs after"
        f" kill -9 (lease {LEASE_SECONDS} s) included; wait: commit of the batch to a"
        " label's first start; cores: CPU seconds / drain seconds (other: the rest of the"
        " machine, this bench's polling and anything else running)."
    )


def closing_note(results: list[RunResult], service_seconds: float) -> str:
    pg_ms = statistics.median(1000 * r.postgres_cpu / r.items for r in results)
    worker_ms = statistics.median(1000 * r.worker_cpu / r.items for r in results)
    lines = [
        f"Per label, measured: PostgreSQL {pg_ms:.1f} ms CPU, a worker {worker_ms:.1f} ms CPU"
        f" besides the {service_seconds:g} s stub (medians over the runs). One PostgreSQL vCPU"
        f" therefore carries the queue for about {1000 / pg_ms:.0f} labels/s; on this machine"
        f" workers and database together would fill its {CORES} cores at about"
        f" {1000 * CORES / (pg_ms + worker_ms):.0f} labels/s.",
    ]
    stop = next((r for r in results if r.throughput < 0.8 * r.workers / service_seconds), None)
    if stop is None:
        best = max(results, key=lambda r: r.throughput)
        lines.append(
            f"Scaling did not stop up to N={results[-1].workers}: every run kept 80% or more of"
            f" the ideal N/{service_seconds:g} labels/s (best {best.throughput:.1f} labels/s)."
        )
        return "\n".join(lines)
    busy = stop.cores(stop.machine_cpu)
    ours = stop.cores(stop.worker_cpu + stop.postgres_cpu)
    if busy >= 0.85 * CORES:
        why = (
            f"the machine's {CORES} cores were {busy / CORES:.0%} busy: the workers"
            f" {stop.cores(stop.worker_cpu):.2f} cores, PostgreSQL"
            f" {stop.cores(stop.postgres_cpu):.2f}, everything else {stop.other_cores:.2f}."
            " Each worker then waits for a core between its sleeps, so the limit is this"
            " host's CPU, not the queue" + (" (most of it not ours)" if ours < 0.5 * busy else "")
        )
    elif stop.cores(stop.postgres_cpu) >= 0.85:
        why = (
            f"PostgreSQL used {stop.cores(stop.postgres_cpu):.2f} cores: the queue's database"
            " is the limit"
        )
    else:
        why = (
            f"the cores were only {busy / CORES:.0%} busy, so the workers waited on each"
            " other: the claim (SELECT ... FOR UPDATE SKIP LOCKED on the queue, then the"
            " label's own UPDATE) and its round trips serialise them"
        )
    lines.append(
        f"Scaling stops at N={stop.workers} ({stop.throughput:.1f} labels/s,"
        f" {stop.throughput / (stop.workers / service_seconds):.0%} of ideal): {why}."
    )
    return "\n".join(lines)


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
        print_table(results, args.service_seconds)
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
