"""CPU seconds from /proc: one process (with its reaped children), the whole
PostgreSQL server, the whole machine. bench/scale.py's accounting."""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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
