"""artifact_save(): the objects, their layout and encryption, the index rows."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from botocore.client import BaseClient
from botocore.exceptions import EndpointConnectionError
from django.core.files.storage import storages

from artifacts.models import ArtifactFile, ArtifactState, FileKind
from artifacts.storage import upload as real_upload
from tests.artifacts.conftest import BUCKET, make_jpeg, make_png

pytestmark = pytest.mark.django_db


def keys(s3: Any) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_saves_layout_encryption_and_index_rows(s3: Any, save: Any, png: bytes) -> None:
    artifact = save(images=[png])

    assert artifact.state == ArtifactState.STORED
    created = artifact.verification.created_at
    prefix = f"artifacts/{created:%Y/%m/%d}/{artifact.request_id}/"
    assert artifact.prefix == prefix
    assert keys(s3) == [
        prefix + name
        for name in ["extracted_text.json", "image.png", "metadata.json", "validation_result.json"]
    ]
    for key in keys(s3):
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["ServerSideEncryption"] == "AES256"
    image = s3.get_object(Bucket=BUCKET, Key=prefix + "image.png")
    assert image["Body"].read() == png
    assert image["ContentType"] == "image/png"
    row = artifact.files.get(kind=FileKind.IMAGE)
    assert (row.size_bytes, row.sha256) == (len(png), hashlib.sha256(png).hexdigest())
    assert row.kept_content is None


def test_objects_are_private(s3: Any, save: Any) -> None:
    artifact = save()
    acl = s3.get_object_acl(Bucket=BUCKET, Key=artifact.prefix + "image.png")
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in acl["Grants"])


def test_metadata_document(s3: Any, save: Any, png: bytes) -> None:
    artifact = save(images=[png], verdict="COMPLIANT")
    body = s3.get_object(Bucket=BUCKET, Key=artifact.prefix + "metadata.json")["Body"].read()
    metadata = json.loads(body)

    assert metadata["request_id"] == str(artifact.request_id)
    assert metadata["client_ip"] == "10.0.0.7"
    assert metadata["image_size_bytes"] == len(png)
    assert metadata["image_format"] == "png"
    assert metadata["ocr_backend"] == "tesseract"
    assert metadata["validation_passed"] is True
    assert metadata["processing_time_ms"] == 1234
    assert "model_version" in metadata
    assert metadata["timestamp"].startswith(f"{artifact.created_at:%Y-%m-%d}")


def test_several_panels_get_one_image_each(s3: Any, save: Any) -> None:
    jpeg, png = make_jpeg(), make_png()
    artifact = save(images=[jpeg, png])

    assert {key.rsplit("/", 1)[1] for key in keys(s3)} >= {"image-0.jpg", "image-1.png"}
    panels = artifact.files.filter(kind=FileKind.IMAGE).values_list("panel", "content_type")
    assert sorted(panels) == [(0, "image/jpeg"), (1, "image/png")]


def test_the_file_system_storage_keeps_the_same_layout(save: Any, png: bytes) -> None:
    artifact = save(images=[png])  # the autouse fixture: a temporary folder

    assert artifact.state == ArtifactState.STORED
    with storages["artifacts"].open(artifact.prefix + "image.png") as handle:
        assert handle.read() == png


def test_unreachable_storage_marks_failed_and_keeps_the_bytes(
    unreachable_s3: None, save: Any, png: bytes
) -> None:
    artifact = save(images=[png])

    assert artifact.state == ArtifactState.FAILED
    assert "could not be reached" in artifact.failure_reason
    assert "127.0.0.1" not in artifact.failure_reason  # no hosts in the answer
    image = artifact.files.get(kind=FileKind.IMAGE)
    assert bytes(image.kept_content) == png
    assert artifact.files.filter(kept_content__isnull=True).count() == 0


def test_half_upload_is_cleaned_up(s3: Any, save: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def flaky_upload(storage: Any, *, key: str, content: bytes) -> str:
        calls.append(key)
        if len(calls) == 3:
            raise EndpointConnectionError(endpoint_url="http://s3.example")
        return real_upload(storage, key=key, content=content)

    monkeypatch.setattr("artifacts.services.upload", flaky_upload)
    artifact = save()

    assert artifact.state == ArtifactState.FAILED
    assert keys(s3) == []  # the two objects that landed were removed
    assert ArtifactFile.objects.filter(artifact=artifact).count() == 4


def test_each_object_is_one_conditional_put(
    s3: Any, save: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No HEAD before each upload: S3 itself refuses to overwrite (If-None-Match)."""
    calls: list[tuple[str, dict[str, Any]]] = []
    real_call = BaseClient._make_api_call

    def spy(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        calls.append((operation, params))
        return real_call(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", spy)
    artifact = save()

    assert artifact.state == ArtifactState.STORED
    assert [operation for operation, _ in calls] == ["PutObject"] * 4
    assert all(params["IfNoneMatch"] == "*" for _, params in calls)


def test_the_storage_never_replaces_an_object(s3: Any) -> None:
    from django.core.files.base import ContentFile

    storage = storages["artifacts"]
    first = storage.save("artifacts/x/image.png", ContentFile(b"first"))
    second = storage.save("artifacts/x/image.png", ContentFile(b"second"))

    assert first == "artifacts/x/image.png" and second != first
    assert s3.get_object(Bucket=BUCKET, Key=first)["Body"].read() == b"first"
    assert s3.get_object(Bucket=BUCKET, Key=second)["Body"].read() == b"second"


def test_a_taken_key_is_recorded_under_the_name_used(
    s3: Any, save: Any, make_verification: Any
) -> None:
    from artifacts.services import artifact_save
    from tests.artifacts.conftest import sample_extracted_text

    verification = make_verification()
    created = verification.created_at
    taken = f"artifacts/{created:%Y/%m/%d}/{verification.request_id}/image.png"
    s3.put_object(Bucket=BUCKET, Key=taken, Body=b"leftover")

    artifact = artifact_save(
        verification=verification,
        images=[make_png()],
        extracted_text=sample_extracted_text(),
        result=verification.result,
    )

    image = artifact.files.get(kind=FileKind.IMAGE)
    assert image.key != taken
    assert s3.get_object(Bucket=BUCKET, Key=image.key)["Body"].read() == make_png()


def test_extracted_text_document_keeps_the_boxes() -> None:
    from artifacts.documents import extracted_text_document
    from verifier.engine.models import Box, Line, PanelReading, Word

    word = Word(text="STONE", confidence=93.5, box=Box(20, 30, 60, 20))
    reading = PanelReading(
        panel=0,
        backend="tesseract",
        lines=[Line(words=(word,), box=Box(20, 30, 60, 20))],
        width=240,
        height=120,
    )

    document = extracted_text_document([reading])

    panel = document["panels"][0]
    assert panel["text"] == "STONE"
    assert panel["lines"][0]["words"][0] == {
        "text": "STONE",
        "confidence": 93.5,
        "box": {"left": 20, "top": 30, "width": 60, "height": 20},
    }
    json.dumps(document)  # serialisable as is
