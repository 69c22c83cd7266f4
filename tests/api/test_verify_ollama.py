"""`POST /verify` with the vision model: answers from a fake Ollama on loopback,
and a 503 the client can act on (Retry-After, /model-status) when it is not there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.helpers import error_of, panel_uploads
from tests.engine.test_ollama_backend import MODEL, chat_answer, label_lines
from tests.fake_ollama import FakeOllama, tags_reply
from verifier.engine.ocr.ollama import clear_availability_cache
from verifier.models import Verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_ollama(settings: Any) -> Iterator[FakeOllama]:
    clear_availability_cache()
    with FakeOllama() as server:
        settings.OLLAMA_HOST = server.url
        settings.OLLAMA_MODEL = MODEL
        yield server
    clear_availability_cache()


def verify(client: Any, label: Any, **fields: Any) -> Any:
    return client.post("/verify", {"image": panel_uploads(label), **fields}, format="multipart")


def test_model_missing_is_503_with_retry_after_pointing_at_model_status(
    anonymous_client, compliant_label, fake_ollama
):
    fake_ollama.route("GET", "/api/tags", tags_reply("llama3.2:latest"))

    response = verify(anonymous_client, compliant_label, ocr_backend="ollama")

    assert response.status_code == 503, response.content
    assert int(response["Retry-After"]) > 0
    error = error_of(response)
    assert error["code"] == "backend_unavailable"
    assert "/model-status" in error["message"] and f"ollama pull {MODEL}" in error["message"]
    assert error["details"]["state"] == "model_missing"
    assert Verification.objects.count() == 0


def test_without_ollama_host_the_backend_is_503_not_configured(
    anonymous_client, compliant_label, settings
):
    settings.OLLAMA_HOST = None

    response = verify(anonymous_client, compliant_label, ocr_backend="ollama")

    assert response.status_code == 503
    assert "OLLAMA_HOST" in error_of(response)["message"]


def test_read_by_the_model_names_it_on_every_check(anonymous_client, compliant_label, fake_ollama):
    fake_ollama.route("GET", "/api/tags", tags_reply(f"{MODEL}:latest"))
    fake_ollama.route("POST", "/api/chat", chat_answer(label_lines(compliant_label.spec)))

    response = verify(
        anonymous_client,
        compliant_label,
        ocr_backend="ollama",
        application=json.dumps({"brand_name": compliant_label.spec.brand}),
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["backend"] == "ollama" and body["degraded"] is False
    assert {check["backend"] for check in body["checks"]} == {"ollama"}
    assert body["checks"][6]["id"] == "brand_name" and body["checks"][6]["outcome"] == "pass"
    assert Verification.objects.count() == 1
