"""Helpers for API and CLI tests: generated labels, uploads, ZIPs, an in-process worker."""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.management.commands.db_worker import Worker
from PIL import Image

from labelgen import RenderedLabel, render_label, spec_for_seed
from verifier.application_data import application_to_json


@cache
def rendered(seed: int, failures: tuple[str, ...] = (), degradations: tuple[str, ...] = ()):
    """A generated label, rendered once per test session."""
    return render_label(spec_for_seed(seed, failures=failures, degradations=degradations))


def upload(data: bytes, name: str = "label.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def panel_uploads(label: RenderedLabel) -> list[SimpleUploadedFile]:
    suffix = "jpg" if label.image_format == "jpeg" else label.image_format
    return [upload(data, f"panel{i}.{suffix}") for i, data in enumerate(label.panels)]


def application_json(label: RenderedLabel) -> str:
    return json.dumps(application_to_json(label.application))


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes], *, compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def error_of(response: Any) -> dict[str, Any]:
    """The one error shape, asserted on the way."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]


def run_worker() -> None:
    """Run every ready task in this process, as `db_worker --batch` would, then return.

    The worker closes "old" connections between tasks, which inside a test's
    transaction would drop it: that housekeeping is switched off here.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
