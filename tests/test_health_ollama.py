"""/health's `ocr_ollama` component: disabled without Ollama, else server up and model present."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.fake_ollama import FakeOllama, tags_reply
from ttbsite import health
from verifier.engine.ocr.ollama import clear_availability_cache
from verifier.ocr_backends import ollama_probe

MODEL = "llama3.2-vision"


@pytest.fixture(autouse=True)
def only_the_ollama_probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The other probes have their own tests."""
    monkeypatch.setattr(health, "PROBES", {"ocr_ollama": ollama_probe})
    clear_availability_cache()
    yield
    clear_availability_cache()


@pytest.fixture
def fake_ollama(settings: Any) -> Iterator[FakeOllama]:
    with FakeOllama() as server:
        settings.OLLAMA_HOST = server.url
        settings.OLLAMA_MODEL = MODEL
        yield server


def component(client: Client) -> tuple[str, dict[str, Any]]:
    answer = client.get("/health").json()
    return answer["status"], answer["components"]["ocr_ollama"]


def test_without_ollama_host_it_is_disabled(client: Client, settings: Any) -> None:
    settings.OLLAMA_HOST = None

    assert component(client) == ("ok", {"status": "disabled", "reason": "OLLAMA_HOST is not set"})


def test_server_up_with_the_model_is_ok(client: Client, fake_ollama: FakeOllama) -> None:
    fake_ollama.route("GET", "/api/tags", tags_reply(f"{MODEL}:latest"))

    status, ollama = component(client)

    assert status == "ok"
    assert ollama["status"] == "ok" and ollama["model"] == MODEL
    assert ollama["host"] == fake_ollama.url


def test_model_not_pulled_is_degraded(client: Client, fake_ollama: FakeOllama) -> None:
    fake_ollama.route("GET", "/api/tags", tags_reply("llava:latest"))

    status, ollama = component(client)

    assert (status, ollama["status"]) == ("degraded", "model_missing")
    assert f"ollama pull {MODEL}" in ollama["message"]


def test_server_down_is_degraded_quickly(client: Client, settings: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.OLLAMA_HOST = f"http://127.0.0.1:{probe.getsockname()[1]}"

    started = time.monotonic()
    status, ollama = component(client)

    assert (status, ollama["status"]) == ("degraded", "down")
    assert time.monotonic() - started < 2


def test_the_probe_is_cached_for_a_few_seconds(client: Client, fake_ollama: FakeOllama) -> None:
    fake_ollama.route("GET", "/api/tags", tags_reply(f"{MODEL}:latest"))

    component(client)
    component(client)

    assert len(fake_ollama.requests) == 1
