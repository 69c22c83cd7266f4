"""Fixtures for the model download: an S3 server (moto), model archives, a stepping clock."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import tarfile
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from modelstatus.selectors import status_cache
from modelstatus.services import status_writer
from tests.fake_ollama import FakeOllama

MODEL = "llama3.2-vision"
BUCKET = "ttb-models"
KEY = f"models/{MODEL}.tar.gz"

Document = dict[str, Any]


@pytest.fixture(autouse=True)
def empty_status_cache() -> Iterator[None]:
    status_cache.clear()
    yield
    status_cache.clear()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server._server.server_address[:2]  # port 0: ask which one it got
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class S3Bucket:
    name: str
    client: Any

    def upload(self, body: bytes, key: str = KEY) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=body)


@pytest.fixture
def s3_bucket(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3Bucket:
    """An empty bucket on the moto server; boto3 clients made by the code under test use it."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", b"", {}))
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return S3Bucket(BUCKET, client)


@pytest.fixture
def models_dir(settings: Any, tmp_path: Path) -> Path:
    settings.OLLAMA_MODELS_DIR = tmp_path / "ollama-models"
    settings.MODEL_BUCKET = None
    return settings.OLLAMA_MODELS_DIR


def model_files(blob_bytes: bytes) -> dict[str, bytes]:
    """The Ollama models-folder layout of a one-layer model."""
    manifest = {"schemaVersion": 2, "layers": [{"digest": "sha256-0001", "size": len(blob_bytes)}]}
    return {
        "blobs/sha256-0001": blob_bytes,
        f"manifests/registry.ollama.ai/library/{MODEL}/latest": json.dumps(manifest).encode(),
    }


def build_archive(
    files: dict[str, bytes], *, extra: Callable[[tarfile.TarFile], None] | None = None
) -> bytes:
    """A .tar.gz of `files`; `extra` may add hostile members."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        if extra is not None:
            extra(archive)
    return buffer.getvalue()


@pytest.fixture
def recorded_documents(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[Document]:
    """Every status document the writer puts in MODEL_STATUS_FILE, in order."""
    documents: list[Document] = []
    real_write = status_writer.atomic_write_json

    def recording_write(path: Path, document: Document) -> None:
        real_write(path, document)
        if path == Path(settings.MODEL_STATUS_FILE):
            documents.append(json.loads(path.read_text()))

    monkeypatch.setattr(status_writer, "atomic_write_json", recording_write)
    return documents


@pytest.fixture
def stepping_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's clock moves 0.3 s per reading, so a quick test download spans seconds."""
    now = [1000.0]

    def clock() -> float:
        now[0] += 0.3
        return now[0]

    monkeypatch.setattr(status_writer, "monotonic_seconds", clock)


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB tmpfs, to fill the disk for real. Needs root (as here and in CI)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    with FakeOllama() as server:
        yield server


def assert_moves_forward(documents: list[Document]) -> None:
    """Status only moves forward, byte counters never go back, percentage grows per phase."""
    rank = {"not_started": 0, "downloading": 1, "extracting": 2, "ready": 3, "error": 4}
    for before, after in itertools.pairwise(documents):
        assert rank[after["status"]] >= rank[before["status"]], (before, after)
        for counter in ("downloaded_bytes", "extracted_bytes"):
            previous = before["progress"].get(counter) or 0
            assert (after["progress"].get(counter) or 0) >= previous, (counter, before, after)
        if before["status"] == after["status"] and before["progress"]["percentage"] is not None:
            assert after["progress"]["percentage"] >= before["progress"]["percentage"]
