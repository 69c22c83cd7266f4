"""How much saving artifacts slows a batch, against an S3 server (moto) on loopback.

    DATABASE_URL=postgres://ttb:ttb@127.0.0.1:5432/ttb_artifacts_bench \\
        .venv/bin/python -m bench.artifacts_overhead --labels 300

A moto server runs in its own process; the artifact storage is configured the
production way (ARTIFACT_S3_BUCKET + ARTIFACT_S3_ENDPOINT_URL, so settings.py
builds the S3Storage). Each generated label goes through what the batch worker
does, `verification_create()`, then `artifact_save()`, timed separately, in
the same process, one label after the other like one worker. "Without" is the
sum of the verifications; "with" adds the saves. `--passes 2` also runs the
whole batch twice end to end (without, then with) for a direct comparison,
which is noisier on a shared machine. Target: overhead <= 10%.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_moto() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, endpoint
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("The moto server did not start.")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process of ours, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def moto_artifact_bucket() -> Iterator[tuple[str, str]]:
    """A moto S3 server in its own process with a fresh bucket, and the environment
    (`ARTIFACT_S3_BUCKET`, `ARTIFACT_S3_ENDPOINT_URL`, credentials) that points the
    app at it: this process's settings, and any server started from it."""
    import boto3

    moto, endpoint = _start_moto()
    bucket = f"ttb-bench-{uuid.uuid4().hex[:8]}"
    names = {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "ARTIFACT_S3_BUCKET": bucket,
        "ARTIFACT_S3_ENDPOINT_URL": endpoint,
        "ARTIFACT_S3_REGION": "us-east-1",
    }
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(names)
    try:
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket=bucket)
        yield endpoint, bucket
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        # The stand-in S3 shares this machine's cores; real S3 would not.
        print(f"moto server CPU time {_cpu_seconds(moto.pid):.1f} s (not spent with real S3)")
        moto.terminate()
        moto.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--passes", type=int, choices=[1, 2], default=1)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database the benchmark may fill.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ttbsite.settings"
    with moto_artifact_bucket() as (endpoint, _bucket):
        run(args, endpoint)


def run(args: argparse.Namespace, endpoint: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from tqdm import tqdm

    from artifacts.documents import extracted_text_document
    from artifacts.models import ArtifactState
    from artifacts.services import artifact_save
    from labelgen import render_label, spec_for_seed
    from verifier.engine import Options
    from verifier.models import Channel
    from verifier.services import verifications

    def verification_create(**kwargs: Any) -> tuple[Any, Any]:
        """The batch worker's write, and the engine result it discards (for the readings)."""
        kwargs.pop("return_result")
        seen = []
        engine = verifications.verify_label

        def capture(*positional: Any) -> Any:
            seen.append(engine(*positional))
            return seen[-1]

        verifications.verify_label = capture
        try:
            return verifications.verification_create(**kwargs), seen[0]
        finally:
            verifications.verify_label = engine

    call_command("migrate", verbosity=0)

    labels = [
        render_label(spec_for_seed(args.seed * 100_003 + index))
        for index in tqdm(range(args.labels), desc="Rendering", unit="label")
    ]
    options = Options(backend="tesseract")

    # Warm up: Tesseract, the S3 client and the database connection.
    warm = verification_create(
        images=labels[0].panels,
        application=labels[0].application,
        options=options,
        channel=Channel.CLI,
        return_result=True,
    )
    artifact_save(
        verification=warm[0],
        images=labels[0].panels,
        extracted_text=extracted_text_document(warm[1].readings),
        result=warm[0].result,
    )

    verify_seconds = save_seconds = 0.0
    failed = 0
    for label in tqdm(labels, desc="Paired", unit="label"):
        started = time.perf_counter()
        verification, result = verification_create(
            images=label.panels,
            application=label.application,
            options=options,
            channel=Channel.CLI,
            return_result=True,
        )
        verified = time.perf_counter()
        artifact = artifact_save(
            verification=verification,
            images=label.panels,
            extracted_text=extracted_text_document(result.readings),
            result=verification.result,
        )
        save_seconds += time.perf_counter() - verified
        verify_seconds += verified - started
        failed += artifact.state != ArtifactState.STORED

    panels = sum(len(label.panels) for label in labels)
    print(f"{args.labels} labels, {panels} panels, one worker, moto S3 server at {endpoint}")
    print(f"without artifacts: {verify_seconds:8.2f} s")
    print(f"with artifacts:    {verify_seconds + save_seconds:8.2f} s")
    print(
        f"overhead:          {save_seconds:8.2f} s = {save_seconds / verify_seconds:6.1%}"
        f"  ({save_seconds / args.labels * 1000:.1f} ms per label; {failed} not stored)"
    )
    if args.passes == 2:
        totals = {}
        for save in (False, True):
            started = time.perf_counter()
            for label in tqdm(labels, desc="with" if save else "without", unit="label"):
                verification, result = verification_create(
                    images=label.panels,
                    application=label.application,
                    options=options,
                    channel=Channel.CLI,
                    return_result=True,
                )
                if save:
                    artifact_save(
                        verification=verification,
                        images=label.panels,
                        extracted_text=extracted_text_document(result.readings),
                        result=verification.result,
                    )
            totals[save] = time.perf_counter() - started
        print(
            f"end to end: without {totals[False]:.2f} s, with {totals[True]:.2f} s, "
            f"overhead {totals[True] / totals[False] - 1:.1%}"
        )


if __name__ == "__main__":
    main()
