"""Load shedding and work amplification, measured on the running service.

Starts the service as the README does (`scripts/serve.sh`, no task workers)
on a free port with a throw-away data folder, then prints:

1. amplification: what one 7000 x 7000 flat-colour PNG (about 60 KB) costs the
   web workers (CPU seconds, their Tesseract children included, and peak RSS),
   and what four at once get;
2. shedding: what 8 and 16 concurrent clients get, each posting labels one
   after another: status codes, p50/p95 latency of all answers, of the 200s
   and of the 503s.

    .venv/bin/python -m bench.shedding
    .venv/bin/python -m bench.shedding --clients 8 16 --requests-per-client 3
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency import Server, _descendants, percentile, running_server  # noqa: E402
from labelgen.studio import studio_label  # noqa: E402
from verifier.application_data import application_to_json  # noqa: E402


def flat_png(size: int = 7000) -> bytes:
    """Mostly flat colour with a line of text: what compresses to tens of KB."""
    image = Image.new("RGB", (size, size), (236, 226, 200))
    ImageDraw.Draw(image).text((200, 200), "GOVERNMENT WARNING", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def gunicorn_workers(server: Server) -> list[int]:
    """gunicorn's worker processes (their parent is the gunicorn master)."""
    tree = _descendants(server.process.pid)
    gunicorns = set()
    for pid, _ in tree:
        try:
            words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"gunicorn" in word for word in words):
            gunicorns.add(pid)
    return sorted(pid for pid, parent in tree if pid in gunicorns and parent in gunicorns)


def cpu_with_children(pid: int) -> float:
    """User + system CPU of a process and of its children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss(pids: list[int]) -> None:
    """Start each process's VmHWM afresh (Linux: clear_refs 5), so that the peak
    printed is the request's, not the warm-up's."""
    for pid in pids:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def amplification(server: Server, *, at_once: int) -> None:
    data = flat_png()
    workers = gunicorn_workers(server)
    # Warm every web worker up (models loaded), so that what follows is the request's own cost.
    small = flat_png(400)
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda _: requests.post(
                    f"{server.url}/verify", files=[("image", ("warmup.png", small))], timeout=120
                ),
                range(16),
            )
        )
    cpu_before = {pid: cpu_with_children(pid) for pid in workers}
    rss_before = {pid: memory_mb(pid, "VmRSS") for pid in workers}
    reset_peak_rss(workers)
    print(f"amplification: one {len(data) / 1024:.0f} KB PNG of 7000 x 7000 pixels")

    def post(_: int) -> tuple[int, float]:
        started = time.perf_counter()
        response = requests.post(
            f"{server.url}/verify", files=[("image", ("huge.png", data))], timeout=180
        )
        return response.status_code, time.perf_counter() - started

    status, seconds = post(0)
    cpu = sum(cpu_with_children(pid) - cpu_before[pid] for pid in workers)
    print(f"  1 request : status {status} in {seconds:.1f} s, web workers' CPU {cpu:.1f} s")
    for pid in workers:
        print(
            f"    gunicorn worker {pid}: RSS before {rss_before[pid]:.0f} MB, "
            f"peak {memory_mb(pid, 'VmHWM'):.0f} MB"
        )
    cpu_before = {pid: cpu_with_children(pid) for pid in workers}
    reset_peak_rss(workers)
    with ThreadPoolExecutor(at_once) as pool:
        answers = list(pool.map(post, range(at_once)))
    cpu = sum(cpu_with_children(pid) - cpu_before[pid] for pid in workers)
    codes = Counter(status for status, _ in answers)
    slowest = max(seconds for _, seconds in answers)
    print(f"  {at_once} at once: {dict(codes)}, slowest {slowest:.1f} s, CPU {cpu:.1f} s")
    for pid in workers:
        print(f"    gunicorn worker {pid}: peak RSS {memory_mb(pid, 'VmHWM'):.0f} MB")


def shedding(server: Server, *, clients: int, per_client: int, labels: list) -> None:
    session = requests.Session()

    def client(number: int) -> list[tuple[int, float, str | None]]:
        answers = []
        for round_ in range(per_client):
            label = labels[(number * per_client + round_) % len(labels)]
            files = [("image", (f"panel{i}.png", data)) for i, data in enumerate(label.panels)]
            fields = {"application": json.dumps(application_to_json(label.application))}
            started = time.perf_counter()
            response = session.post(f"{server.url}/verify", files=files, data=fields, timeout=120)
            elapsed = time.perf_counter() - started
            answers.append((response.status_code, elapsed, response.headers.get("Retry-After")))
        return answers

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        answers = [answer for answers in pool.map(client, range(clients)) for answer in answers]
    wall = time.perf_counter() - started
    codes = Counter(status for status, _, _ in answers)
    print(f"shedding: {clients} concurrent clients x {per_client} requests, {wall:.1f} s")
    print(f"  status codes: {dict(sorted(codes.items()))}")
    groups = {"all": [seconds for _, seconds, _ in answers]}
    for code in sorted(codes):
        groups[str(code)] = [seconds for status, seconds, _ in answers if status == code]
    for name, values in groups.items():
        print(
            f"  {name:>4}: p50 {statistics.median(values):5.1f} s   "
            f"p95 {percentile(values, 0.95):5.1f} s   max {max(values):5.1f} s"
        )
    retry_after = {value for status, _, value in answers if status == 503}
    if retry_after:
        print(f"  503 Retry-After: {sorted(retry_after)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 16])
    parser.add_argument("--requests-per-client", type=int, default=2)
    parser.add_argument("--labels", type=int, default=8, help="distinct studio labels")
    parser.add_argument("--no-amplification", action="store_true")
    args = parser.parse_args()

    labels = [studio_label(seed) for seed in range(args.labels)]
    with running_server(task_workers=0) as server:
        if not args.no_amplification:
            amplification(server, at_once=4)
        for clients in args.clients:
            shedding(server, clients=clients, per_client=args.requests_per_client, labels=labels)


if __name__ == "__main__":
    main()
