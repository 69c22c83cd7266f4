"""`manage.py delete_artifacts`: selection, dry run, confirmation, tombstones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.core.management import CommandError
from django.utils import timezone

from artifacts.models import Artifact, ArtifactState, ArtifactTombstone
from tests.artifacts.conftest import BUCKET

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(run_command: Callable[..., str]) -> Callable[..., str]:
    return partial(run_command, "delete_artifacts")


def keys(s3: Any) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_deletes_by_brand_with_a_tombstone_each(
    run: Callable[..., str], s3: Any, save: Any
) -> None:
    first, second = save(brand_name="Stone Ridge"), save(brand_name="stone ridge reserve")
    other = save(brand_name="Old Tom")

    output = run("--brand", "STONE RIDGE", "--reason", "Recall 42", "--yes")

    assert "Deleted 2 artifact(s)." in output
    states = dict(Artifact.objects.values_list("pk", "state"))
    assert states == {
        first.pk: ArtifactState.DELETED,
        second.pk: ArtifactState.DELETED,
        other.pk: ArtifactState.STORED,
    }
    assert ArtifactTombstone.objects.filter(artifact=first).count() == 1
    assert ArtifactTombstone.objects.filter(artifact=second).count() == 1
    tombstone = ArtifactTombstone.objects.get(artifact=first)
    assert tombstone.reason == "Recall 42"
    assert tombstone.actor.startswith("manage.py delete_artifacts (")
    assert all(key.startswith(other.prefix) for key in keys(s3))


def test_deletes_by_id_and_request_id(run: Callable[..., str], save: Any) -> None:
    by_id, by_request, kept = save(), save(), save()

    run("--id", str(by_id.pk), "--request-id", str(by_request.request_id), "--reason", "x", "--yes")

    # Options combine with AND: neither matches both criteria.
    assert ArtifactTombstone.objects.count() == 0
    run("--id", str(by_id.pk), "--reason", "x", "--yes")
    run("--request-id", str(by_request.request_id), "--reason", "x", "--yes")
    assert set(ArtifactTombstone.objects.values_list("artifact_id", flat=True)) == {
        by_id.pk,
        by_request.pk,
    }
    kept.refresh_from_db()
    assert kept.state == ArtifactState.STORED


def test_deletes_before_a_date(run: Callable[..., str], save: Any, make_verification: Any) -> None:
    old, new = save(), save()
    Artifact.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    cutoff = (timezone.now() - timedelta(days=10)).date().isoformat()

    run("--before", cutoff, "--reason", "Spring cleaning", "--yes")

    assert list(ArtifactTombstone.objects.values_list("artifact_id", flat=True)) == [old.pk]
    new.refresh_from_db()
    assert new.state == ArtifactState.STORED


def test_dry_run_lists_and_changes_nothing(run: Callable[..., str], s3: Any, save: Any) -> None:
    artifact = save()
    before = keys(s3)

    output = run("--brand", "Stone", "-n")

    assert str(artifact.request_id) in output
    assert "Would delete 1 artifact(s). Nothing was changed." in output
    assert keys(s3) == before
    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.STORED
    assert ArtifactTombstone.objects.count() == 0


def test_asks_for_confirmation(
    run: Callable[..., str], save: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifact = save()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Cancelled"):
        run("--id", str(artifact.pk), "--reason", "x")
    assert ArtifactTombstone.objects.count() == 0

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    run("--id", str(artifact.pk), "--reason", "x")
    assert ArtifactTombstone.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Name what to delete"),
        (("--before", "31/01/2025"), "not a date"),
        (("--request-id", "nope"), "not a UUID"),
        (("--brand", "Stone", "--yes"), "--reason"),
    ],
)
def test_bad_input_is_refused(
    run: Callable[..., str], save: Any, args: tuple[str, ...], message: str
) -> None:
    save()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert ArtifactTombstone.objects.count() == 0
