"""`GET /model-status`: the document, 404 before any download, 503 when unreadable, cached 5 s."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from modelstatus.selectors import status_cache
from modelstatus.services.status_writer import StatusWriter, atomic_write_json

DOWNLOADING = {
    "model": "llama3.2-vision",
    "status": "downloading",
    "progress": {
        "downloaded_bytes": 3221225472,
        "total_bytes": 7201866752,
        "percentage": 44.7,
        "estimated_time_remaining_seconds": 120,
    },
    "source": "s3",
    "started_at": "2026-02-17T20:15:45Z",
    "updated_at": "2026-02-17T20:16:30Z",
}


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    clock = ManualClock()
    monkeypatch.setattr(status_cache, "clock", clock)
    return clock


@pytest.fixture
def status_file(settings: Any) -> Path:
    return Path(settings.MODEL_STATUS_FILE)


def test_answers_with_the_document_as_written(client: Client, status_file: Path) -> None:
    atomic_write_json(status_file, {**DOWNLOADING, "a_later_key": [1, 2]})

    response = client.get("/model-status")

    assert response.status_code == 200
    assert response.json() == {**DOWNLOADING, "a_later_key": [1, 2]}
    assert response.headers["Cache-Control"] == "no-cache"


def test_needs_no_login(client: Client, status_file: Path, settings: Any) -> None:
    settings.VERIFY_ALLOW_ANONYMOUS = False
    atomic_write_json(status_file, DOWNLOADING)

    assert client.get("/model-status", HTTP_AUTHORIZATION="Token not-a-token").status_code == 200


def test_not_found_before_any_download(client: Client) -> None:
    response = client.get("/model-status", HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "model_status_not_found"
    assert "fetch_model" in error["message"]


@pytest.mark.parametrize(
    "content",
    [b'{"model": "llama3.2-vis', b"\xff\xfe not text", b"[1, 2]", b'{"status": "done"}'],
    ids=["half-written", "not-utf8", "not-an-object", "unknown-status"],
)
def test_an_unreadable_file_is_a_503_in_the_error_shape(
    client: Client, status_file: Path, content: bytes
) -> None:
    status_file.write_bytes(content)

    response = client.get("/model-status")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert set(response.json()) == {"error"}
    assert response.json()["error"]["code"] == "model_status_unreadable"
    assert response.json()["error"]["message"].startswith("The model status cannot be read: ")


def test_a_folder_in_place_of_the_file_is_a_503(client: Client, status_file: Path) -> None:
    status_file.mkdir()

    assert client.get("/model-status").status_code == 503


def test_reads_are_cached_for_five_seconds(
    client: Client, status_file: Path, clock: ManualClock
) -> None:
    atomic_write_json(status_file, DOWNLOADING)
    assert client.get("/model-status").json()["status"] == "downloading"

    atomic_write_json(status_file, {**DOWNLOADING, "status": "extracting"})
    clock.now += 4.9
    assert client.get("/model-status").json()["status"] == "downloading", "not re-read yet"

    clock.now += 0.1
    assert client.get("/model-status").json()["status"] == "extracting"


def test_a_missing_file_is_cached_too(
    client: Client, status_file: Path, clock: ManualClock
) -> None:
    assert client.get("/model-status").status_code == 404
    atomic_write_json(status_file, DOWNLOADING)

    assert client.get("/model-status").status_code == 404
    clock.now += 5
    assert client.get("/model-status").status_code == 200


def test_a_broken_file_never_serves_the_last_ready(
    client: Client, status_file: Path, clock: ManualClock
) -> None:
    atomic_write_json(status_file, {**DOWNLOADING, "status": "ready"})
    assert client.get("/model-status").json()["status"] == "ready"

    status_file.write_text("{")
    clock.now += 5

    assert client.get("/model-status").status_code == 503


def test_readers_never_see_half_a_document_while_the_writer_runs(
    client: Client, status_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status_cache, "seconds", 0.0)  # every request reads the file
    writer = StatusWriter(
        path=status_file, model="llama3.2-vision", source="s3", write_interval_seconds=0.0
    )
    writer.begin("downloading", total_bytes=10**9)
    readers_done = threading.Event()
    writes = [0]

    def write_until_readers_are_done() -> None:
        while not readers_done.is_set() and writes[0] < 100_000:
            writes[0] += 1
            writer.advance(writes[0] * 1000)
            time.sleep(0.0005)  # let the readers have the GIL now and then

    answers: list[tuple[int, bytes]] = []

    def read(count: int) -> None:
        for _ in range(count):
            response = Client().get("/model-status")
            answers.append((response.status_code, response.content))

    writer_thread = threading.Thread(target=write_until_readers_are_done)
    writer_thread.start()
    readers = [threading.Thread(target=read, args=(50,)) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    readers_done.set()
    writer_thread.join()

    assert writes[0] > 100, "the writer really was rewriting the file meanwhile"
    assert len(answers) == 200
    failures = [(status, body[:200]) for status, body in answers if status != 200]
    assert failures == []
    seen_bytes = {json.loads(body)["progress"]["downloaded_bytes"] for _, body in answers}
    assert len(seen_bytes) > 10, "readers saw the document change"
