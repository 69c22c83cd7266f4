"""A moto S3 server in its own process, standing in for the artifact bucket.

The stand-in shares this machine's cores with the service; real S3 would not,
so its CPU time is reported alongside the numbers it affects.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

from bench.latency import _free_port, cpu_seconds


def _start_moto() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("The moto server did not start.")


@contextlib.contextmanager
def moto_artifact_bucket() -> Iterator[str]:
    """A moto S3 server with a fresh bucket; yields its endpoint.

    Meanwhile the environment (`ARTIFACT_S3_BUCKET`, `ARTIFACT_S3_ENDPOINT_URL`,
    credentials) points any server started from this process at it, the way
    production settings point at the real bucket.
    """
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
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
            Bucket=bucket
        )
        yield endpoint
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        print(f"moto server CPU time {cpu_seconds(moto.pid):.1f} s (not spent with real S3)")
        moto.terminate()
        moto.wait(timeout=10)
