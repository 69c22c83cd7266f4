"""DELETE /artifacts/{id}: the right to delete, with a tombstone."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from artifacts.models import ArtifactState, ArtifactTombstone
from tests.artifacts.conftest import BUCKET

pytestmark = pytest.mark.django_db


def login(client: Client, *codenames: str) -> User:
    user = User.objects.create_user("officer")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def test_deletes_objects_and_answers_the_tombstone(
    client: Client, s3: Any, save: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = login(client, "view_artifact", "delete_artifact")
    artifact = save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(
            f"/artifacts/{artifact.pk}",
            {"reason": "Applicant request #12"},
            content_type="application/json",
        )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["actor"] == "officer"
    assert body["reason"] == "Applicant request #12"
    assert len(body["keys"]) == 4
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    tombstone = ArtifactTombstone.objects.get()
    assert (tombstone.user, tombstone.artifact_id) == (user, artifact.pk)
    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.DELETED
    again = client.delete(f"/artifacts/{artifact.pk}")
    assert again.status_code == 410
    assert ArtifactTombstone.objects.count() == 1


def test_viewing_is_not_enough_to_delete(client: Client, save: Any) -> None:
    login(client, "view_artifact")
    artifact = save()

    response = client.delete(f"/artifacts/{artifact.pk}")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You need the permission to delete artifacts."
    assert ArtifactTombstone.objects.count() == 0
