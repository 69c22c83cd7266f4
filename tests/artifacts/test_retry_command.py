"""`manage.py retry_failed_artifacts`: stores what failed, from the kept bytes."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from artifacts.models import ArtifactFile, ArtifactState
from artifacts.services import ArtifactNotRetryable, artifact_retry
from tests.artifacts.conftest import BUCKET, s3_storage_settings

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("retry_failed_artifacts", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_stores_a_failed_artifact_once_s3_is_back(
    s3: Any, settings: Any, save: Any, png: bytes
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "artifacts": s3_storage_settings(endpoint_url="http://127.0.0.1:9"),
    }
    artifact = save(images=[png])
    assert artifact.state == ArtifactState.FAILED

    settings.STORAGES = {**settings.STORAGES, "artifacts": s3_storage_settings()}
    output = run()

    assert "Stored 1 artifact(s); 0 still failed." in output
    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.STORED
    assert artifact.failure_reason == ""
    assert artifact.attempts == 2
    assert not ArtifactFile.objects.filter(kept_content__isnull=False).exists()
    image = s3.get_object(Bucket=BUCKET, Key=f"{artifact.prefix}image.png")
    assert image["Body"].read() == png
    assert image["ServerSideEncryption"] == "AES256"


def test_still_unreachable_stays_failed_with_the_bytes(unreachable_s3: None, save: Any) -> None:
    artifact = save()

    output = run()

    assert "Stored 0 artifact(s); 1 still failed." in output
    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.FAILED
    assert ArtifactFile.objects.filter(artifact=artifact, kept_content__isnull=True).count() == 0


def test_dry_run_changes_nothing(unreachable_s3: None, save: Any) -> None:
    artifact = save()

    output = run("--dry-run")

    assert "Would retry 1 artifact(s). Nothing was changed." in output
    artifact.refresh_from_db()
    assert (artifact.state, artifact.attempts) == (ArtifactState.FAILED, 1)


def test_only_failed_artifacts_can_be_retried(save: Any) -> None:
    with pytest.raises(ArtifactNotRetryable, match="stored, not failed"):
        artifact_retry(artifact=save())
