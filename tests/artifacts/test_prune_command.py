"""`manage.py prune_orphan_artifacts`: storage and rows agree again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from artifacts.models import Artifact, ArtifactFile, ArtifactState, ArtifactTombstone
from artifacts.services import artifact_save
from tests.artifacts.conftest import BUCKET, make_png, sample_extracted_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(run_command: Callable[..., str]) -> Callable[..., str]:
    return partial(run_command, "prune_orphan_artifacts", "--grace-minutes", "0")


def keys(s3: Any) -> set[str]:
    return {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_deletes_objects_no_row_knows(run: Callable[..., str], s3: Any, save: Any) -> None:
    artifact = save()
    stray = f"{artifact.prefix.rsplit('/', 2)[0]}/4f1b0c9e-stray/image.png"
    s3.put_object(Bucket=BUCKET, Key=stray, Body=b"x")

    output = run()

    assert f"orphan object\t{stray}" in output
    assert stray not in keys(s3)
    assert len(keys(s3)) == 4  # the artifact's own objects stay


def test_young_objects_are_left_for_uploads_in_flight(s3: Any, save: Any) -> None:
    artifact = save()
    stray = f"{artifact.prefix}stray.json"
    s3.put_object(Bucket=BUCKET, Key=stray, Body=b"x")

    out = StringIO()
    call_command("prune_orphan_artifacts", stdout=out)  # default grace: an hour

    assert stray in keys(s3)


def test_tombstones_artifacts_whose_objects_vanished(
    run: Callable[..., str], s3: Any, save: Any
) -> None:
    artifact = save()
    for key in keys(s3):
        s3.delete_object(Bucket=BUCKET, Key=key)

    run()

    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.DELETED
    tombstone = ArtifactTombstone.objects.get()
    assert (tombstone.actor, tombstone.artifact_id) == ("system: orphan sweep", artifact.pk)


def test_partly_missing_is_marked_failed(run: Callable[..., str], s3: Any, save: Any) -> None:
    artifact = save()
    s3.delete_object(Bucket=BUCKET, Key=f"{artifact.prefix}metadata.json")

    run()

    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.FAILED
    assert "missing" in artifact.failure_reason
    assert len(keys(s3)) == 3


def test_interrupted_upload_is_cleaned_up(
    run: Callable[..., str], s3: Any, make_verification: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise SystemExit("the worker was killed")

    verification = make_verification()
    monkeypatch.setattr("artifacts.services._upload_and_settle", crash)
    with pytest.raises(SystemExit):
        artifact_save(
            verification=verification,
            images=[make_png()],
            extracted_text=sample_extracted_text(),
            result=verification.result,
        )
    artifact = Artifact.objects.get()
    assert artifact.state == ArtifactState.PENDING
    s3.put_object(Bucket=BUCKET, Key=f"{artifact.prefix}image.png", Body=make_png())
    Artifact.objects.update(attempted_at=timezone.now() - timedelta(hours=2))

    run()

    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.DELETED
    assert keys(s3) == set()
    assert ArtifactTombstone.objects.get().artifact_id == artifact.pk


def test_interrupted_upload_that_finished_is_marked_stored(
    run: Callable[..., str], s3: Any, save: Any
) -> None:
    artifact = save()
    Artifact.objects.update(
        state=ArtifactState.PENDING, attempted_at=timezone.now() - timedelta(hours=2)
    )

    run()

    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.STORED


def test_dry_run_changes_nothing(run: Callable[..., str], s3: Any, save: Any) -> None:
    artifact = save()
    stray = f"{artifact.prefix}stray.json"
    s3.put_object(Bucket=BUCKET, Key=stray, Body=b"x")
    s3.delete_object(Bucket=BUCKET, Key=f"{artifact.prefix}metadata.json")

    output = run("--dry-run")

    assert (
        "Would delete 1 orphan object(s) and settle 1 artifact row(s). Nothing was changed."
        in output
    )
    assert stray in keys(s3)
    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.STORED
    assert ArtifactFile.objects.count() == 4


def test_works_on_the_file_system_storage(
    run: Callable[..., str], save: Any, settings: Any
) -> None:
    from django.core.files.storage import storages

    artifact = save()
    storage = storages["artifacts"]
    storage.save(f"{artifact.prefix}stray.json", __import__("io").BytesIO(b"x"))

    output = run()

    assert "stray.json" in output
    assert not storage.exists(f"{artifact.prefix}stray.json")
    assert storage.exists(f"{artifact.prefix}image.png")


def test_a_folder_the_app_never_writes_is_swept(
    run: Callable[..., str], s3: Any, save: Any
) -> None:
    save()
    s3.put_object(Bucket=BUCKET, Key="artifacts/tmp/scratch/x/leftover.bin", Body=b"x")

    run()

    assert "artifacts/tmp/scratch/x/leftover.bin" not in keys(s3)
    assert len(keys(s3)) == 4
