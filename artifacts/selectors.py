"""Reads: which artifacts match, and what one of them contains.

Lists come from the index rows, never from listing the storage.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from artifacts.models import Artifact, ArtifactFile, ArtifactState
from artifacts.storage import artifact_storage, serves_presigned_urls
from verifier.models import VerdictChoice, Verification


class ArtifactFilter(django_filters.FilterSet):
    # Whole UTC days, compared as a datetime range so the created_at index is used.
    start_date = django_filters.DateFilter(method="filter_start_date")
    end_date = django_filters.DateFilter(method="filter_end_date")
    validation_status = django_filters.ChoiceFilter(
        field_name="verdict", choices=VerdictChoice.choices
    )
    ocr_backend = django_filters.CharFilter()
    beverage_type = django_filters.CharFilter()
    brand = django_filters.CharFilter(field_name="brand_name", lookup_expr="icontains")
    state = django_filters.ChoiceFilter(choices=ArtifactState.choices)
    request_id = django_filters.UUIDFilter()

    class Meta:
        model = Artifact
        fields: list[str] = []

    def filter_start_date(
        self, queryset: QuerySet[Artifact], name: str, value: date
    ) -> QuerySet[Artifact]:
        return queryset.filter(created_at__gte=start_of_day(value))

    def filter_end_date(
        self, queryset: QuerySet[Artifact], name: str, value: date
    ) -> QuerySet[Artifact]:
        return queryset.filter(created_at__lt=start_of_day(value + timedelta(days=1)))


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def artifact_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Artifact]:
    """Artifacts matching `filters` (already validated), newest first."""
    queryset = Artifact.objects.all()
    return ArtifactFilter(filters or {}, queryset=queryset).qs


def artifact_summary(*, verification: Verification) -> dict[str, Any] | None:
    """What a verification answer says of its artifact: id, state, and why it failed."""
    try:
        artifact = verification.artifact  # type: ignore[attr-defined]
    except Artifact.DoesNotExist:
        return None
    return {
        "id": artifact.pk,
        "state": artifact.state,
        "failure_reason": artifact.failure_reason or None,
    }


def artifact_get(*, artifact_id: int) -> Artifact | None:
    return Artifact.objects.filter(pk=artifact_id).first()


def artifact_of(*, verification: Verification) -> Artifact | None:
    """The verification's artifact (any state, tombstones included), or None."""
    return Artifact.objects.filter(verification=verification).first()


def artifact_files(*, artifact: Artifact) -> list[ArtifactFile]:
    """The artifact's objects, without the kept bytes."""
    return list(artifact.files.defer("kept_content"))


def artifact_file_get(
    *, artifact: Artifact, kind: str, panel: int | None = None
) -> ArtifactFile | None:
    return artifact.files.defer("kept_content").filter(kind=kind, panel=panel).first()


def artifact_file_read(*, file: ArtifactFile) -> bytes:
    """The object's bytes: from storage, or the kept copy while the artifact is failed.

    Raises FileNotFoundError when it is in neither place; storage errors propagate.
    """
    if file.artifact.state == ArtifactState.FAILED:
        kept = ArtifactFile.objects.filter(pk=file.pk).values_list("kept_content", flat=True)
        content = kept.first()
        if content is not None:
            return bytes(content)
    if file.artifact.state != ArtifactState.STORED:
        raise FileNotFoundError(file.key)
    with artifact_storage().open(file.key, "rb") as handle:
        return handle.read()


def artifact_document(*, artifact: Artifact, kind: str) -> dict[str, Any] | None:
    """One of the JSON documents (metadata, extracted text, result), or None."""
    file = artifact_file_get(artifact=artifact, kind=kind)
    if file is None:
        return None
    file.artifact = artifact
    try:
        return json.loads(artifact_file_read(file=file))
    except FileNotFoundError:
        return None


def artifact_file_url(*, file: ArtifactFile, download: bool = False) -> str | None:
    """A short-lived presigned URL for the object, or None when the app must stream it."""
    storage = artifact_storage()
    if not serves_presigned_urls(storage):
        return None
    parameters = {"ResponseContentDisposition": f'attachment; filename="{file.file_name}"'}
    return storage.url(file.key, parameters=parameters if download else None)


def artifact_expired_list(*, now: datetime | None = None) -> QuerySet[Artifact]:
    """Artifacts past `retain_until` that still have (or may have) objects."""
    return Artifact.objects.filter(retain_until__lt=now or timezone.now()).exclude(
        state=ArtifactState.DELETED
    )


def artifact_failed_list() -> QuerySet[Artifact]:
    return Artifact.objects.filter(state=ArtifactState.FAILED).order_by("created_at", "id")


def artifact_deletion_list(
    *,
    ids: list[int] | None = None,
    request_ids: list[str] | None = None,
    before: date | None = None,
    brand: str | None = None,
) -> QuerySet[Artifact]:
    """Artifacts matching every criterion given, not yet deleted, oldest first."""
    queryset = Artifact.objects.exclude(state=ArtifactState.DELETED)
    if ids:
        queryset = queryset.filter(pk__in=ids)
    if request_ids:
        queryset = queryset.filter(request_id__in=request_ids)
    if before:
        queryset = queryset.filter(created_at__lt=start_of_day(before))
    if brand:
        queryset = queryset.filter(brand_name__icontains=brand)
    return queryset.order_by("created_at", "id")


def evidence_boxes(*, result: dict[str, Any], panel: int) -> list[dict[str, Any]]:
    """The evidence boxes of the result's checks on one panel.

    Each: {"check": id, "outcome": "pass"|"fail"|…, "box": {left, top, width, height}}.
    """
    boxes = []
    for check in result.get("checks") or []:
        for evidence in check.get("evidence") or []:
            box = evidence.get("box")
            if evidence.get("panel") == panel and isinstance(box, dict):
                boxes.append(
                    {"check": check.get("id"), "outcome": check.get("outcome"), "box": box}
                )
    return boxes
