"""`manage.py fetch_model` failures: each ends in `error` with a message a person can act on."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from modelstatus.services.errors import ModelFetchError
from modelstatus.services.fetch_from_s3 import model_fetch_from_s3
from modelstatus.services.status_writer import StatusWriter
from tests.modelstatus.conftest import (
    BUCKET,
    KEY,
    MODEL,
    S3Bucket,
    build_archive,
    model_files,
)


def status_document() -> dict[str, Any]:
    return json.loads(Path(django_settings.MODEL_STATUS_FILE).read_text())


def fetch_fails(*arguments: str) -> str:
    """Run the command, expect it to fail; returns the error it printed."""
    with pytest.raises(CommandError) as failure:
        call_command("fetch_model", "--bucket", BUCKET, *arguments, stdout=io.StringIO())
    document = status_document()
    assert document["status"] == "error"
    assert document["error"] == str(failure.value)
    return document["error"]


def test_no_such_object(s3_bucket: S3Bucket, models_dir: Path) -> None:
    message = fetch_fails()

    assert f"There is no model archive at s3://{BUCKET}/{KEY}" in message
    assert "--key" in message


def test_no_such_bucket(s3_bucket: S3Bucket, models_dir: Path) -> None:
    with pytest.raises(CommandError, match="There is no model archive at s3://no-such-bucket/"):
        call_command("fetch_model", "--bucket", "no-such-bucket", stdout=io.StringIO())

    assert status_document()["status"] == "error"


def test_access_denied(models_dir: Path, settings: Any) -> None:
    """S3 answers 403. moto's server barely enforces bucket policies, so the answer is stubbed
    at the boto3 client (botocore's Stubber): the one place this test does not use moto."""
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")  # fmt: skip
    writer = StatusWriter(path=settings.MODEL_STATUS_FILE, model=MODEL, source="s3")
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "403", "Forbidden", http_status_code=403)
        with pytest.raises(ModelFetchError):
            model_fetch_from_s3(
                client=client,
                bucket=BUCKET,
                key=KEY,
                model=MODEL,
                models_dir=models_dir,
                writer=writer,
            )

    document = status_document()
    assert document["status"] == "error"
    assert document["error"].startswith(f"Access denied reading s3://{BUCKET}/{KEY}")
    assert "s3:GetObject" in document["error"]


def test_disk_too_small_for_the_archive(
    s3_bucket: S3Bucket, tiny_filesystem: Path, settings: Any
) -> None:
    settings.OLLAMA_MODELS_DIR = tiny_filesystem / "models"
    s3_bucket.upload(build_archive(model_files(os.urandom(2 * 1024 * 1024))))

    message = fetch_fails()

    assert message.startswith("The disk is full: the model needs about 4.2 MB free in")
    assert str(tiny_filesystem / "models") in message and "grow the volume" in message
    assert status_document()["progress"]["downloaded_bytes"] == 0


def test_disk_fills_up_while_extracting(
    s3_bucket: S3Bucket, tiny_filesystem: Path, settings: Any
) -> None:
    # Zeros compress to almost nothing: the archive fits, its 4 MB of contents do not.
    models_dir = tiny_filesystem / "models"
    settings.OLLAMA_MODELS_DIR = models_dir
    s3_bucket.upload(build_archive(model_files(bytes(4 * 1024 * 1024))))

    message = fetch_fails()

    assert message.startswith("The disk is full: the model needs more than 4.2 MB free in")
    assert "and 1.0 MB is free" in message, "counted after the partial files were removed"
    assert not (models_dir / "blobs").exists(), "nothing half-installed"
    assert [p.name for p in models_dir.iterdir()] == [".download"]
    assert list((models_dir / ".download").iterdir()) == []


@pytest.mark.parametrize(
    "archive",
    [
        pytest.param(os.urandom(50_000), id="not-gzip"),
        pytest.param(build_archive(model_files(os.urandom(200_000)))[:-30_000], id="truncated"),
    ],
)
def test_corrupt_archive(s3_bucket: S3Bucket, models_dir: Path, archive: bytes) -> None:
    s3_bucket.upload(archive)

    message = fetch_fails()

    assert message.startswith(f"The archive s3://{BUCKET}/{KEY} is corrupt or truncated")
    assert "upload the archive again" in message
    assert not (models_dir / "blobs").exists()


def _member_outside(archive: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("../outside.txt")
    info.size = 4
    archive.addfile(info, io.BytesIO(b"evil"))


def _absolute_member(archive: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("/tmp/ttb-absolute-member.txt")
    info.size = 4
    archive.addfile(info, io.BytesIO(b"evil"))


def _symlink_outside(archive: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("blobs/passwd")
    info.type = tarfile.SYMTYPE
    info.linkname = "/etc/passwd"
    archive.addfile(info)


@pytest.mark.parametrize("hostile", [_member_outside, _absolute_member, _symlink_outside])
def test_archive_members_that_escape_the_models_folder_are_refused(
    s3_bucket: S3Bucket, models_dir: Path, hostile: Any
) -> None:
    s3_bucket.upload(build_archive(model_files(b"model"), extra=hostile))

    message = fetch_fails()

    assert "has a member that would escape the models folder" in message
    assert not (models_dir.parent / "outside.txt").exists()
    assert not (models_dir / "blobs").exists(), "nothing from the archive is installed"


def test_no_bucket_configured(models_dir: Path) -> None:
    with pytest.raises(CommandError, match="No S3 bucket: pass --bucket or set MODEL_BUCKET"):
        call_command("fetch_model", stdout=io.StringIO())

    assert status_document()["error"] == "No S3 bucket: pass --bucket or set MODEL_BUCKET."


def test_a_failed_fetch_exits_non_zero(s3_bucket: S3Bucket, tmp_path: Path) -> None:
    """The init script sees the failure in the exit code, not only in the document."""
    status_file = tmp_path / "status.json"
    environment = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "MODEL_STATUS_FILE": str(status_file),
        "OLLAMA_MODELS_DIR": str(tmp_path / "models"),
    }
    finished = subprocess.run(
        [sys.executable, "manage.py", "fetch_model", "--bucket", BUCKET],
        cwd=Path(django_settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert finished.returncode == 1
    assert "There is no model archive" in finished.stderr
    assert json.loads(status_file.read_text())["status"] == "error"
