"""`STORAGES["artifacts"]` for an S3 bucket, built in one place for the settings
and the tests (which shorten the timeouts). Imported by ttbsite/settings.py,
so it imports nothing from Django."""

from __future__ import annotations

from typing import Any

from botocore.config import Config


def s3_artifact_storage(
    *,
    bucket: str,
    region: str,
    endpoint_url: str | None,
    url_expiry_seconds: int,
    connect_timeout: float,
    read_timeout: float,
    max_attempts: int,
) -> dict[str, Any]:
    return {
        # django-storages' S3Storage, with S3's conditional write for no-overwrite.
        "BACKEND": "artifacts.storage.ArtifactS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "region_name": region,
            "endpoint_url": endpoint_url,
            "default_acl": None,  # private: the bucket policy decides, never public-read
            "querystring_auth": True,
            "querystring_expire": url_expiry_seconds,
            "object_parameters": {"ServerSideEncryption": "AES256"},
            # Short timeouts and few retries: an unreachable bucket must fail the
            # save fast (the artifact is marked failed), not delay the verdict.
            "client_config": Config(
                signature_version="s3v4",
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"mode": "standard", "max_attempts": max_attempts},
            ),
        },
    }
