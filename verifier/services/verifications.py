"""Verify a label set and write its audit row: the one write every channel uses.

The API, the batch worker, the web page and the CLI all call
`verification_create()`. It runs the engine first and writes afterwards, in
one transaction: a request the engine rejects (unsupported, corrupt or
oversized image, unavailable backend) raises `EngineError` and leaves no row.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from artifacts.services import artifact_save_wanted, verification_artifact_save
from verifier.application_data import application_to_json
from verifier.engine import Application, Check, Options, Outcome, VerificationResult, verify_label
from verifier.engine.backends import Backend
from verifier.engine.errors import BackendTimeout
from verifier.engine.rules import check_spec
from verifier.models import BatchItem, BatchItemStatus, BatchPanel, Channel, Verification
from verifier.services.batch_panels import panels_discard
from verifier.services.engine_slots import engine_slot

# Channels a person or client waits on: they take one of the process's engine
# slots, or are shed. Batch items queue by design; the CLI runs on its own.
_SHED_CHANNELS = (Channel.API, Channel.WEB)


class BatchItemNotRunning(Exception):
    """The item was cancelled, or re-queued to another worker, while we worked on it."""


def _check_payload(check: Check) -> dict[str, Any]:
    return {
        "id": check.id,
        "outcome": str(check.outcome),
        "message": check.message,
        "cfr": check.cfr,
        "expected": check.expected,
        "found": check.found,
        "confidence": check.confidence,
        "evidence": [asdict(evidence) for evidence in check.evidence],
        "backend": check.backend,
        "details": check.details,
    }


def _finding(check: Check) -> dict[str, Any]:
    """A failed or doubtful check in the replaced system's shape."""
    if check.found is None:
        kind = "missing"
    elif check.expected is not None:
        kind = "mismatch"
    else:
        kind = "format"
    return {
        "field": spec.reported_field if (spec := check_spec(check.id)) else check.id,
        "type": kind,
        "check": check.id,
        "message": check.message,
        "expected": check.expected,
        "actual": check.found,
    }


def _json_safe(value: Any) -> Any:
    """Engine dictionaries may hold enums or dataclasses; the audit row is JSON."""
    return json.loads(json.dumps(value, default=str))


def verification_payload(
    *,
    request_id: uuid.UUID,
    result: VerificationResult,
    application: Application,
    backend_requested: str,
    processing_seconds: float,
    images: list[dict],
) -> dict[str, Any]:
    """The answer to a verification, stored as `Verification.result` and returned
    as is by the API and shown by the web page.

    Besides our own keys it carries the replaced system's (`validation_level`,
    `violations`, `warnings`, `processing_time_seconds`) so its clients parse us.
    """
    warnings = [_finding(check) for check in result.checks if check.outcome == Outcome.REVIEW]
    if result.degraded:
        warnings.append(
            {
                "field": "ocr_backend",
                "type": "degraded",
                "check": None,
                "message": (
                    "The vision model was unavailable, so only Tesseract read the label; "
                    "checks it could not settle stay 'needs review'."
                    if backend_requested == Backend.AUTO
                    else f"The {backend_requested} backend was unavailable; "
                    f"{result.backend} read the label instead."
                ),
                "expected": backend_requested,
                "actual": result.backend,
            }
        )
    return _json_safe(
        {
            "request_id": str(request_id),
            "status": str(result.verdict),
            "checks": [_check_payload(check) for check in result.checks],
            "extracted_fields": result.extracted_fields,
            "application": application_to_json(application),
            "beverage_type": str(result.beverage_type) if result.beverage_type else None,
            "validation_level": "STRUCTURAL_ONLY" if application.is_empty() else "FULL_VALIDATION",
            "violations": [
                _finding(check) for check in result.checks if check.outcome == Outcome.FAIL
            ],
            "warnings": warnings,
            "processing_time_seconds": round(processing_seconds, 3),
            "backend": result.backend,
            "backend_requested": backend_requested,
            "degraded": result.degraded,
            "engine_version": result.engine_version,
            "backend_versions": result.backend_versions,
            "images": images,
        }
    )


def verification_options(
    *, backend: str | None = None, dpi: float | None = None, timeout: float | None = None
) -> Options:
    """The engine's options for one verification: what the caller chose, within
    the deployment's limits (default backend, timeout, panels, pixels)."""
    limit = settings.VERIFY_TIMEOUT_SECONDS
    return Options(
        backend=backend or settings.OCR_DEFAULT_BACKEND,
        dpi=dpi,
        timeout_seconds=min(timeout, limit) if timeout else limit,
        max_panels=settings.MAX_PANELS,
        max_image_pixels=settings.MAX_IMAGE_PIXELS,
    )


def verification_create(
    *,
    images: Sequence[bytes],
    application: Application,
    options: Options,
    channel: Channel,
    user: Any = None,
    client_ip: str | None = None,
    batch_item: BatchItem | None = None,
    save_artifact: bool | None = None,
    deadline: float | None = None,
) -> Verification:
    """Verify one label set (its panels, front first) and write its audit row.

    Raises `verifier.engine.errors.EngineError` for input the caller can fix;
    nothing is written then. With `batch_item` (which must be `running`), the
    item is marked done and its stored panels dropped in the same transaction
    as the audit row, so an item is done exactly when it has its one row;
    raises `BatchItemNotRunning` (and writes nothing) if the item was
    cancelled or handed to another worker meanwhile.

    With `save_artifact` (None: `ARTIFACT_DEFAULT_SAVE`), the images, the OCR
    output and the answer are then stored (`verification.artifact`); a storage
    failure marks the artifact `failed` and never loses the verdict. A batch
    item's artifact is uploaded in the background while the worker goes on.

    `deadline` (`time.monotonic()`; default: now plus the options' timeout)
    bounds the whole verification: the wait for an engine slot (API and web
    channels; `EngineBusy` when none frees up in time), decoding, OCR and the
    second look; an artifact still to upload after it goes to the background.
    """
    request_id = uuid.uuid4()
    started = time.perf_counter()
    if deadline is None:
        deadline = time.monotonic() + options.timeout_seconds
    # settings.VERIFY_ENGINE may name a stand-in (bench/scale.py's sleeping stub).
    engine = import_string(settings.VERIFY_ENGINE) if settings.VERIFY_ENGINE else verify_label
    slot: AbstractContextManager = (
        engine_slot(wait_seconds=deadline - time.monotonic())
        if channel in _SHED_CHANNELS
        else nullcontext()
    )
    with slot:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BackendTimeout("The verification ran out of time before the engine started.")
        options = replace(options, timeout_seconds=remaining)
        result = engine(list(images), application, options)
    # The engine hashed and measured each panel as it decoded it.
    facts = [asdict(image) for image in result.images]
    payload = verification_payload(
        request_id=request_id,
        result=result,
        application=application,
        backend_requested=options.backend,
        processing_seconds=time.perf_counter() - started,
        images=facts,
    )
    with transaction.atomic():
        if batch_item is not None:
            _batch_item_mark_done(batch_item, verdict=str(result.verdict))
        verification = Verification.objects.create(
            request_id=request_id,
            user=user if getattr(user, "is_authenticated", False) else None,
            client_ip=client_ip,
            channel=channel,
            batch_id=batch_item.batch_id if batch_item else None,
            batch_item=batch_item,
            backend_requested=options.backend,
            backend_used=result.backend,
            degraded=result.degraded,
            engine_version=result.engine_version,
            backend_versions=payload["backend_versions"],
            application=payload["application"],
            brand_name=(application.brand_name or "")[:200],
            beverage_type=payload["beverage_type"] or "",
            verdict=payload["status"],
            check_outcomes={check["id"]: check["outcome"] for check in payload["checks"]},
            result=payload,
            timings=_json_safe(result.timings),
            processing_ms=round(payload["processing_time_seconds"] * 1000),
            images=facts,
        )
    # After the commit: uploads never hold the transaction open.
    if artifact_save_wanted(requested=save_artifact):
        verification_artifact_save(
            verification=verification,
            images=list(images),
            readings=result.readings,
            result=payload,
            in_background=batch_item is not None or time.monotonic() >= deadline,
        )
    return verification


def _batch_item_mark_done(item: BatchItem, *, verdict: str) -> None:
    marked = BatchItem.objects.filter(
        pk=item.pk, status=BatchItemStatus.RUNNING, attempts=item.attempts
    ).update(status=BatchItemStatus.DONE, verdict=verdict, finished_at=timezone.now())
    if not marked:
        raise BatchItemNotRunning(f"Batch item {item.pk} is no longer ours to finish.")
    panels_discard(BatchPanel.objects.filter(item=item))
