"""What a saved verification writes: the images and three JSON documents.

    artifacts/YYYY/MM/DD/{request-id}/
        image.png                 (image-0.png, image-1.png… when several panels)
        metadata.json
        extracted_text.json       the OCR output, with boxes
        validation_result.json    the API's result

Panels are numbered from 0, like the `panel` of the result's evidence.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.conf import settings

from artifacts.models import FileKind
from artifacts.storage import PlannedFile, artifact_prefix
from verifier.engine.backends import Backend
from verifier.engine.images import sniff_format
from verifier.engine.models import PanelReading
from verifier.models import VerdictChoice, Verification

_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tiff", "WEBP": "webp"}
_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "tiff": "image/tiff",
    "webp": "image/webp",
}
JSON_CONTENT_TYPE = "application/json"


def image_extension(data: bytes) -> str:
    """The extension for the image's real format, read from its bytes."""
    return _EXTENSIONS.get(sniff_format(data) or "", "bin")


def image_file_name(*, panel: int, panel_count: int, extension: str) -> str:
    return f"image.{extension}" if panel_count == 1 else f"image-{panel}.{extension}"


def to_json_bytes(document: dict[str, Any]) -> bytes:
    # Pretty-printed: people read these files when they debug a verdict.
    return json.dumps(document, indent=2, ensure_ascii=False, default=str).encode()


@functools.cache
def _tesseract_version() -> str | None:
    from verifier.engine.ocr.tesseract import tesseract_version

    return tesseract_version()


def model_version(backend: str) -> str | None:
    """The version of what read the label: Tesseract's, or the Ollama model's name."""
    if backend == Backend.TESSERACT:
        version = _tesseract_version()
        return f"tesseract {version}" if version else None
    if backend == Backend.OLLAMA:
        return settings.OLLAMA_MODEL
    return None


def extracted_text_document(readings: Sequence[PanelReading]) -> dict[str, Any]:
    """The OCR output for `extracted_text.json`: every panel's lines and words, with boxes.

    `verification_artifact_save` writes it for a fresh verification.
    """
    return {
        "panels": [
            {**asdict(reading), "text": reading.text}
            for reading in sorted(readings, key=lambda reading: reading.panel)
        ]
    }


def metadata_document(
    *, verification: Verification, images: list[bytes], extensions: list[str]
) -> dict[str, Any]:
    formats = sorted(set(extensions))
    return {
        "request_id": str(verification.request_id),
        "timestamp": verification.created_at.isoformat(),
        "client_ip": verification.client_ip,
        "image_size_bytes": sum(len(data) for data in images),
        "image_format": formats[0] if len(formats) == 1 else ",".join(formats),
        "ocr_backend": verification.backend_used,
        "validation_passed": verification.verdict == VerdictChoice.COMPLIANT,
        "processing_time_ms": verification.processing_ms,
        "model_version": model_version(verification.backend_used),
        "engine_version": verification.engine_version,
        "verdict": verification.verdict,
        "beverage_type": verification.beverage_type or None,
        "brand_name": verification.brand_name or None,
        "backend_requested": verification.backend_requested,
        "degraded": verification.degraded,
        "channel": verification.channel,
        "batch_id": str(verification.batch_id) if verification.batch_id else None,
        "user": verification.user.get_username() if verification.user_id else None,
        "panels": [
            {"panel": panel, "size_bytes": len(data), "format": extension}
            for panel, (data, extension) in enumerate(zip(images, extensions, strict=True))
        ],
    }


def plan_files(
    *,
    verification: Verification,
    images: list[bytes],
    extracted_text: dict[str, Any],
    result: dict[str, Any],
) -> list[PlannedFile]:
    """Every object of the artifact, with its key, in upload order (images first)."""
    prefix = artifact_prefix(request_id=verification.request_id, created_at=verification.created_at)
    extensions = [image_extension(data) for data in images]
    planned = [
        PlannedFile(
            kind=FileKind.IMAGE,
            panel=panel,
            key=prefix + image_file_name(panel=panel, panel_count=len(images), extension=extension),
            content=data,
            content_type=_CONTENT_TYPES.get(extension, "application/octet-stream"),
        )
        for panel, (data, extension) in enumerate(zip(images, extensions, strict=True))
    ]
    documents = {
        FileKind.METADATA: metadata_document(
            verification=verification, images=images, extensions=extensions
        ),
        FileKind.EXTRACTED_TEXT: extracted_text,
        FileKind.VALIDATION_RESULT: result,
    }
    planned += [
        PlannedFile(
            kind=kind,
            panel=None,
            key=f"{prefix}{kind}.json",
            content=to_json_bytes(document),
            content_type=JSON_CONTENT_TYPE,
        )
        for kind, document in documents.items()
    ]
    return planned
