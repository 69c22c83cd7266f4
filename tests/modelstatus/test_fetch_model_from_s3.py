"""`manage.py fetch_model` from S3: download, extract, ready; and a re-run that does nothing."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.modelstatus.conftest import (
    BUCKET,
    KEY,
    MODEL,
    Document,
    S3Bucket,
    assert_moves_forward,
    build_archive,
    model_files,
)

pytestmark = pytest.mark.usefixtures("stepping_clock")


@pytest.fixture
def uploaded_model(s3_bucket: S3Bucket) -> dict[str, bytes]:
    files = model_files(os.urandom(3 * 1024 * 1024))  # random: the archive stays ~3 MB
    s3_bucket.upload(build_archive(files))
    return files


def test_fetch_reports_progress_and_installs_the_model(
    uploaded_model: dict[str, bytes],
    models_dir: Path,
    recorded_documents: list[Document],
    settings: Any,
) -> None:
    output = io.StringIO()
    call_command("fetch_model", "--bucket", BUCKET, stdout=output)

    assert_moves_forward(recorded_documents)
    statuses = [document["status"] for document in recorded_documents]
    assert statuses[0] == "downloading" and statuses[-1] == "ready"
    assert "extracting" in statuses
    downloading = [d for d in recorded_documents if d["status"] == "downloading"]
    assert len(downloading) >= 3, "the download should be reported along the way"
    for document in downloading[1:]:
        assert document["progress"]["downloaded_bytes"] > 0
        assert isinstance(document["progress"]["estimated_time_remaining_seconds"], int)
    assert 0 < downloading[1]["progress"]["percentage"] < 100

    final = json.loads(Path(settings.MODEL_STATUS_FILE).read_text())
    assert final == recorded_documents[-1]
    assert final["model"] == MODEL and final["source"] == "s3"
    assert final["progress"]["percentage"] == 100.0
    assert final["progress"]["downloaded_bytes"] == final["progress"]["total_bytes"]
    assert final["completed_at"].endswith("Z") and final["started_at"].endswith("Z")
    assert oct(Path(settings.MODEL_STATUS_FILE).stat().st_mode & 0o777) == "0o644"

    for name, content in uploaded_model.items():
        assert (models_dir / name).read_bytes() == content
    leftovers = [p.name for p in models_dir.rglob("*") if ".extracting-" in p.name]
    assert leftovers == [] and list((models_dir / ".download").iterdir()) == []
    assert f"Ready: {MODEL}." in output.getvalue()


def test_rerun_with_the_model_intact_ends_ready_without_downloading(
    uploaded_model: dict[str, bytes], models_dir: Path, recorded_documents: list[Document]
) -> None:
    call_command("fetch_model", "--bucket", BUCKET, stdout=io.StringIO())
    blob = models_dir / "blobs/sha256-0001"
    installed_at = blob.stat().st_mtime_ns
    recorded_documents.clear()

    call_command("fetch_model", "--bucket", BUCKET, stdout=io.StringIO())

    assert [d["status"] for d in recorded_documents] == ["ready"]
    assert recorded_documents[0]["already_installed"] is True
    assert recorded_documents[0]["progress"]["percentage"] == 100.0
    assert blob.stat().st_mtime_ns == installed_at


def test_rerun_after_a_file_was_damaged_installs_again(
    uploaded_model: dict[str, bytes], models_dir: Path, recorded_documents: list[Document]
) -> None:
    call_command("fetch_model", "--bucket", BUCKET, stdout=io.StringIO())
    blob = models_dir / "blobs/sha256-0001"
    blob.write_bytes(b"half a model")
    recorded_documents.clear()

    call_command("fetch_model", "--bucket", BUCKET, stdout=io.StringIO())

    assert "extracting" in [d["status"] for d in recorded_documents]
    assert blob.read_bytes() == uploaded_model["blobs/sha256-0001"]


def test_a_new_archive_in_the_bucket_replaces_the_installed_model(
    uploaded_model: dict[str, bytes], models_dir: Path, s3_bucket: S3Bucket
) -> None:
    call_command("fetch_model", "--bucket", BUCKET, stdout=io.StringIO())
    newer = model_files(b"a newer model")
    s3_bucket.upload(build_archive(newer), key=KEY)

    call_command("fetch_model", "--bucket", BUCKET, stdout=io.StringIO())

    assert (models_dir / "blobs/sha256-0001").read_bytes() == b"a newer model"


def test_key_and_model_flags_name_another_archive(
    s3_bucket: S3Bucket, models_dir: Path, settings: Any
) -> None:
    s3_bucket.upload(build_archive({"blobs/sha256-small": b"tiny"}), key="elsewhere/small.tgz")

    call_command(
        "fetch_model",
        "--bucket",
        BUCKET,
        "--key",
        "elsewhere/small.tgz",
        "--model",
        "tiny-model",
        stdout=io.StringIO(),
    )

    document = json.loads(Path(settings.MODEL_STATUS_FILE).read_text())
    assert (document["model"], document["status"]) == ("tiny-model", "ready")
    assert (models_dir / "blobs/sha256-small").read_bytes() == b"tiny"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_progress_bars(uploaded_model: dict[str, bytes], models_dir: Path) -> None:
    terminal = _Terminal()
    call_command("fetch_model", "--bucket", BUCKET, stdout=terminal)

    shown = terminal.getvalue()
    assert "Downloading: 100%" in shown and "Extracting: 100%" in shown
    assert f"Ready: {MODEL}." in shown


def test_an_installed_model_stays_ready_when_s3_cannot_be_reached(
    uploaded_model: dict[str, bytes],
    models_dir: Path,
    recorded_documents: list[Document],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    call_command("fetch_model", "--bucket", BUCKET, stdout=io.StringIO())
    recorded_documents.clear()
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")

    call_command("fetch_model", "--bucket", BUCKET, stdout=io.StringIO())

    [document] = recorded_documents
    assert (document["status"], document["already_installed"]) == ("ready", True)
    assert document["warning"].startswith("Could not check for a newer archive: Could not reach")
