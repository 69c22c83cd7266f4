"""GET /health: each dependency's state, within about a second, never a 500."""

from __future__ import annotations

import threading
import time

import pytest
from django.test import Client

from ttbsite import health


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.mark.django_db(transaction=True)
def test_all_components_ok_on_the_embedded_defaults(client: Client) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok", body
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["artifact_storage"] == {"status": "ok", "backend": "filesystem"}
    assert body["components"]["ocr_tesseract"]["version"].startswith("5.")
    assert "PP-OCRv4" in body["components"]["ocr_rapidocr"]["version"]
    assert body["components"]["model_status"]["status"] == "disabled"


@pytest.mark.django_db(transaction=True)
def test_a_hanging_dependency_is_reported_as_timeout_within_a_second(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def hangs() -> dict:
        release.wait(30)
        return {"status": "ok"}

    monkeypatch.setitem(health.PROBES, "artifact_storage", hangs)
    try:
        started = time.monotonic()
        response = client.get("/health")
        elapsed = time.monotonic() - started
    finally:
        release.set()

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["components"]["artifact_storage"] == {"status": "timeout"}
    assert body["components"]["database"]["status"] == "ok"
    # The probe deadline is 0.8 s; allow a loaded CI machine slack, far below the 30 s hang.
    assert elapsed < 3


@pytest.mark.django_db(transaction=True)
def test_a_failing_dependency_is_degraded_not_a_500(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> dict:
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.PROBES, "database", broken)

    response = client.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["components"]["database"] == {
        "status": "down",
        "error": "ConnectionError: connection refused",
    }


@pytest.mark.django_db(transaction=True)
def test_health_carries_no_secrets(client: Client, settings) -> None:
    settings.SECRET_KEY = "s3cr3t-value-that-must-not-leak-0123456789abcdef"

    body = client.get("/health").content.decode()

    assert settings.SECRET_KEY not in body
    assert "password" not in body.lower()
