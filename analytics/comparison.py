"""Re-read stored labels with several backends and keep each one's outcomes.

A run is written to its own rows (`ComparisonRun`, one `ComparisonReading` per
label and backend, one `ComparisonOutcome` per check); the audit rows it
compares against are only read. A (label, backend) reading that exists is not
read again, so a run that stopped (Ctrl-C, a crash) is resumed by running it
again with `--resume RUN`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from analytics.models import ComparisonOutcome, ComparisonReading, ComparisonRun, ReadingStatus
from artifacts.documents import extracted_text_document
from artifacts.training_reads import artifact_images
from verifier.application_data import ApplicationDataError, application_from_mapping
from verifier.engine import Options, verify_label
from verifier.engine.backends import Backend
from verifier.engine.errors import BackendUnavailable, EngineError
from verifier.engine.ocr import available_backends
from verifier.engine.ocr.ollama import UnreadableAnswer

# What each name re-reads with: the caller's backends, and the second OCR engine.
KNOWN_BACKENDS = sorted({*(backend.value for backend in Backend), *available_backends()})


def backend_problem(name: str) -> str | None:
    """Why `name` cannot be compared here (None: it can be tried)."""
    if name not in KNOWN_BACKENDS:
        return f"unknown backend (known: {', '.join(KNOWN_BACKENDS)})"
    if name in (Backend.OLLAMA, Backend.AUTO) and not settings.OLLAMA_HOST:
        return "OLLAMA_HOST is not set"
    return None


def options_for(backend: str) -> Options:
    """The engine's options: the image's own DPI, the deployment's limits, and
    time enough for the slower of the OCR and the vision model."""
    return Options(
        backend=backend,
        timeout_seconds=max(settings.VERIFY_TIMEOUT_SECONDS, settings.OLLAMA_TIMEOUT),
        max_panels=settings.MAX_PANELS,
        max_image_pixels=settings.MAX_IMAGE_PIXELS,
    )


def _record(
    run: ComparisonRun,
    verification: Any,
    backend: str,
    *,
    status: str,
    seconds: float = 0.0,
    error: str = "",
    result: Any = None,
) -> None:
    try:
        with transaction.atomic():
            reading = ComparisonReading.objects.create(
                run=run,
                verification=verification,
                backend=backend,
                status=status,
                verdict=str(result.verdict) if result else "",
                seconds=round(seconds, 3),
                error=error,
                extracted_text=extracted_text_document(result.readings) if result else {},
            )
            if result:
                original = verification.check_outcomes or {}
                ComparisonOutcome.objects.bulk_create(
                    ComparisonOutcome(
                        reading=reading,
                        check_id=check.id,
                        outcome=str(check.outcome),
                        found=check.found or "",
                        original_outcome=original.get(check.id, ""),
                    )
                    for check in result.checks
                )
    except IntegrityError:
        pass  # another process running the same run got there first


def compare_label(
    run: ComparisonRun, artifact: Any, backends: Iterable[str], *, say: Callable[[str], None]
) -> None:
    """Read one stored label with each backend not yet done for it in this run."""
    verification = artifact.verification
    done = set(
        ComparisonReading.objects.filter(run=run, verification=verification).values_list(
            "backend", flat=True
        )
    )
    todo = [backend for backend in backends if backend not in done]
    if not todo:
        return
    try:
        images = [image.content for image in artifact_images(artifact=artifact)]
    except FileNotFoundError:
        for backend in todo:
            _record(run, verification, backend, status=ReadingStatus.NO_IMAGES)
        return
    try:
        application = application_from_mapping(verification.application or {})
    except ApplicationDataError as error:  # filed under older rules: say so, go on
        for backend in todo:
            _record(run, verification, backend, status=ReadingStatus.FAILED, error=error.message)
        return
    for backend in todo:
        if backend in run.skipped_backends:
            continue
        started = time.perf_counter()
        try:
            result = verify_label(images, application, options_for(backend))
        except EngineError as error:
            if isinstance(error, BackendUnavailable) and not isinstance(error, UnreadableAnswer):
                # Unavailable for one label is unavailable for the run: say so once, go on.
                run.skipped_backends[backend] = error.message
                run.save(update_fields=["skipped_backends"])
                say(f"Skipping {backend}: {error.message}")
                continue
            # This label's answer (unreadable, corrupt, timed out), not the backend's.
            _record(
                run,
                verification,
                backend,
                status=ReadingStatus.FAILED,
                seconds=time.perf_counter() - started,
                error=error.message,
            )
            continue
        _record(
            run,
            verification,
            backend,
            status=ReadingStatus.OK,
            seconds=time.perf_counter() - started,
            result=result,
        )
