"""GET /artifacts/{id} and GET /artifacts/{id}/image."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from artifacts.services import artifact_delete
from tests.artifacts.conftest import make_jpeg, make_png

pytestmark = pytest.mark.django_db


def test_detail_has_documents_files_and_links(viewer: Client, s3: Any, save: Any) -> None:
    artifact = save(images=[make_png(), make_jpeg()])

    body = viewer.get(f"/artifacts/{artifact.pk}").json()

    assert body["state"] == "stored"
    assert body["metadata"]["request_id"] == str(artifact.request_id)
    assert body["metadata"]["image_format"] == "jpg,png"
    assert body["extracted_text"]["panels"][0]["lines"][0]["text"] == "STONE RIDGE"
    assert body["result"]["checks"][0]["id"] == "brand_name"
    assert {file["name"] for file in body["files"]} == {
        "image-0.png",
        "image-1.jpg",
        "metadata.json",
        "extracted_text.json",
        "validation_result.json",
    }
    assert all(len(file["sha256"]) == 64 for file in body["files"])
    assert body["links"]["images"] == [
        f"http://testserver/artifacts/{artifact.pk}/image?panel=0",
        f"http://testserver/artifacts/{artifact.pk}/image?panel=1",
    ]


def test_image_is_streamed_from_the_file_system(viewer: Client, save: Any) -> None:
    jpeg = make_jpeg()
    artifact = save(images=[make_png(), jpeg])

    response = viewer.get(f"/artifacts/{artifact.pk}/image", {"panel": 1})

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == jpeg
    assert viewer.get(f"/artifacts/{artifact.pk}/image", {"panel": 5}).status_code == 404


def test_image_of_s3_is_a_presigned_redirect(viewer: Client, s3: Any, save: Any) -> None:
    artifact = save()
    response = viewer.get(f"/artifacts/{artifact.pk}/image", HTTP_ACCEPT="image/*")
    assert response.status_code == 302
    assert "X-Amz-Signature=" in response["Location"]


def test_failed_artifact_is_read_from_the_kept_copy(
    viewer: Client, unreachable_s3: None, save: Any, png: bytes
) -> None:
    artifact = save(images=[png])

    body = viewer.get(f"/artifacts/{artifact.pk}").json()
    image = viewer.get(f"/artifacts/{artifact.pk}/image")

    assert body["state"] == "failed"
    assert "could not be reached" in body["failure_reason"]
    assert body["metadata"]["request_id"] == str(artifact.request_id)
    assert image.content == png


def test_storage_outage_is_503_not_500(viewer: Client, s3: Any, save: Any, settings: Any) -> None:
    from tests.artifacts.conftest import s3_storage_settings

    artifact = save()
    settings.STORAGES = {
        **settings.STORAGES,
        "artifacts": s3_storage_settings(endpoint_url="http://127.0.0.1:9"),
    }
    response = viewer.get(f"/artifacts/{artifact.pk}")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "artifact_storage_unavailable"


def test_unknown_and_deleted(viewer: Client, save: Any) -> None:
    assert viewer.get("/artifacts/999999").json()["error"]["code"] == "not_found"
    artifact = save()
    artifact_delete(artifact=artifact, user=None, actor="system: test", reason="Test.")
    response = viewer.get(f"/artifacts/{artifact.pk}")
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "artifact_deleted"
    assert viewer.get(f"/artifacts/{artifact.pk}/image").status_code == 410
