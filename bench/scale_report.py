"""bench/scale.py's results: one run's measures, the table and the closing note."""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass

CORES = os.cpu_count() or 1


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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def print_table(results: list[RunResult], service_seconds: float, *, lease_seconds: float) -> None:
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
        f" kill -9 (lease {lease_seconds:g} s) included; wait: commit of the batch to a"
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
