"""The files of a batch, from a ZIP or from several uploads, checked before use.

A ZIP is refused as a whole (nothing stored) when it could hurt the server:
path traversal, too many entries, too much uncompressed data, a compression
ratio only a ZIP bomb has. Sizes are checked twice: as the ZIP's directory
declares them, for every entry whatever its size, before anything is read;
and as they come out while each entry is streamed (one total budget for the
whole archive), so a directory that lies gains nothing. An entry that is
merely not a label (a text file, a damaged member, an oversized scan) becomes
a failed item with its reason. Nothing is ever extracted to disk: entries are
read into memory one by one.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings

from verifier.rejections import Rejected
from verifier.upload_limits import max_image_bytes

MANIFEST_NAMES = ("manifest.csv", "manifest.json")
_READ_CHUNK = 1024 * 1024


class UnreadableFile(Exception):
    """One file of the batch cannot be read; its item fails with this reason."""

    def __init__(self, message: str, *, code: str = "unreadable_file") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class BatchFile:
    name: str
    size: int  # as declared by the ZIP directory or the upload
    read: Callable[[], bytes]  # raises UnreadableFile


def _file_too_large() -> UnreadableFile:
    return UnreadableFile(
        f"The file is over the {settings.MAX_UPLOAD_MB} MB limit.", code="file_too_large"
    )


def _duplicate_names(names: list[str]) -> list[str]:
    """The names that occur more than once, sorted."""
    return sorted({name for name in names if names.count(name) > 1})


def _entry_name_is_safe(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    path = PurePosixPath(name)
    if path.parts and ":" in path.parts[0]:  # "C:..." drive letters
        return False
    return ".." not in path.parts


def _is_ignorable(name: str) -> bool:
    """Folders and the litter archivers add (macOS resource forks, .DS_Store)."""
    path = PurePosixPath(name)
    return (
        name.endswith("/")
        or path.parts[0] == "__MACOSX"
        or any(part.startswith(".") for part in path.parts)
    )


def archive_files(upload: IO[bytes]) -> tuple[list[BatchFile], BatchFile | None]:
    """The label files of a ZIP and its `manifest.csv`/`.json`, if any.

    Raises `Rejected` before anything is read when the archive is unsafe.
    """
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
        raise Rejected(
            f"batch_file is not a readable ZIP archive: {error}.", code="invalid_archive"
        ) from error
    for info in infos:
        if not _entry_name_is_safe(info.filename):
            raise Rejected(
                f"The ZIP entry {info.filename!r} has an unsafe path (absolute or with '..').",
                code="unsafe_archive",
                details={"entry": info.filename},
            )
    entries = [info for info in infos if not _is_ignorable(info.filename)]
    if len(entries) > settings.BATCH_MAX_ENTRIES:
        raise Rejected(
            f"The ZIP has {len(entries)} files; at most {settings.BATCH_MAX_ENTRIES} are allowed.",
            code="too_many_entries",
            details={"entries": len(entries), "max_entries": settings.BATCH_MAX_ENTRIES},
        )
    duplicates = _duplicate_names([info.filename for info in entries])
    if duplicates:
        raise Rejected(
            f"The ZIP names a file twice: {', '.join(duplicates)}.",
            code="duplicate_entries",
            details={"entries": duplicates},
        )
    total = sum(info.file_size for info in entries)
    if total > settings.BATCH_MAX_UNCOMPRESSED_MB * 1024 * 1024:
        raise Rejected(
            f"The ZIP expands to {total / 1024 / 1024:.0f} MB; at most "
            f"{settings.BATCH_MAX_UNCOMPRESSED_MB} MB are allowed.",
            code="archive_too_large",
            status_code=413,
        )
    for info in entries:
        # Label images are already compressed: a high ratio is a ZIP bomb,
        # however small the entry (a thousand small bombs make a large one).
        _check_ratio(info.filename, info.file_size, info.compress_size)
    budget = _Budget(settings.BATCH_MAX_UNCOMPRESSED_MB * 1024 * 1024)
    files = [_archive_file(archive, info, budget) for info in entries]
    manifest = next((f for f in files if f.name.lower() in MANIFEST_NAMES), None)
    return [f for f in files if f is not manifest], manifest


def _check_ratio(name: str, size: int, compressed: int) -> None:
    ratio_limit = settings.BATCH_MAX_COMPRESSION_RATIO
    if size > ratio_limit * max(compressed, 1):
        raise Rejected(
            f"The ZIP entry {name!r} is compressed more than {ratio_limit}:1, "
            "which only a ZIP bomb does.",
            code="unsafe_archive",
            details={"entry": name, "max_compression_ratio": ratio_limit},
        )


class _Budget:
    """The uncompressed bytes one archive may yield in all, counted as they
    are actually read."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise Rejected(
                f"The ZIP expands to more than {self.limit // 1024 // 1024} MB.",
                code="archive_too_large",
                status_code=413,
            )


def _archive_file(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> BatchFile:
    def read() -> bytes:
        if info.flag_bits & 0x1:
            raise UnreadableFile("The ZIP entry is encrypted.", code="encrypted_entry")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnreadableFile("The ZIP entry is a symbolic link, not a file.")
        if info.file_size > max_image_bytes():
            raise _file_too_large()
        limit = max_image_bytes()
        chunks, size = [], 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(_READ_CHUNK):
                    size += len(chunk)
                    budget.spend(len(chunk))
                    if size > limit:  # the directory lied about the size
                        raise _file_too_large()
                    _check_ratio(info.filename, size, info.compress_size)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
            raise UnreadableFile(f"The ZIP entry could not be read: {error}.") from error
        return b"".join(chunks)

    return BatchFile(name=info.filename, size=info.file_size, read=read)


def uploaded_files(uploads: list) -> list[BatchFile]:
    """Several `image` uploads, each read only when its turn comes."""
    duplicates = _duplicate_names([upload.name for upload in uploads])
    if duplicates:
        raise Rejected(
            f"Two uploaded files have the same name: {', '.join(duplicates)}.",
            code="duplicate_entries",
            details={"files": duplicates},
        )

    def reader(upload) -> Callable[[], bytes]:
        def read() -> bytes:
            if upload.size > max_image_bytes():
                raise _file_too_large()
            upload.seek(0)
            return upload.read()

        return read

    return [BatchFile(name=u.name, size=u.size, read=reader(u)) for u in uploads]
