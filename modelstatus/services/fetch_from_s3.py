"""Fetch the model archive from S3 and install it into the Ollama models folder."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError

from modelstatus.services.errors import ModelFetchError, human_bytes
from modelstatus.services.model_archive import (
    disk_full_error,
    extract_archive,
    installed_marker,
    write_marker,
)
from modelstatus.services.status_writer import StatusWriter

_MISSING_CODES = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}
_FORBIDDEN_CODES = {"403", "AccessDenied", "Forbidden", "AllAccessDisabled"}


def model_fetch_from_s3(
    *,
    client: Any,
    bucket: str,
    key: str,
    model: str,
    models_dir: Path,
    writer: StatusWriter,
) -> None:
    """Download s3://bucket/key, unpack it into `models_dir`; the writer records each step.

    Raises ModelFetchError (after writing the `error` document) when it cannot finish.
    """
    with writer.recording_failure():
        _fetch(
            client=client,
            bucket=bucket,
            key=key,
            model=model,
            models_dir=models_dir,
            writer=writer,
        )


def _fetch(
    *, client: Any, bucket: str, key: str, model: str, models_dir: Path, writer: StatusWriter
) -> None:
    location = f"s3://{bucket}/{key}"
    marker = installed_marker(models_dir, model)
    if marker and marker.get("location") != location:
        marker = None
    try:
        head = _call_s3(location, lambda: client.head_object(Bucket=bucket, Key=key))
    except ModelFetchError as error:
        if marker is None:
            raise
        # A reboot with the model on disk should not wait for S3 to come back.
        writer.ready(
            total_bytes=marker.get("archive_bytes"),
            already_installed=True,
            warning=f"Could not check for a newer archive: {error}",
        )
        return
    archive_bytes: int = head["ContentLength"]
    etag: str = head["ETag"]

    if marker and marker.get("etag") == etag:
        writer.ready(total_bytes=archive_bytes, already_installed=True)
        return
    _create_folder(models_dir)

    # The archive and its unpacked files sit on the same disk until the archive is deleted.
    needed = 2 * archive_bytes
    if shutil.disk_usage(models_dir).free < needed:
        raise disk_full_error(models_dir, needed)

    download_dir = models_dir / ".download"
    _create_folder(download_dir)
    archive_path = download_dir / f"{model.replace('/', '_').replace(':', '_')}.tar.gz.part"
    try:
        writer.begin("downloading", total_bytes=archive_bytes)
        try:
            _call_s3(
                location,
                lambda: client.download_file(
                    bucket, key, str(archive_path), Callback=writer.add, Config=TransferConfig()
                ),
            )
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise disk_full_error(models_dir, needed) from error
            raise
        received = archive_path.stat().st_size
        if received != archive_bytes:
            raise ModelFetchError(
                f"The download of {location} stopped at {human_bytes(received)} of "
                f"{human_bytes(archive_bytes)}. Run fetch_model again."
            )

        writer.begin("extracting", total_bytes=archive_bytes)
        files = extract_archive(
            archive_path=archive_path,
            models_dir=models_dir,
            on_progress=writer.advance,
            source_label=location,
        )
    finally:
        archive_path.unlink(missing_ok=True)
    write_marker(
        models_dir, model, files=files, location=location, etag=etag, archive_bytes=archive_bytes
    )
    writer.ready()


def _call_s3(location: str, call: Any) -> Any:
    """Run one S3 call, turning its failures into messages an operator can act on."""
    try:
        return call()
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in _MISSING_CODES:
            raise ModelFetchError(
                f"There is no model archive at {location}: no such object or bucket. Upload "
                "it there, or pass --bucket/--key/--model to name the right one."
            ) from error
        if code in _FORBIDDEN_CODES:
            raise ModelFetchError(
                f"Access denied reading {location}. Give this instance's role s3:GetObject "
                "on that key (and s3:ListBucket on the bucket, without which S3 also answers "
                "403 for a missing object)."
            ) from error
        raise ModelFetchError(f"S3 refused to read {location}: {code} {error}") from error
    except BotoCoreError as error:
        raise ModelFetchError(
            f"Could not reach S3 to read {location}: {error}. Check the network, the region "
            "and the instance's credentials."
        ) from error


def _create_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ModelFetchError(
            f"Cannot create the models folder {folder}: {error.strerror}. Set OLLAMA_MODELS_DIR "
            "to a folder this user can write."
        ) from error
