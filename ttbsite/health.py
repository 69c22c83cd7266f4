"""`GET /health`: is each dependency answering, within about a second.

Every probe runs in a shared thread pool with one deadline for all of them: a
probe that hangs is reported as `timeout` and the answer is `degraded`, never
a 500 and never a hang.

The public (the load balancer, anyone) gets only `{"status": …}`: versions
and error texts (an S3 endpoint, a host name) are for staff, a client with a
valid API token, or a request from this machine itself.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from rest_framework.exceptions import APIException

from apitokens.authentication import ThrottledTokenAuthentication
from modelstatus.selectors import model_status_summary
from verifier.ocr_backends import ollama_probe

Probe = Callable[[], dict[str, Any]]

# Sized so a few hung probes cannot starve the next request's probes.
_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="health")


def database_probe() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"status": "ok", "vendor": connection.vendor}
    finally:
        connection.close()  # this thread's own connection


def artifact_storage_probe() -> dict[str, Any]:
    if not settings.ARTIFACT_STORAGE_ENABLED:
        return {"status": "disabled"}
    storage = storages["artifacts"]
    storage.exists("artifacts/.health")
    backend = "s3" if settings.ARTIFACT_S3_BUCKET else "filesystem"
    return {"status": "ok", "backend": backend}


def tesseract_probe() -> dict[str, Any]:
    from verifier.engine.ocr.tesseract import tesseract_version

    return {"status": "ok", "version": tesseract_version()}


def second_engine_probe() -> dict[str, Any]:
    """The second OCR engine: its models load from the installed wheel (once per process)."""
    from verifier.engine.ocr import get_backend

    return {"status": "ok", "version": get_backend("rapidocr").version}


PROBES: dict[str, Probe] = {
    "database": database_probe,
    "artifact_storage": artifact_storage_probe,
    "ocr_tesseract": tesseract_probe,
    "ocr_rapidocr": second_engine_probe,
    "ocr_ollama": ollama_probe,
    "model_status": model_status_summary,
}


def _run(probe: Probe) -> dict[str, Any]:
    try:
        return probe()
    except Exception as error:  # a probe's failure is the answer, not a 500
        return {"status": "down", "error": f"{type(error).__name__}: {error}"}


def _from_this_machine(request: HttpRequest) -> bool:
    """A loopback peer that no proxy speaks for (a proxy on this machine would
    add `X-Forwarded-For`)."""
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def may_see_components(request: HttpRequest) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    if _from_this_machine(request):
        return True
    try:
        return ThrottledTokenAuthentication().authenticate(request) is not None
    except APIException:  # a bad token, or too many of them: the public answer
        return False


def health(request: HttpRequest) -> JsonResponse:
    started = time.monotonic()
    futures = {name: _pool.submit(_run, probe) for name, probe in PROBES.items()}
    wait(futures.values(), timeout=settings.HEALTH_PROBE_TIMEOUT_SECONDS)
    components: dict[str, dict[str, Any]] = {}
    for name, future in futures.items():
        if future.done():
            components[name] = future.result()
        else:
            future.cancel()
            components[name] = {"status": "timeout"}
    healthy = all(c["status"] in {"ok", "ready", "disabled"} for c in components.values())
    if not may_see_components(request):
        return JsonResponse({"status": "ok" if healthy else "degraded"})
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "components": components,
            "seconds": round(time.monotonic() - started, 3),
        }
    )
