"""A 300-label batch through the running service: wall time and labels/s.

Starts the service as the README does (`scripts/serve.sh`, one task worker
per core unless TASK_WORKERS says otherwise), uploads a ZIP of generated
labels with a manifest, polls `GET /verify/batch/{id}` until it is done, and
prints wall time, labels/s, how many verdicts match the generator's expected
verdict, and the workers' peak memory (RSS).

    .venv/bin/python -m bench.batch --labels 300
    .venv/bin/python -m bench.batch --labels 300 --save-artifacts
    .venv/bin/python -m bench.batch --labels 300 --artifacts-overhead 2

`--save-artifacts` saves every label's artifact to a moto S3 server on
loopback. `--artifacts-overhead N` runs N pairs (without, then with saving)
and prints how much saving slows the batch (target: at most 10%), from the
server's own times: the batch's creation to its last item's end.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import statistics
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency import running_server  # noqa: E402
from bench.moto_s3 import moto_artifact_bucket  # noqa: E402
from labelgen import compatible_failures, render_label, spec_for_seed  # noqa: E402
from verifier.application_data import application_to_json  # noqa: E402


def batch_zip(count: int, distinct: int) -> tuple[bytes, dict[str, str]]:
    """A ZIP of `count` labels drawn from `distinct` generated ones, with a manifest."""
    import random

    rng = random.Random(7)
    labels = []
    for seed in range(distinct):
        failures = compatible_failures(rng, 1) if seed % 3 == 0 else ()
        failures = tuple(f for f in failures if f != "standard_of_fill")
        labels.append(render_label(spec_for_seed(seed, failures=failures)))
    buffer, manifest, expected = io.BytesIO(), [], {}
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(count):
            label = labels[n % distinct]
            names = []
            for index, data in enumerate(label.panels):
                name = f"label-{n:04}/panel-{index}.{label.image_format}"
                archive.writestr(name, data)
                names.append(name)
            manifest.append({"files": names, "application": application_to_json(label.application)})
            expected[" + ".join(names)] = str(label.expected_verdict)
        archive.writestr("manifest.json", json.dumps(manifest))
    return buffer.getvalue(), expected


def artifacts_settled(session: requests.Session, url: str) -> int:
    """Wait for the last background uploads (a moment after the last item); count stored."""
    for _ in range(100):
        pending = session.get(f"{url}/artifacts", params={"state": "pending"}, timeout=30)
        if pending.json()["count"] == 0:
            break
        time.sleep(0.1)
    return session.get(f"{url}/artifacts", params={"state": "stored"}, timeout=30).json()["count"]


def run_batch(
    archive: bytes,
    expected: dict[str, str],
    *,
    labels: int,
    workers: int | None,
    save: bool,
) -> float:
    """One batch through a fresh server; prints what it measured and returns the
    server's own span, from the batch's creation to its last item's end (free of
    the client's polling interval)."""
    artifacts = moto_artifact_bucket() if save else contextlib.nullcontext()
    with artifacts, running_server(task_workers=workers) as server:
        token = server.manage("drf_create_token", "admin").split()[2]
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        started = time.perf_counter()
        response = session.post(
            f"{server.url}/verify/batch",
            files={"batch_file": ("labels.zip", archive)},
            data={"save_artifact": "true" if save else "false"},
            timeout=120,
        )
        response.raise_for_status()
        accepted = time.perf_counter() - started
        url = response.headers["Location"]
        peak: dict[str, float] = {}
        cpu: dict[str, float] = {}
        while True:
            progress = session.get(url, params={"page_size": 1}, timeout=30).json()
            for name, usage in server.usage().items():
                peak[name] = max(peak.get(name, 0.0), usage.rss_mb)
                cpu[name] = usage.cpu_seconds
            if progress["status"] in ("done", "cancelled"):
                break
            time.sleep(0.5)
        wall = time.perf_counter() - started
        span = (
            datetime.fromisoformat(progress["finished_at"])
            - datetime.fromisoformat(progress["created_at"])
        ).total_seconds()
        results = session.get(f"{url}/results.json", timeout=60).json()
        if save:
            stored_artifacts = artifacts_settled(session, server.url)

    matches = sum(1 for item in results["items"] if item["verdict"] == expected.get(item["name"]))
    print(f"accepted (202) in {accepted:.2f} s")
    print(f"wall time {wall:.1f} s  ->  {labels / wall:.2f} labels/s")
    print(f"server time, batch created to last item done: {span:.1f} s")
    print(f"done {progress['done']}, failed {progress['failed']}")
    print(f"verdict as the generator expects: {matches}/{labels}")
    if save:
        print(f"artifacts stored in the moto S3 server: {stored_artifacts}/{labels}")
    for name, size in sorted(peak.items()):
        print(f"{name:24} peak rss {size:6.0f} MB, cpu {cpu[name]:6.1f} s")
    return span


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--labels", type=int, default=300)
    parser.add_argument("--distinct", type=int, default=30, help="distinct generated labels")
    parser.add_argument("--workers", type=int, default=None, help="task workers (default: cores)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--save-artifacts",
        action="store_true",
        help="save every label's artifact to a moto S3 server on loopback",
    )
    mode.add_argument(
        "--artifacts-overhead",
        type=int,
        metavar="PAIRS",
        help="run PAIRS pairs of batches (without, then with saving) and print the overhead",
    )
    args = parser.parse_args()
    run = functools.partial(run_batch, labels=args.labels, workers=args.workers)

    archive, expected = batch_zip(args.labels, args.distinct)
    print(f"batch of {args.labels} labels ({args.distinct} distinct)")
    if not args.artifacts_overhead:
        run(archive, expected, save=args.save_artifacts)
        return
    spans: dict[bool, list[float]] = {False: [], True: []}
    for pair in range(1, args.artifacts_overhead + 1):
        for save in (False, True):
            print(f"-- pair {pair}, {'with' if save else 'without'} artifacts")
            spans[save].append(run(archive, expected, save=save))
        without, with_ = spans[False][-1], spans[True][-1]
        print(
            f"pair {pair} (server time): without {without:.1f} s, with {with_:.1f} s, "
            f"overhead {with_ / without - 1:+.1%}"
        )
    without, with_ = statistics.mean(spans[False]), statistics.mean(spans[True])
    print(
        f"mean of {args.artifacts_overhead} pairs: without {without:.1f} s, with {with_:.1f} s, "
        f"artifacts overhead {with_ / without - 1:+.1%} (target <= +10%)"
    )


if __name__ == "__main__":
    main()
