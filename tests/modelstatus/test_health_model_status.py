"""/health's `model_status` component: disabled without Ollama, degraded until `ready`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from modelstatus.selectors import model_status_summary
from modelstatus.services.status_writer import atomic_write_json
from ttbsite import health


@pytest.fixture
def only_the_model_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other probes (database, Tesseract…) have their own tests."""
    monkeypatch.setattr(health, "PROBES", {"model_status": model_status_summary})


def write_status(settings: Any, status: str, **extra: Any) -> None:
    document = {"model": "llama3.2-vision", "status": status, "source": "s3", **extra}
    atomic_write_json(Path(settings.MODEL_STATUS_FILE), document)


@pytest.mark.usefixtures("only_the_model_probe")
def test_without_ollama_the_model_is_disabled_and_not_degrading(
    client: Client, settings: Any
) -> None:
    settings.OLLAMA_HOST = None
    write_status(settings, "downloading", progress={"percentage": 10.0})

    answer = client.get("/health").json()

    assert answer["components"]["model_status"]["status"] == "disabled"
    assert answer["status"] == "ok"


@pytest.mark.usefixtures("only_the_model_probe")
def test_a_ready_model_is_healthy(client: Client, settings: Any) -> None:
    settings.OLLAMA_HOST = "http://ollama:11434"
    write_status(settings, "ready")

    answer = client.get("/health").json()

    assert answer["components"]["model_status"] == {"status": "ready", "model": "llama3.2-vision"}
    assert answer["status"] == "ok"


@pytest.mark.usefixtures("only_the_model_probe")
def test_a_download_in_progress_is_degraded_with_its_percentage(
    client: Client, settings: Any
) -> None:
    settings.OLLAMA_HOST = "http://ollama:11434"
    write_status(settings, "downloading", progress={"percentage": 44.7})

    answer = client.get("/health").json()

    assert answer["components"]["model_status"] == {
        "status": "downloading",
        "model": "llama3.2-vision",
        "percentage": 44.7,
    }
    assert answer["status"] == "degraded"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, {"status": "not_started", "model": "llama3.2-vision"}),
        ('{"status": "error", "error": "Access denied", "model": "m"}', None),
        ("{", None),
    ],
    ids=["never-started", "failed", "unreadable"],
)
@pytest.mark.usefixtures("only_the_model_probe")
def test_anything_but_ready_is_degraded(
    client: Client, settings: Any, content: str | None, expected: dict | None
) -> None:
    settings.OLLAMA_HOST = "http://ollama:11434"
    if content is not None:
        Path(settings.MODEL_STATUS_FILE).write_text(content)

    answer = client.get("/health").json()

    assert answer["status"] == "degraded"
    component = answer["components"]["model_status"]
    if expected is not None:
        assert component == expected
    else:
        assert component["status"] in {"error", "unreadable"} and component["error"]
