"""artifact_delete(): objects go after commit, a tombstone stays, rollback keeps all."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from artifacts.models import ArtifactFile, ArtifactState, ArtifactTombstone
from artifacts.services import ArtifactAlreadyDeleted, ArtifactError, artifact_delete
from tests.artifacts.conftest import BUCKET
from ttbsite.append_only import AppendOnlyError

pytestmark = pytest.mark.django_db

# Tests that need a real COMMIT or ROLLBACK of the outermost transaction.
real_transactions = pytest.mark.django_db(transaction=True)


def keys(s3: Any) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_deletes_objects_and_leaves_one_tombstone(
    s3: Any, save: Any, django_capture_on_commit_callbacks: Any
) -> None:
    artifact = save()
    stored_keys = keys(s3)
    user = User.objects.create_user("officer")

    with django_capture_on_commit_callbacks(execute=True):
        tombstone = artifact_delete(artifact=artifact, user=user, reason="Applicant asked.")

    assert keys(s3) == []
    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.DELETED
    assert artifact.deleted_at is not None
    assert ArtifactFile.objects.filter(artifact=artifact).count() == 0
    assert ArtifactTombstone.objects.count() == 1
    assert sorted(tombstone.keys) == stored_keys
    assert (tombstone.actor, tombstone.user, tombstone.reason) == (
        "officer",
        user,
        "Applicant asked.",
    )
    assert tombstone.request_id == artifact.request_id


@real_transactions
def test_rolled_back_deletion_keeps_the_objects(s3: Any, save: Any) -> None:
    artifact = save()
    before = keys(s3)

    with pytest.raises(RuntimeError), transaction.atomic():
        artifact_delete(artifact=artifact, user=None, actor="system: test", reason="Oops.")
        raise RuntimeError("the surrounding work failed")

    assert keys(s3) == before
    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.STORED
    assert artifact.files.count() == 4
    assert ArtifactTombstone.objects.count() == 0


@real_transactions
def test_objects_stay_until_the_transaction_commits(s3: Any, save: Any) -> None:
    artifact = save()
    with transaction.atomic():
        artifact_delete(artifact=artifact, user=None, actor="system: test", reason="Test.")
        assert len(keys(s3)) == 4
    assert keys(s3) == []


def test_deleting_twice_is_refused(s3: Any, save: Any) -> None:
    artifact = save()
    artifact_delete(artifact=artifact, user=None, actor="system: test", reason="Once.")
    with pytest.raises(ArtifactAlreadyDeleted):
        artifact_delete(artifact=artifact, user=None, actor="system: test", reason="Twice.")
    assert ArtifactTombstone.objects.count() == 1


def test_a_reason_and_an_actor_are_required(save: Any) -> None:
    artifact = save()
    with pytest.raises(ArtifactError, match="reason"):
        artifact_delete(artifact=artifact, user=None, actor="system: test", reason=" ")
    with pytest.raises(ArtifactError, match="user or the system actor"):
        artifact_delete(artifact=artifact, user=None, reason="Why not.")


def test_tombstones_are_append_only(save: Any) -> None:
    tombstone = artifact_delete(artifact=save(), user=None, actor="system: test", reason="Test.")
    tombstone.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        tombstone.save()
    with pytest.raises(AppendOnlyError):
        tombstone.delete()
    with pytest.raises(AppendOnlyError):
        ArtifactTombstone.objects.all().delete()


@real_transactions
def test_storage_down_after_commit_leaves_an_orphan_not_an_error(
    s3: Any, save: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifact = save()

    def refuse(self: Any, name: str) -> None:
        raise ConnectionError("storage down")

    monkeypatch.setattr("storages.backends.s3.S3Storage.delete", refuse)
    artifact_delete(artifact=artifact, user=None, actor="system: test", reason="Test.")

    assert len(keys(s3)) == 4  # the orphan sweep removes them later
    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.DELETED
