"""A 300-label batch through the running service: wall time and labels/s.

Starts the service as the README does (`scripts/serve.sh`, one task worker
per core unless TASK_WORKERS says otherwise), uploads a ZIP of generated
labels with a manifest, polls `GET /verify/batch/{id}` until it is done, and
prints wall time, labels/s, how many verdicts match the generator's expected
verdict, and the workers' peak memory (RSS).

    .venv/bin/python -m bench.batch --labels 300
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
import zipfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.artifacts_overhead import moto_artifact_bucket  # noqa: E402
from bench.latency import running_server  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--labels", type=int, default=300)
    parser.add_argument("--distinct", type=int, default=30, help="distinct generated labels")
    parser.add_argument("--workers", type=int, default=None, help="task workers (default: cores)")
    parser.add_argument(
        "--save-artifacts",
        action="store_true",
        help="save every label's artifact to a moto S3 server on loopback\n"
        "(compare the wall time with a run without)",
    )
    args = parser.parse_args()

    archive, expected = batch_zip(args.labels, args.distinct)
    artifacts = moto_artifact_bucket() if args.save_artifacts else contextlib.nullcontext()
    with artifacts, running_server(task_workers=args.workers) as server:
        token = server.manage("drf_create_token", "admin").split()[2]
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        started = time.perf_counter()
        response = session.post(
            f"{server.url}/verify/batch",
            files={"batch_file": ("labels.zip", archive)},
            data={"save_artifact": "true" if args.save_artifacts else "false"},
            timeout=120,
        )
        response.raise_for_status()
        accepted = time.perf_counter() - started
        url = response.headers["Location"]
        peak: dict[str, float] = {}
        while True:
            progress = session.get(url, params={"page_size": 1}, timeout=30).json()
            for name, size in server.rss_mb().items():
                peak[name] = max(peak.get(name, 0.0), size)
            if progress["status"] in ("done", "cancelled"):
                break
            time.sleep(1)
        wall = time.perf_counter() - started
        results = session.get(f"{url}/results.json", timeout=60).json()
        if args.save_artifacts:
            listed = session.get(f"{server.url}/artifacts", params={"state": "stored"}, timeout=30)
            stored_artifacts = listed.json()["count"]

    matches = sum(1 for item in results["items"] if item["verdict"] == expected.get(item["name"]))
    print(f"batch of {args.labels} labels ({args.distinct} distinct)")
    print(f"accepted (202) in {accepted:.2f} s")
    print(f"wall time {wall:.1f} s  ->  {args.labels / wall:.2f} labels/s")
    print(f"done {progress['done']}, failed {progress['failed']}")
    print(f"verdict as the generator expects: {matches}/{args.labels}")
    if args.save_artifacts:
        print(f"artifacts stored in the moto S3 server: {stored_artifacts}/{args.labels}")
    for name, size in sorted(peak.items()):
        print(f"peak rss {name:24} {size:6.0f} MB")


if __name__ == "__main__":
    main()
