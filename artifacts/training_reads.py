"""Reads for exporting training data and re-reading stored labels (analytics).

Only artifacts whose objects are really there count: stored, not deleted (right
to delete) and not past `retain_until`, even if the purge has not run yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from artifacts.models import Artifact, ArtifactState, FileKind
from artifacts.selectors import artifact_document, artifact_file_read, start_of_day


@dataclass(frozen=True)
class StoredImage:
    panel: int
    extension: str  # from the stored key: png, jpg, ...
    content: bytes


def artifacts_readable(
    *,
    since: date | None = None,
    until: date | None = None,
    verification_ids: list[int] | None = None,
    decided_only: bool = False,
    now: datetime | None = None,
) -> QuerySet[Artifact]:
    """Stored, unexpired artifacts of verifications made on `since`..`until`
    (UTC days, both included), oldest first, with their verification."""
    queryset = (
        Artifact.objects.filter(state=ArtifactState.STORED, retain_until__gt=now or timezone.now())
        .filter(tombstone__isnull=True)
        .select_related("verification")
        .order_by("created_at", "id")
    )
    if since:
        queryset = queryset.filter(created_at__gte=start_of_day(since))
    if until:
        queryset = queryset.filter(created_at__lt=start_of_day(until + timedelta(days=1)))
    if verification_ids:
        queryset = queryset.filter(verification_id__in=verification_ids)
    if decided_only:
        queryset = queryset.filter(verification__decisions__isnull=False).distinct()
    return queryset


def artifact_images(*, artifact: Artifact) -> list[StoredImage]:
    """The label's panel images, front first. Raises FileNotFoundError if one is gone."""
    images = []
    for file in artifact.files.defer("kept_content").filter(kind=FileKind.IMAGE).order_by("panel"):
        file.artifact = artifact
        images.append(
            StoredImage(
                panel=file.panel or 0,
                extension=file.key.rsplit(".", 1)[-1],
                content=artifact_file_read(file=file),
            )
        )
    return images


def artifact_extracted_text(*, artifact: Artifact) -> dict[str, Any]:
    """`extracted_text.json`: each panel's lines and words with boxes, as read then."""
    return artifact_document(artifact=artifact, kind=FileKind.EXTRACTED_TEXT) or {"panels": []}


def artifact_id_of(*, verification_id: int) -> int | None:
    return (
        Artifact.objects.filter(verification_id=verification_id)
        .values_list("pk", flat=True)
        .first()
    )
