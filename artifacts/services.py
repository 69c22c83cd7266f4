"""Writes: save an artifact, retry a failed one, delete one.

Saving never loses or delays the verdict. The order keeps the database and
the storage in step without holding a transaction open across the network:

1. a short transaction creates the `Artifact` row (`pending`) and one
   `ArtifactFile` row per planned object, with its key, size and SHA-256;
2. the objects are uploaded outside any transaction, side by side;
3. success marks the row `stored`; failure deletes whatever objects landed,
   marks the row `failed` with the reason and keeps the bytes on the file rows
   (`kept_content`) so `manage.py retry_failed_artifacts` can store them later.

A batch worker does 2 and 3 on a background thread while it reads the next
label (`in_background=True`); an API caller waits for them, since its answer
carries the artifact's state. A crash between 1 and 3 leaves a `pending` row
that `prune_orphan_artifacts` settles. Deleting writes the tombstone in the
transaction and removes the objects only once it commits.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import close_old_connections, connections, transaction
from django.db.models import F
from django.utils import timezone

from artifacts.documents import extracted_text_document, plan_files
from artifacts.models import Artifact, ArtifactFile, ArtifactState, ArtifactTombstone
from artifacts.storage import PlannedFile, artifact_prefix, artifact_storage, upload
from verifier.engine.models import PanelReading
from verifier.models import Verification

logger = logging.getLogger(__name__)

RETENTION_ACTOR = "system: retention"
SWEEP_ACTOR = "system: orphan sweep"


class ArtifactError(Exception):
    """A request the artifact services refuse, with a message a person can act on."""


class ArtifactAlreadyDeleted(ArtifactError):
    pass


class ArtifactNotRetryable(ArtifactError):
    pass


def artifact_save_wanted(*, requested: bool | None) -> bool:
    """Whether to save: what the caller asked, else `ARTIFACT_DEFAULT_SAVE`."""
    if not settings.ARTIFACT_STORAGE_ENABLED:
        return False
    return settings.ARTIFACT_DEFAULT_SAVE if requested is None else requested


def artifact_save(
    *,
    verification: Verification,
    images: list[bytes],
    extracted_text: dict[str, Any],
    result: dict[str, Any],
    in_background: bool = False,
) -> Artifact:
    """Store what `verification` saw and decided; never raises on storage failure.

    Call it after the verification row is committed and outside any
    transaction. The artifact comes back `stored`, or `failed` with the reason.
    `in_background` returns it `pending` at once and uploads it on this
    process's background thread (see `_background`); inside a transaction, which
    that thread could not see, it uploads before returning as usual.
    """
    existing = Artifact.objects.filter(verification=verification).first()
    if existing is not None:  # one artifact per verification: saving twice is a no-op
        return existing
    in_transaction = transaction.get_connection().in_atomic_block
    if in_transaction:
        logger.warning("artifact_save() inside a transaction: uploads should happen outside it")
    planned = plan_files(
        verification=verification, images=images, extracted_text=extracted_text, result=result
    )
    artifact = _create_pending(verification=verification, planned=planned)
    if in_background and not in_transaction:
        _background_slots.acquire()  # a slow storage slows the caller, not fills memory
        try:
            _background.submit(_settle_in_background, artifact=artifact, planned=planned)
            return artifact
        except RuntimeError:  # the process is exiting and its pools are closed: upload here
            _background_slots.release()
            return _upload_and_settle(
                artifact=artifact, planned=planned, content_kept=False, parallel=False
            )
    return _upload_and_settle(artifact=artifact, planned=planned, content_kept=False)


def verification_artifact_save(
    *,
    verification: Verification,
    images: list[bytes],
    readings: Sequence[PanelReading],
    result: dict[str, Any],
    in_background: bool = False,
) -> Artifact:
    """`artifact_save` for a verification just made: its OCR document
    (`extracted_text.json`) is written here from the engine's readings."""
    return artifact_save(
        verification=verification,
        images=images,
        extracted_text=extracted_text_document(readings),
        result=result,
        in_background=in_background,
    )


# One thread per process settles background saves in order. At most two wait
# or run at a time. Python runs what is queued before the process exits
# (concurrent.futures joins its threads), so a worker told to stop still stores
# them; one killed outright leaves `pending` rows for the orphan sweep.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="artifact-background")
_background_slots = threading.BoundedSemaphore(2)


def _settle_in_background(*, artifact: Artifact, planned: list[PlannedFile]) -> None:
    try:
        close_old_connections()  # this thread's own connection, as between requests
        # One object after the other: nobody waits for this thread, and the
        # shared upload pool stops taking work once the process is exiting.
        _upload_and_settle(artifact=artifact, planned=planned, content_kept=False, parallel=False)
    except Exception:  # the row stays pending; the orphan sweep settles it
        logger.exception("Artifact %s: background save failed", artifact.request_id)
    finally:
        _background_slots.release()


def artifact_background_wait() -> None:
    """Return once every background save queued so far is settled, and release
    the background thread's database connection. Tests call it; an exiting
    process waits for the queue by itself."""
    _background.submit(connections.close_all).result()


@transaction.atomic
def _create_pending(*, verification: Verification, planned: list[PlannedFile]) -> Artifact:
    now = timezone.now()
    artifact = Artifact.objects.create(
        verification=verification,
        request_id=verification.request_id,
        created_at=verification.created_at,
        prefix=artifact_prefix(
            request_id=verification.request_id, created_at=verification.created_at
        ),
        state=ArtifactState.PENDING,
        attempted_at=now,
        retain_until=verification.created_at + timedelta(days=settings.ARTIFACT_RETENTION_DAYS),
        verdict=verification.verdict,
        ocr_backend=verification.backend_used,
        beverage_type=verification.beverage_type,
        brand_name=verification.brand_name[:200],
    )
    ArtifactFile.objects.bulk_create(
        ArtifactFile(
            artifact=artifact,
            kind=file.kind,
            panel=file.panel,
            key=file.key,
            size_bytes=file.size_bytes,
            sha256=file.sha256,
            content_type=file.content_type,
        )
        for file in planned
    )
    return artifact


def _upload_and_settle(
    *, artifact: Artifact, planned: list[PlannedFile], content_kept: bool, parallel: bool = True
) -> Artifact:
    landed, error = _upload_all(planned, parallel=parallel)
    if error is not None:
        logger.warning("Artifact %s not stored: %r", artifact.request_id, error)
        delete_objects_quietly(landed.values())
        _mark_failed(
            artifact=artifact,
            planned=[] if content_kept else planned,
            reason=failure_reason(error),
        )
    else:
        _mark_stored(artifact=artifact, landed=landed, clear_kept=content_kept)
    artifact.refresh_from_db()
    return artifact


# Objects of one artifact upload side by side: a save then costs about one
# round trip to the storage instead of one per object.
_upload_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="artifact-upload")


def _upload_all(
    planned: list[PlannedFile], *, parallel: bool
) -> tuple[dict[str, str], Exception | None]:
    """Upload every file; return {planned key: stored name} of those that landed,
    and the first error (after every started upload has finished, so none lands later)."""
    storage = artifact_storage()
    uploads: dict[str, Callable[[], str]] = {
        file.key: functools.partial(upload, storage, key=file.key, content=file.content)
        for file in planned
    }
    if parallel:
        futures = {key: _upload_pool.submit(call) for key, call in uploads.items()}
        uploads = {key: future.result for key, future in futures.items()}
    landed: dict[str, str] = {}
    first_error: Exception | None = None
    for key, call in uploads.items():
        try:
            landed[key] = call()
        except Exception as error:  # any storage failure: the verdict must still be answered
            first_error = first_error or error
            if not parallel:
                break  # the rest would fail the same way, one timeout each
    return landed, first_error


def failure_reason(error: Exception) -> str:
    """What went wrong, for the API's answer and the admin: no hosts, no secrets."""
    name = type(error).__name__
    response = getattr(error, "response", None)  # botocore's ClientError carries a dict
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    if code:
        return f"The artifact storage refused the upload ({name}: {code})."
    if isinstance(error, ConnectionError | TimeoutError) or "Connect" in name or "Timeout" in name:
        return f"The artifact storage could not be reached ({name})."
    return f"The artifact could not be stored ({name})."


def _mark_stored(*, artifact: Artifact, landed: dict[str, str], clear_kept: bool) -> None:
    with transaction.atomic():
        settled = Artifact.objects.filter(pk=artifact.pk, state=ArtifactState.PENDING).update(
            state=ArtifactState.STORED,
            stored_at=timezone.now(),
            failure_reason="",
            attempts=F("attempts") + 1,
        )
        if not settled:
            # Deleted while uploading: what just landed belongs to no one.
            transaction.on_commit(
                functools.partial(delete_objects_quietly, list(landed.values())), robust=True
            )
            return
        for planned_key, stored_key in landed.items():
            if planned_key != stored_key:
                ArtifactFile.objects.filter(artifact=artifact, key=planned_key).update(
                    key=stored_key
                )
        if clear_kept:
            ArtifactFile.objects.filter(artifact=artifact).update(kept_content=None)


def _mark_failed(*, artifact: Artifact, planned: list[PlannedFile], reason: str) -> None:
    with transaction.atomic():
        settled = Artifact.objects.filter(pk=artifact.pk, state=ArtifactState.PENDING).update(
            state=ArtifactState.FAILED, failure_reason=reason, attempts=F("attempts") + 1
        )
        if settled:
            for file in planned:
                ArtifactFile.objects.filter(artifact=artifact, key=file.key).update(
                    kept_content=file.content
                )


def artifact_retry(*, artifact: Artifact) -> Artifact:
    """Upload a `failed` artifact again from the bytes kept on its rows.

    Raises ArtifactNotRetryable when it is not failed, another retry holds
    it, or its content was not kept. A second failure leaves it `failed`.
    """
    if artifact.state != ArtifactState.FAILED:
        raise ArtifactNotRetryable(f"Artifact {artifact.pk} is {artifact.state}, not failed.")
    files = list(artifact.files.all())
    if not files or any(file.kept_content is None for file in files):
        raise ArtifactNotRetryable(
            f"Artifact {artifact.pk} has no kept copy to upload; it cannot be retried."
        )
    claimed = Artifact.objects.filter(pk=artifact.pk, state=ArtifactState.FAILED).update(
        state=ArtifactState.PENDING, attempted_at=timezone.now()
    )
    if not claimed:
        raise ArtifactNotRetryable(f"Artifact {artifact.pk} changed state meanwhile.")
    planned = [
        PlannedFile(
            kind=file.kind,
            panel=file.panel,
            key=file.key,
            content=bytes(file.kept_content),
            content_type=file.content_type,
        )
        for file in files
    ]
    # Leftovers of the failed attempt (its clean-up may have failed too) would
    # make the no-overwrite storage pick other names.
    delete_objects_quietly(file.key for file in planned)
    return _upload_and_settle(artifact=artifact, planned=planned, content_kept=True)


def artifact_delete(
    *,
    artifact: Artifact,
    user: AbstractBaseUser | None,
    reason: str,
    actor: str | None = None,
) -> ArtifactTombstone:
    """Delete the artifact's objects and leave a tombstone (what, when, who, why).

    The row stays, marked `deleted`; the objects go once the transaction
    commits, so a rolled-back deletion keeps them. `actor` names a system
    caller ("system: retention") when there is no user.
    """
    if not reason.strip():
        raise ArtifactError("A reason is required to delete an artifact.")
    if user is None and not actor:
        raise ArtifactError("Name the user or the system actor deleting the artifact.")
    with transaction.atomic():
        locked = Artifact.objects.select_for_update().get(pk=artifact.pk)
        if locked.state == ArtifactState.DELETED:
            raise ArtifactAlreadyDeleted(
                f"Artifact {locked.pk} was already deleted on {locked.deleted_at:%Y-%m-%d}."
            )
        keys = list(locked.files.values_list("key", flat=True))
        locked.files.all().delete()
        locked.state = ArtifactState.DELETED
        locked.deleted_at = timezone.now()
        locked.failure_reason = ""
        locked.save(update_fields=["state", "deleted_at", "failure_reason"])
        tombstone = ArtifactTombstone.objects.create(
            artifact=locked,
            request_id=locked.request_id,
            keys=keys,
            user=user,
            actor=actor or user.get_username(),  # type: ignore[union-attr]
            reason=reason.strip(),
        )
        transaction.on_commit(functools.partial(delete_objects_quietly, keys), robust=True)
    artifact.refresh_from_db()
    return tombstone


def delete_objects_quietly(keys: Iterable[str]) -> list[str]:
    """Delete objects, logging failures; return the keys that could not be deleted.

    Whatever stays behind has no row and is removed by `prune_orphan_artifacts`.
    """
    storage = artifact_storage()
    failed = []
    for key in keys:
        try:
            storage.delete(key)
        except Exception as error:  # a sweep catches it; the caller must not fail
            logger.warning("Could not delete artifact object %s: %r", key, error)
            failed.append(key)
    return failed
