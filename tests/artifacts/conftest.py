"""Fixtures for artifact tests: audit rows, small label images, S3 (moto).

Most tests run against moto in-process (`mock_aws`); `moto_server` starts a
real S3-compatible HTTP server on loopback (tests/conftest.py) for the end-to-end path.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client
from moto import mock_aws
from PIL import Image

from artifacts.storage_config import s3_artifact_storage
from verifier.models import Channel, VerdictChoice, Verification

BUCKET = "ttb-artifacts-test"


def s3_storage_settings(*, endpoint_url: str | None = None) -> dict[str, Any]:
    """`STORAGES["artifacts"]` as ttbsite/settings.py builds it, failing fast."""
    return s3_artifact_storage(
        bucket=BUCKET,
        region="us-east-1",
        endpoint_url=endpoint_url,
        url_expiry_seconds=300,
        connect_timeout=1,
        read_timeout=5,
        max_attempts=1,
    )


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def s3(settings: Any, aws_credentials: None) -> Iterator[Any]:
    """In-process moto S3 with the bucket; the artifact storage points at it."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "artifacts": s3_storage_settings()}
        yield client


@pytest.fixture
def s3_server(settings: Any, aws_credentials: None, moto_server: str) -> Iterator[Any]:
    """A fresh bucket on the moto server; the artifact storage uses its endpoint URL."""
    client = boto3.client("s3", region_name="us-east-1", endpoint_url=moto_server)
    client.create_bucket(Bucket=BUCKET)
    storage = s3_storage_settings(endpoint_url=moto_server)
    settings.STORAGES = {
        **settings.STORAGES,
        "artifacts": storage,
        # As ttbsite/settings.py does with a bucket: batch panels go there too,
        # where worker subprocesses given the bucket look for them.
        "batch_panels": {**storage, "OPTIONS": {**storage["OPTIONS"], "location": "batch-panels"}},
    }
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def unreachable_s3(settings: Any, aws_credentials: None) -> None:
    """S3 at a loopback port nobody listens on: every call is refused."""
    settings.STORAGES = {
        **settings.STORAGES,
        "artifacts": s3_storage_settings(endpoint_url="http://127.0.0.1:9"),
    }


def make_png(width: int = 240, height: int = 120, color: str = "white") -> bytes:
    image = Image.new("RGB", (width, height), color)
    for x in range(20, 120):
        for y in range(30, 50):
            image.putpixel((x, y), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_jpeg(width: int = 200, height: int = 100) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def png() -> bytes:
    return make_png()


def sample_result(verdict: str = VerdictChoice.NON_COMPLIANT) -> dict[str, Any]:
    return {
        "verdict": verdict,
        "checks": [
            {
                "id": "brand_name",
                "outcome": "pass",
                "cfr": "27 CFR 5.64",
                "evidence": [
                    {"panel": 0, "box": {"left": 20, "top": 30, "width": 100, "height": 20}}
                ],
            },
            {
                "id": "health_warning",
                "outcome": "fail",
                "cfr": "27 CFR 16.21",
                "evidence": [{"panel": 0, "box": None}],
            },
        ],
    }


def sample_extracted_text() -> dict[str, Any]:
    return {
        "panels": [
            {
                "panel": 0,
                "lines": [
                    {
                        "text": "STONE RIDGE",
                        "box": {"left": 20, "top": 30, "width": 100, "height": 20},
                    }
                ],
            }
        ]
    }


@pytest.fixture
def make_verification(db: None) -> Callable[..., Verification]:
    def make(**fields: Any) -> Verification:
        verdict = fields.pop("verdict", VerdictChoice.NON_COMPLIANT)
        defaults: dict[str, Any] = {
            "request_id": uuid.uuid4(),
            "client_ip": "10.0.0.7",
            "channel": Channel.API,
            "backend_requested": "tesseract",
            "backend_used": "tesseract",
            "engine_version": "1.0.0",
            "brand_name": "Stone Ridge",
            "beverage_type": "wine",
            "verdict": verdict,
            "result": sample_result(verdict),
            "processing_ms": 1234,
        }
        defaults.update(fields)
        return Verification.objects.create(**defaults)

    return make


@pytest.fixture
def save(make_verification: Callable[..., Verification]) -> Callable[..., Any]:
    """Save an artifact for a new verification: `save(images=[...], **verification_fields)`."""
    from artifacts.services import artifact_save

    def run(images: list[bytes] | None = None, **fields: Any) -> Any:
        verification = make_verification(**fields)
        return artifact_save(
            verification=verification,
            images=images if images is not None else [make_png()],
            extracted_text=sample_extracted_text(),
            result=verification.result,
        )

    return run


@pytest.fixture
def run_command(django_capture_on_commit_callbacks: Any) -> Callable[..., str]:
    """`run_command(name, *args)`: a management command's stdout; what it defers
    to after commit runs before it returns."""

    def run(name: str, *args: str) -> str:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(name, *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    return run


@pytest.fixture
def viewer(client: Client, db: None) -> Client:
    """A client logged in as a user who may view artifacts (and nothing more)."""
    user = User.objects.create_user("auditor")
    user.user_permissions.add(Permission.objects.get(codename="view_artifact"))
    client.force_login(user)
    return client
