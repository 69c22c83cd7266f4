"""The status document's writer: atomic, throttled, forward-only, ETA from the recent rate."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from modelstatus.services.status_writer import StatusWriter, atomic_write_json

MB = 1_000_000


class ManualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def status_file(tmp_path: Path) -> Path:
    return tmp_path / "run" / "model-status.json"


def writer_for(status_file: Path, clock: ManualClock) -> StatusWriter:
    return StatusWriter(path=status_file, model="llama3.2-vision", source="s3", clock=clock)


def on_disk(status_file: Path) -> dict:
    return json.loads(status_file.read_text())


def test_writes_at_most_about_once_a_second(status_file: Path, clock: ManualClock) -> None:
    writer = writer_for(status_file, clock)
    writer.begin("downloading", total_bytes=100 * MB)

    for step in range(1, 10):  # nine updates within 0.9 s: none written
        clock.now = step / 10
        writer.advance(step * MB)
    assert on_disk(status_file)["progress"]["downloaded_bytes"] == 0

    clock.now = 1.0
    writer.advance(10 * MB)
    assert on_disk(status_file)["progress"]["downloaded_bytes"] == 10 * MB
    assert on_disk(status_file)["progress"]["percentage"] == 10.0


def test_eta_follows_the_recent_rate_not_the_average(status_file: Path, clock: ManualClock) -> None:
    writer = writer_for(status_file, clock)
    writer.begin("downloading", total_bytes=1000 * MB)
    done = 0
    for _ in range(20):  # 20 s at 20 MB/s
        clock.now += 1
        done += 20 * MB
        writer.advance(done)
    for _ in range(20):  # then 20 s at 2 MB/s
        clock.now += 1
        done += 2 * MB
        writer.advance(done)

    progress = on_disk(status_file)["progress"]
    remaining = 1000 * MB - done
    assert progress["estimated_time_remaining_seconds"] == remaining // (2 * MB)


def test_byte_counts_never_go_back(status_file: Path, clock: ManualClock) -> None:
    writer = writer_for(status_file, clock)
    writer.begin("downloading", total_bytes=10 * MB)
    clock.now = 2
    writer.advance(5 * MB)
    clock.now = 4
    writer.advance(3 * MB)  # a late report from a slower thread

    assert on_disk(status_file)["progress"]["downloaded_bytes"] == 5 * MB


def test_concurrent_transfer_callbacks_add_up(status_file: Path, clock: ManualClock) -> None:
    writer = writer_for(status_file, clock)
    writer.begin("downloading", total_bytes=8 * 1000 * 1024)
    threads = [
        threading.Thread(target=lambda: [writer.add(1024) for _ in range(1000)]) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.begin("extracting")

    assert on_disk(status_file)["progress"]["downloaded_bytes"] == 8 * 1000 * 1024


def test_status_only_moves_forward(status_file: Path, clock: ManualClock) -> None:
    writer = writer_for(status_file, clock)
    writer.begin("downloading", total_bytes=10)
    writer.begin("extracting", total_bytes=10)

    with pytest.raises(ValueError, match="cannot go from extracting to downloading"):
        writer.begin("downloading")
    writer.fail("boom")
    with pytest.raises(ValueError, match="cannot go from error to ready"):
        writer.ready()
    assert on_disk(status_file)["status"] == "error"


def test_ready_records_completion(status_file: Path, clock: ManualClock) -> None:
    writer = writer_for(status_file, clock)
    writer.begin("downloading", total_bytes=10)
    writer.begin("extracting", total_bytes=10)
    writer.advance(4)
    writer.ready()

    document = on_disk(status_file)
    assert document["status"] == "ready"
    assert document["progress"]["downloaded_bytes"] == document["progress"]["extracted_bytes"] == 10
    assert document["progress"]["percentage"] == 100.0
    assert document["completed_at"] >= document["started_at"]


def test_an_interrupted_write_leaves_the_previous_document(tmp_path: Path) -> None:
    path = tmp_path / "model-status.json"
    atomic_write_json(path, {"status": "downloading"})

    with pytest.raises(TypeError):
        atomic_write_json(path, {"status": "extracting", "bad": object()})

    assert json.loads(path.read_text()) == {"status": "downloading"}
    assert os.listdir(tmp_path) == ["model-status.json"], "no temporary file left behind"
    assert oct(path.stat().st_mode & 0o777) == "0o644", "readable by the app's user"
