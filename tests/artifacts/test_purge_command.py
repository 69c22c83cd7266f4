"""`manage.py purge_expired_artifacts`: retention, with a system tombstone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.utils import timezone

from artifacts.models import Artifact, ArtifactState, ArtifactTombstone
from tests.artifacts.conftest import BUCKET

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(run_command: Callable[..., str]) -> Callable[..., str]:
    return partial(run_command, "purge_expired_artifacts")


def test_retain_until_follows_the_setting(settings: Any, save: Any) -> None:
    settings.ARTIFACT_RETENTION_DAYS = 30
    artifact = save()
    assert artifact.retain_until == artifact.created_at + timedelta(days=30)


def test_deletes_only_what_is_past_retention(run: Callable[..., str], s3: Any, save: Any) -> None:
    expired, current = save(), save()
    Artifact.objects.filter(pk=expired.pk).update(retain_until=timezone.now() - timedelta(days=1))

    output = run()

    assert "Deleted 1 expired artifact(s)." in output
    tombstone = ArtifactTombstone.objects.get()
    assert tombstone.artifact_id == expired.pk
    assert tombstone.actor == "system: retention"
    assert tombstone.user is None
    assert "Retention period ended" in tombstone.reason
    remaining = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert all(key.startswith(current.prefix) for key in remaining)
    assert run().endswith("Deleted 0 expired artifact(s).\n")


def test_dry_run_changes_nothing(run: Callable[..., str], s3: Any, save: Any) -> None:
    expired = save()
    Artifact.objects.filter(pk=expired.pk).update(retain_until=timezone.now() - timedelta(days=1))

    output = run("--dry-run")

    assert "Would delete 1 expired artifact(s). Nothing was changed." in output
    expired.refresh_from_db()
    assert expired.state == ArtifactState.STORED
    assert len(s3.list_objects_v2(Bucket=BUCKET)["Contents"]) == 4
    assert ArtifactTombstone.objects.count() == 0
