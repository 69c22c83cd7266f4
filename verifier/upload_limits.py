"""The upload limits, checked in one place: how many panels one label set may
have, and how large one image and one batch ZIP may be (MAX_PANELS,
MAX_UPLOAD_MB, MAX_BATCH_UPLOAD_MB). A breach is `Rejected`, which every
channel answers in its own way (the API: 400/413 in the one error shape)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from verifier.rejections import Rejected

MEGABYTE = 1024 * 1024


def max_image_bytes() -> int:
    return settings.MAX_UPLOAD_MB * MEGABYTE


def max_batch_bytes() -> int:
    return settings.MAX_BATCH_UPLOAD_MB * MEGABYTE


def check_panel_count(count: int, *, details: dict[str, Any] | None = None) -> None:
    if count > settings.MAX_PANELS:
        raise Rejected(
            f"{count} images sent; a label set has at most {settings.MAX_PANELS} panels.",
            code="too_many_panels",
            details={**(details or {}), "max_panels": settings.MAX_PANELS},
        )


def check_image_size(name: str, size: int, *, details: dict[str, Any] | None = None) -> None:
    if size > max_image_bytes():
        raise Rejected(
            f"{name} is {size / MEGABYTE:.1f} MB; "
            f"the limit is {settings.MAX_UPLOAD_MB} MB per file.",
            code="file_too_large",
            status_code=413,
            details={**(details or {}), "file": name, "max_mb": settings.MAX_UPLOAD_MB},
        )


def check_batch_size(size: int, *, details: dict[str, Any] | None = None) -> None:
    if size > max_batch_bytes():
        raise Rejected(
            f"The ZIP file is over the {settings.MAX_BATCH_UPLOAD_MB} MB limit.",
            code="file_too_large",
            status_code=413,
            details={**(details or {}), "max_mb": settings.MAX_BATCH_UPLOAD_MB},
        )
