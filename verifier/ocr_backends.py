"""The OCR backends this deployment offers, built from settings.

The engine takes host, model and timeout as arguments and knows nothing of
Django; this is the one place that reads OLLAMA_* and registers the vision
backend with the engine's registry (called from `VerifierConfig.ready()`).
Settings are read when a backend is handed out, so an overridden setting
takes effect at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from verifier.engine.errors import BackendUnavailable
from verifier.engine.ocr import rapid, register_backend
from verifier.engine.ocr.ollama import NAME as OLLAMA
from verifier.engine.ocr.ollama import OllamaBackend

# Where a client sees why the model is not there yet (download progress).
MODEL_STATUS_HINT = "The model's download state is at /model-status."
# Under /health's deadline (HEALTH_PROBE_TIMEOUT_SECONDS, 0.8 s by default).
PROBE_TIMEOUT_SECONDS = 0.5


def ollama_backend() -> OllamaBackend | None:
    """The vision backend as configured, or None without OLLAMA_HOST."""
    if not settings.OLLAMA_HOST:
        return None
    return OllamaBackend(
        host=settings.OLLAMA_HOST,
        model=settings.OLLAMA_MODEL,
        timeout=settings.OLLAMA_TIMEOUT,
        max_concurrency=settings.OLLAMA_MAX_CONCURRENCY,
        probe_timeout=PROBE_TIMEOUT_SECONDS,
        unavailable_hint=MODEL_STATUS_HINT,
    )


def _configured_ollama() -> OllamaBackend:
    backend = ollama_backend()
    if backend is None:
        raise BackendUnavailable(
            "The vision model is not configured on this server (OLLAMA_HOST is not set); "
            "use ocr_backend=tesseract.",
            details={"backend": OLLAMA, "state": "disabled"},
        )
    return backend


def ocr_backends_configure() -> None:
    register_backend(OLLAMA, _configured_ollama)
    rapid.configure(threads=settings.OCR_THREADS)


def ollama_probe() -> dict[str, Any]:
    """For /health: `disabled` without OLLAMA_HOST, else reachable and model present."""
    backend = ollama_backend()
    if backend is None:
        return {"status": "disabled", "reason": "OLLAMA_HOST is not set"}
    availability = backend.availability()
    return {
        "status": availability.state,
        "model": backend.model,
        "host": backend.host,
        "message": availability.message,
    }
