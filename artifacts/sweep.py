"""The orphan sweep: make the storage and the index rows agree again.

Three things can drift despite the careful ordering in `services`:

- objects with no row (a clean-up after a failed upload or a deletion could
  not reach the storage, or a process died mid-upload and its keys changed);
- `stored` rows whose objects are gone (someone deleted them in the bucket);
- `pending` rows whose upload was interrupted by a crash.

The sweep is the one place that lists the storage, one day folder at a time
so memory stays bounded. Objects younger than the grace period are left alone:
an upload may be in flight.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from artifacts.models import Artifact, ArtifactFile, ArtifactState
from artifacts.services import SWEEP_ACTOR, artifact_delete, delete_objects_quietly
from artifacts.storage import ROOT, StoredObject, artifact_storage, walk_objects

DEFAULT_GRACE = timedelta(hours=1)


@dataclass
class SweepReport:
    orphan_objects: list[str] = field(default_factory=list)  # deleted (or would be)
    vanished: list[Artifact] = field(default_factory=list)  # all objects gone: tombstoned
    incomplete: list[Artifact] = field(default_factory=list)  # some gone: marked failed
    completed: list[Artifact] = field(default_factory=list)  # interrupted, all landed: stored
    interrupted: list[Artifact] = field(default_factory=list)  # interrupted: failed or tombstoned

    @property
    def changes(self) -> int:
        return sum(
            len(items)
            for items in (
                self.orphan_objects,
                self.vanished,
                self.incomplete,
                self.completed,
                self.interrupted,
            )
        )


def artifact_prune_orphans(
    *, dry_run: bool, grace: timedelta = DEFAULT_GRACE, now: datetime | None = None
) -> SweepReport:
    now = now or timezone.now()
    cutoff = now - grace
    report = SweepReport()
    for day in _day_prefixes():
        listed = {item.key: item for item in walk_objects(artifact_storage(), root=day)}
        rows = _rows_of_day(day)
        by_artifact: dict[int, list[ArtifactFile]] = {}
        for row in rows:
            by_artifact.setdefault(row.artifact_id, []).append(row)
        known = {row.key for files in by_artifact.values() for row in files}
        report.orphan_objects += [
            key for key, item in listed.items() if key not in known and _older(item, cutoff)
        ]
        artifacts = Artifact.objects.filter(pk__in=by_artifact).exclude(
            state__in=[ArtifactState.DELETED, ArtifactState.FAILED]
        )
        for artifact in artifacts:
            _check_artifact(artifact, by_artifact[artifact.pk], listed, cutoff, report)
    if not dry_run:
        _apply(report)
    return report


def _day_prefixes() -> Iterator[str]:
    """`artifacts/YYYY/MM/DD` folders in the storage and in the rows, oldest first."""
    days = {
        f"{ROOT}/{day:%Y/%m/%d}"
        for day in Artifact.objects.exclude(state=ArtifactState.DELETED).dates("created_at", "day")
    }
    for year in _folders(ROOT):
        for month in _folders(f"{ROOT}/{year}"):
            days.update(f"{ROOT}/{year}/{month}/{d}" for d in _folders(f"{ROOT}/{year}/{month}"))
    yield from sorted(days)


def _rows_of_day(day: str) -> QuerySet[ArtifactFile]:
    """File rows of artifacts saved that day (by the indexed date: keys carry the same day)."""
    try:
        start = datetime.strptime(day, f"{ROOT}/%Y/%m/%d").replace(tzinfo=UTC)
    except ValueError:  # a folder the app never writes: everything in it is an orphan
        return ArtifactFile.objects.none()
    return ArtifactFile.objects.filter(
        artifact__created_at__gte=start, artifact__created_at__lt=start + timedelta(days=1)
    ).defer("kept_content")


def _folders(path: str) -> list[str]:
    try:
        return artifact_storage().listdir(path)[0]
    except FileNotFoundError:
        return []


def _older(item: StoredObject, cutoff: datetime) -> bool:
    return item.modified_at is None or item.modified_at < cutoff


def _check_artifact(
    artifact: Artifact,
    files: list[ArtifactFile],
    listed: dict[str, StoredObject],
    cutoff: datetime,
    report: SweepReport,
) -> None:
    present = [file for file in files if file.key in listed]
    if artifact.state == ArtifactState.STORED:
        if not present:
            report.vanished.append(artifact)
        elif len(present) < len(files):
            report.incomplete.append(artifact)
    elif artifact.state == ArtifactState.PENDING and artifact.attempted_at < cutoff:
        complete = len(present) == len(files) and all(
            listed[file.key].size_bytes == file.size_bytes for file in present
        )
        (report.completed if complete else report.interrupted).append(artifact)


def _apply(report: SweepReport) -> None:
    delete_objects_quietly(report.orphan_objects)
    for artifact in report.vanished:
        artifact_delete(
            artifact=artifact,
            user=None,
            actor=SWEEP_ACTOR,
            reason="Its objects were missing from the artifact storage.",
        )
    for artifact in report.incomplete:
        Artifact.objects.filter(pk=artifact.pk, state=ArtifactState.STORED).update(
            state=ArtifactState.FAILED,
            failure_reason="Some of its objects are missing from the artifact storage.",
        )
    for artifact in report.completed:
        Artifact.objects.filter(pk=artifact.pk, state=ArtifactState.PENDING).update(
            state=ArtifactState.STORED, stored_at=timezone.now(), failure_reason=""
        )
    for artifact in report.interrupted:
        _settle_interrupted(artifact)


def _settle_interrupted(artifact: Artifact) -> None:
    """An upload that died midway: remove what landed; retry if the bytes were kept."""
    files = list(artifact.files.all())
    kept = bool(files) and all(file.kept_content is not None for file in files)
    if kept:  # a retry that died: it can run again
        with transaction.atomic():
            settled = Artifact.objects.filter(pk=artifact.pk, state=ArtifactState.PENDING).update(
                state=ArtifactState.FAILED,
                failure_reason="The upload was interrupted; the retry command will store it.",
            )
        if settled:
            delete_objects_quietly(file.key for file in files)
        return
    artifact_delete(
        artifact=artifact,
        user=None,
        actor=SWEEP_ACTOR,
        reason="The upload was interrupted before it finished; its content was not kept.",
    )
