"""Fixtures for the engine tests that talk to a (fake) vision model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.engine.ollama_doubles import MODEL
from tests.fake_ollama import FakeOllama, tags_reply
from verifier.engine.ocr import _FACTORIES, register_backend
from verifier.engine.ocr.ollama import OllamaBackend, clear_availability_cache


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    clear_availability_cache()
    with FakeOllama() as server:
        server.route("GET", "/api/tags", tags_reply(f"{MODEL}:latest", "llama3.2:latest"))
        yield server
    clear_availability_cache()


@pytest.fixture
def use_backend() -> Iterator:
    """Register an `ollama` backend for the engine's registry, restored afterwards."""
    saved = dict(_FACTORIES)

    def use(**kwargs) -> OllamaBackend:
        backend = OllamaBackend(**{"model": MODEL, "timeout": 10.0, **kwargs})
        register_backend("ollama", lambda: backend)
        return backend

    yield use
    _FACTORIES.clear()
    _FACTORIES.update(saved)
