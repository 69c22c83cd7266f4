"""Saving through the channels: `POST /verify` and the batch worker.

The verdict never depends on the storage: with S3 unreachable `/verify`
still answers 200 with it, the artifact `failed`, and the retry command
stores it later.
"""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from artifacts.models import Artifact, ArtifactState, FileKind
from labelgen import RenderedLabel, render_label, spec_for_seed
from tests.artifacts.conftest import BUCKET, s3_storage_settings
from verifier.models import Channel, Verification

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def label() -> RenderedLabel:
    return render_label(spec_for_seed(3))


@pytest.fixture
def api(django_user_model: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("agent"))
    return client


def verify(api: APIClient, label: RenderedLabel, **fields: Any) -> Any:
    images = [
        SimpleUploadedFile(f"panel{i}.{label.image_format}", data)
        for i, data in enumerate(label.panels)
    ]
    return api.post("/verify", {"image": images, **fields}, format="multipart")


def test_saves_when_asked_and_answers_the_artifact(
    api: APIClient, s3: Any, label: RenderedLabel
) -> None:
    response = verify(api, label, save_artifact="true")

    assert response.status_code == 200, response.content
    body = response.json()
    artifact = Artifact.objects.get()
    assert body["artifact"] == {"id": artifact.pk, "state": "stored", "failure_reason": None}
    assert str(artifact.request_id) == body["request_id"]
    assert artifact.verification.channel == Channel.API
    text = json.loads(
        s3.get_object(Bucket=BUCKET, Key=f"{artifact.prefix}extracted_text.json")["Body"].read()
    )
    words = [word for line in text["panels"][0]["lines"] for word in line["words"]]
    assert words and all(word["box"]["width"] > 0 for word in words if word["box"])
    result = json.loads(
        s3.get_object(Bucket=BUCKET, Key=f"{artifact.prefix}validation_result.json")["Body"].read()
    )
    assert result["status"] == body["status"]
    image = artifact.files.get(kind=FileKind.IMAGE)
    assert image.size_bytes == len(label.panels[0])


def test_does_not_save_unless_asked(api: APIClient, s3: Any, label: RenderedLabel) -> None:
    response = verify(api, label)

    assert response.status_code == 200
    assert "artifact" not in response.json()
    assert not Artifact.objects.exists()
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_default_save_setting(api: APIClient, s3: Any, settings: Any, label: RenderedLabel) -> None:
    settings.ARTIFACT_DEFAULT_SAVE = True
    assert verify(api, label).json()["artifact"]["state"] == "stored"
    assert "artifact" not in verify(api, label, save_artifact="false").json()


def test_s3_unreachable_still_answers_the_verdict_and_retry_stores_it(
    api: APIClient, s3: Any, settings: Any, label: RenderedLabel
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "artifacts": s3_storage_settings(endpoint_url="http://127.0.0.1:9"),
    }

    response = verify(api, label, save_artifact="true")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] in {"COMPLIANT", "NON_COMPLIANT", "NEEDS_REVIEW"}
    assert body["checks"]
    assert body["artifact"]["state"] == "failed"
    assert "could not be reached" in body["artifact"]["failure_reason"]
    assert Verification.objects.get().verdict == body["status"]

    settings.STORAGES = {**settings.STORAGES, "artifacts": s3_storage_settings()}
    call_command("retry_failed_artifacts", stdout=StringIO(), stderr=StringIO())

    artifact = Artifact.objects.get()
    assert artifact.state == ArtifactState.STORED
    stored = s3.get_object(Bucket=BUCKET, Key=artifact.files.get(kind=FileKind.IMAGE).key)
    assert stored["Body"].read() == label.panels[0]


def test_the_batch_worker_saves_when_the_batch_asks(
    api: APIClient, s3: Any, label: RenderedLabel
) -> None:
    from verifier.models import BatchItem
    from verifier.services.batches import batch_item_run

    images = [
        SimpleUploadedFile(f"label{i}.{label.image_format}", label.panels[0]) for i in range(2)
    ]
    response = api.post(
        "/verify/batch", {"image": images, "save_artifact": "true"}, format="multipart"
    )
    assert response.status_code == 202, response.content

    for item in BatchItem.objects.all():
        batch_item_run(item_id=item.pk)

    artifacts = Artifact.objects.all()
    assert [artifact.state for artifact in artifacts] == [ArtifactState.STORED] * 2
    assert {artifact.verification.channel for artifact in artifacts} == {Channel.BATCH}
