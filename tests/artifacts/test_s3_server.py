"""End to end through a real HTTP S3 server (moto) on loopback.

django-storages talks to it by endpoint URL; the test reads the objects back
with boto3 and downloads the image from a presigned URL over HTTP.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.contrib.auth.models import Permission, User
from django.test import Client

from artifacts.models import ArtifactState
from tests.artifacts.conftest import BUCKET

pytestmark = pytest.mark.django_db


def test_objects_layout_encryption_and_presigned_download(
    s3_server: Any, save: Any, png: bytes, client: Client
) -> None:
    artifact = save(images=[png])
    assert artifact.state == ArtifactState.STORED

    listed = s3_server.list_objects_v2(Bucket=BUCKET)["Contents"]
    created = artifact.created_at
    prefix = f"artifacts/{created:%Y}/{created:%m}/{created:%d}/{artifact.request_id}/"
    assert sorted(item["Key"] for item in listed) == [
        f"{prefix}extracted_text.json",
        f"{prefix}image.png",
        f"{prefix}metadata.json",
        f"{prefix}validation_result.json",
    ]
    for item in listed:
        head = s3_server.head_object(Bucket=BUCKET, Key=item["Key"])
        assert head["ServerSideEncryption"] == "AES256"
        row = artifact.files.get(key=item["Key"])
        assert head["ContentLength"] == row.size_bytes
        assert head["ContentType"] == row.content_type

    user = User.objects.create_user("compliance", password="x")
    user.user_permissions.add(Permission.objects.get(codename="view_artifact"))
    client.force_login(user)
    response = client.get(f"/artifacts/{artifact.pk}/image")
    assert response.status_code == 302
    url = response["Location"]
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url

    download = requests.get(url, timeout=5)
    assert download.status_code == 200
    assert download.content == png
    unsigned = requests.get(url.split("?")[0], timeout=5)
    assert unsigned.status_code == 403
