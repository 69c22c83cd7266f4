"""The artifact storage and the few things the app asks of it.

Everything goes through `STORAGES["artifacts"]`: S3 via django-storages when a
bucket is configured, the data folder otherwise, with the same key layout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from uuid import UUID

from botocore.exceptions import ClientError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

ROOT = "artifacts"


def artifact_storage() -> Storage:
    return storages["artifacts"]


class ArtifactS3Storage(S3Storage):
    """django-storages' S3 storage that refuses to overwrite in one request per object.

    `S3Storage(file_overwrite=False)` asks S3 whether a name is free (HEAD)
    before each upload: twice the requests, and still a race. This one writes
    with `If-None-Match: *` (S3 conditional writes), so S3 itself refuses to
    replace an object; only when the name is taken does it fall back to
    Django's search for a free name. Artifact objects are at most
    MAX_UPLOAD_MB, far below PutObject's 5 GB, so each is one PutObject
    (no multipart, no transfer manager, no gzip). A PUT whose answer was lost
    and is retried finds its own object and lands under another name; the
    first copy has no row and the orphan sweep removes it.
    """

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # the conditional write checks it, atomically

    @cached_property
    def _client(self) -> Any:
        # One botocore client (thread-safe) for every upload thread; the
        # thread-local `connection` would load a boto3 session per thread.
        return self.connection.meta.client

    def _save(self, name: str, content: File) -> str:
        try:
            return self._put_new(name, content)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "PreconditionFailed":
                raise
        # A leftover holds the name: Django's free-name search (HEAD per candidate).
        return self._put_new(Storage.get_available_name(self, name), content)

    def _put_new(self, name: str, content: File) -> str:
        cleaned = clean_name(name)
        content.seek(0)
        self._client.put_object(
            Bucket=self.bucket_name,
            Key=self._normalize_name(cleaned),
            Body=content.read(),
            IfNoneMatch="*",
            **self._get_write_parameters(cleaned, content),
        )
        return cleaned


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
