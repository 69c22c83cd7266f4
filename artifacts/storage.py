"""The artifact storage and the few things the app asks of it.

Everything goes through `STORAGES["artifacts"]`: S3 via django-storages when a
bucket is configured, the data folder otherwise, with the same key layout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

ROOT = "artifacts"


def artifact_storage() -> Storage:
    return storages["artifacts"]


def serves_presigned_urls(storage: Storage) -> bool:
    """True for S3: private objects are handed out as short-lived signed URLs.

    The file system storage has no URL a browser could use, so its objects
    are streamed by the app instead.
    """
    return bool(getattr(storage, "querystring_auth", False))


def artifact_prefix(*, request_id: UUID, created_at: datetime) -> str:
    """`artifacts/YYYY/MM/DD/{request-id}/`, dated in UTC like every timestamp here."""
    return f"{ROOT}/{created_at.astimezone(UTC):%Y/%m/%d}/{request_id}/"


@dataclass(frozen=True)
class PlannedFile:
    """An object to upload: where it goes and what it must contain."""

    kind: str
    panel: int | None
    key: str
    content: bytes
    content_type: str

    @property
    def size_bytes(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def upload(storage: Storage, *, key: str, content: bytes) -> str:
    """Store `content` at `key`; return the name the storage actually used.

    The storage never overwrites: if `key` is taken (a leftover of a crash the
    sweep has not yet removed) it picks a free name, which the caller records.
    """
    return storage.save(key, ContentFile(content))


@dataclass(frozen=True)
class StoredObject:
    key: str
    size_bytes: int
    modified_at: datetime | None


def walk_objects(storage: Storage, *, root: str = ROOT) -> Iterator[StoredObject]:
    """Every object under `root`, for the orphan sweep only.

    Queries never list storage; this sweep must. On S3 it lists the prefix flat
    through the storage's own bucket (one request per 1000 keys); walking
    `listdir()` would cost one request per folder, i.e. per artifact.
    """
    bucket = getattr(storage, "bucket", None) if serves_presigned_urls(storage) else None
    if bucket is not None:
        for summary in bucket.objects.filter(Prefix=f"{root}/"):
            yield StoredObject(summary.key, summary.size, summary.last_modified)
        return
    yield from _walk_folders(storage, root)


def _walk_folders(storage: Storage, folder: str) -> Iterator[StoredObject]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        key = f"{folder}/{name}"
        yield StoredObject(key, storage.size(key), storage.get_modified_time(key))
    for name in sorted(folders):
        yield from _walk_folders(storage, f"{folder}/{name}")
