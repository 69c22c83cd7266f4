"""Unpacking a model archive into the Ollama models folder, and knowing it is intact.

The archive holds the models folder's own layout (`blobs/…`, `manifests/…`).
It is unpacked into a staging folder beside the target and moved into place
only when every member came out whole, so a failed extraction leaves the
models folder as it was. A marker written last records what was installed;
a re-run that finds the marker and every file at its recorded size has
nothing to do.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from modelstatus.services.errors import ModelFetchError, human_bytes
from modelstatus.services.status_writer import atomic_write_json, utc_timestamp


class _CountingReader:
    """A read-only file that reports how many bytes were consumed so far."""

    def __init__(self, raw: IO[bytes], on_progress: Callable[[int], None]) -> None:
        self._raw = raw
        self._on_progress = on_progress
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        self.consumed += len(chunk)
        self._on_progress(self.consumed)
        return chunk


def marker_path(models_dir: Path, model: str) -> Path:
    safe_name = model.replace("/", "_").replace(":", "_")
    return models_dir / f".ttb-model-{safe_name}.json"


def installed_marker(models_dir: Path, model: str) -> dict[str, Any] | None:
    """The marker of an intact install, or None when any recorded file is missing or resized."""
    try:
        marker = json.loads(marker_path(models_dir, model).read_text())
        files: dict[str, int] = marker["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for name, size in files.items():
        try:
            if (models_dir / name).stat().st_size != size:
                return None
        except OSError:
            return None
    return marker


def write_marker(models_dir: Path, model: str, *, files: dict[str, int], **origin: Any) -> None:
    marker = {"model": model, **origin, "files": files, "installed_at": utc_timestamp()}
    atomic_write_json(marker_path(models_dir, model), marker)


def disk_full_error(folder: Path, needed_bytes: int, *, at_least: bool = False) -> ModelFetchError:
    free = shutil.disk_usage(folder).free if folder.exists() else 0
    needs = "more than" if at_least else "about"
    return ModelFetchError(
        f"The disk is full: the model needs {needs} {human_bytes(needed_bytes)} free in "
        f"{folder}, and {human_bytes(free)} is free. Free space or grow the volume, "
        "then run fetch_model again."
    )


def extract_archive(
    *,
    archive_path: Path,
    models_dir: Path,
    on_progress: Callable[[int], None],
    source_label: str,
) -> dict[str, int]:
    """Unpack `archive_path` into `models_dir`; returns {relative path: size} of the files.

    `on_progress` receives the archive bytes read so far, out of its size on disk.
    """
    member_sizes: list[int] = []
    staging = Path(tempfile.mkdtemp(dir=models_dir, prefix=".extracting-"))
    try:
        try:
            with archive_path.open("rb") as raw:
                reader = _CountingReader(raw, on_progress)
                _extract_members(reader, staging, source_label, member_sizes.append)
            return _move_into_place(staging, models_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        if error.errno == errno.ENOSPC:
            # Only the members up to the one that failed are known; the rest need more.
            raise disk_full_error(models_dir, sum(member_sizes), at_least=True) from error
        raise


def _extract_members(
    reader: _CountingReader,
    staging: Path,
    source_label: str,
    on_member: Callable[[int], None],
) -> None:
    try:
        # Stream mode: one pass over the file, members in archive order.
        with tarfile.open(fileobj=reader, mode="r|gz") as archive:  # type: ignore[call-overload]
            for member in archive:
                try:
                    if os.path.isabs(member.name):  # the data filter would strip the "/"
                        raise tarfile.AbsolutePathError(member)
                    safe_member = tarfile.data_filter(member, str(staging))
                except tarfile.FilterError as error:
                    raise ModelFetchError(
                        f"The archive {source_label} has a member that would escape the models "
                        f"folder ({error}). Nothing was installed; rebuild the archive with "
                        "paths relative to the models folder."
                    ) from error
                if safe_member is not None:
                    on_member(safe_member.size)
                    archive.extract(safe_member, staging, filter="data")
    except (tarfile.ReadError, tarfile.CompressionError, EOFError, zlib.error) as error:
        raise _corrupt(source_label, error) from error
    except OSError as error:
        # gzip.BadGzipFile is an OSError without an errno; a full disk has one.
        if error.errno is None:
            raise _corrupt(source_label, error) from error
        raise


def _corrupt(source_label: str, error: Exception) -> ModelFetchError:
    return ModelFetchError(
        f"The archive {source_label} is corrupt or truncated ({type(error).__name__}: "
        f"{error}). Nothing was installed; upload the archive again and rerun fetch_model."
    )


def _move_into_place(staging: Path, models_dir: Path) -> dict[str, int]:
    files: dict[str, int] = {}
    for folder, _subfolders, names in os.walk(staging):
        for name in names:
            source = Path(folder) / name
            relative = source.relative_to(staging)
            target = models_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)  # a folder where the archive now has a file
            os.replace(source, target)
            files[relative.as_posix()] = target.stat().st_size
    return files
