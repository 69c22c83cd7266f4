"""`manage.py fetch_model --source ollama`: the real `ollama` client against a fake Ollama."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.fake_ollama import FakeOllama, FakeReply, pull_progress_lines
from tests.modelstatus.conftest import MODEL, Document, assert_moves_forward

pytestmark = pytest.mark.usefixtures("stepping_clock")


def test_pull_reports_ollama_progress_and_ends_ready(
    fake_ollama: FakeOllama, settings: Any, recorded_documents: list[Document]
) -> None:
    settings.OLLAMA_HOST = fake_ollama.url
    fake_ollama.route("POST", "/api/pull", FakeReply.stream(pull_progress_lines([6000, 2000])))

    call_command("fetch_model", "--source", "ollama", stdout=io.StringIO())

    assert [(r.path, r.json["model"], r.json["stream"]) for r in fake_ollama.requests] == [
        ("/api/pull", MODEL, True)
    ]
    assert_moves_forward(recorded_documents)
    assert recorded_documents[0]["status"] == "downloading"
    assert recorded_documents[-1]["status"] == "ready"
    assert {d["source"] for d in recorded_documents} == {"ollama"}
    midway = [d for d in recorded_documents if d["status"] == "downloading"][1:]
    assert midway, "progress is written while Ollama streams"
    assert all(d["progress"]["downloaded_bytes"] > 0 for d in midway)
    assert recorded_documents[-1]["progress"] | {"estimated_time_remaining_seconds": 0} == {
        "downloaded_bytes": 8000,
        "total_bytes": 8000,
        "percentage": 100.0,
        "estimated_time_remaining_seconds": 0,
    }
    final = json.loads(Path(settings.MODEL_STATUS_FILE).read_text())
    assert final["status"] == "ready" and final["model"] == MODEL


def test_the_model_flag_names_what_ollama_pulls(fake_ollama: FakeOllama, settings: Any) -> None:
    settings.OLLAMA_HOST = fake_ollama.url
    fake_ollama.route("POST", "/api/pull", FakeReply.stream(pull_progress_lines([10])))

    call_command("fetch_model", "--source", "ollama", "--model", "moondream", stdout=io.StringIO())

    assert fake_ollama.requests[0].json["model"] == "moondream"


def test_an_error_from_ollama_mid_pull_ends_in_error(
    fake_ollama: FakeOllama, settings: Any, recorded_documents: list[Document]
) -> None:
    settings.OLLAMA_HOST = fake_ollama.url
    lines = pull_progress_lines([5000, 5000], error="write /root/.ollama: no space left on device")
    fake_ollama.route("POST", "/api/pull", FakeReply.stream(lines))

    with pytest.raises(CommandError) as failure:
        call_command("fetch_model", "--source", "ollama", stdout=io.StringIO())

    message = recorded_documents[-1]["error"]
    assert message == str(failure.value)
    assert message.startswith(f"Ollama at {fake_ollama.url} could not pull {MODEL}: write ")
    assert "no space left on device" in message
    assert recorded_documents[-1]["status"] == "error"
    assert recorded_documents[-1]["progress"]["downloaded_bytes"] == 5000, "progress kept"


def test_an_unknown_model_ends_in_error(fake_ollama: FakeOllama, settings: Any) -> None:
    settings.OLLAMA_HOST = fake_ollama.url
    reply = FakeReply.json({"error": "pull model manifest: file does not exist"}, status=500)
    fake_ollama.route("POST", "/api/pull", reply)

    with pytest.raises(CommandError, match="pull model manifest: file does not exist"):
        call_command("fetch_model", "--source", "ollama", stdout=io.StringIO())

    document = json.loads(Path(settings.MODEL_STATUS_FILE).read_text())
    assert document["status"] == "error" and "Check the model name" in document["error"]


def test_a_stream_that_stops_without_success_is_an_error(
    fake_ollama: FakeOllama, settings: Any
) -> None:
    settings.OLLAMA_HOST = fake_ollama.url
    fake_ollama.route("POST", "/api/pull", FakeReply.stream(pull_progress_lines([100])[:-1]))

    with pytest.raises(CommandError, match="without reporting success"):
        call_command("fetch_model", "--source", "ollama", stdout=io.StringIO())


def test_ollama_not_listening(settings: Any) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        settings.OLLAMA_HOST = f"http://127.0.0.1:{probe.getsockname()[1]}"

    with pytest.raises(CommandError, match=r"Could not talk to Ollama at http://127\.0\.0\.1:"):
        call_command("fetch_model", "--source", "ollama", stdout=io.StringIO())

    document = json.loads(Path(settings.MODEL_STATUS_FILE).read_text())
    assert document["status"] == "error" and "set OLLAMA_HOST" in document["error"]


def test_ollama_source_needs_ollama_host(settings: Any) -> None:
    settings.OLLAMA_HOST = None

    with pytest.raises(CommandError, match="--source ollama needs OLLAMA_HOST"):
        call_command("fetch_model", "--source", "ollama", stdout=io.StringIO())
