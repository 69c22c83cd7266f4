"""Shared fixtures: every test gets its own artifact folder and model-status file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.workers"]


@pytest.fixture(autouse=True)
def fresh_throttles(request: pytest.FixtureRequest) -> None:
    """API throttle counts live in the cache: each test starts with none, so the
    suite's many quick requests from one address never add up to a 429."""
    if request.config.pluginmanager.hasplugin("django"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def isolated_data(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Point artifact storage and the model-status file at a temporary folder.

    Engine-only runs (`-p no:django`) have no settings to change.
    """
    if not request.config.pluginmanager.hasplugin("django"):
        return tmp_path
    settings = request.getfixturevalue("settings")
    settings.STORAGES = {
        **settings.STORAGES,
        "artifacts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "storage", "allow_overwrite": False},
        },
        "batch_panels": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "batch-panels"},
        },
    }
    settings.MODEL_STATUS_FILE = tmp_path / "model-status.json"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto's HTTP server on loopback (S3, CloudWatch, ...), one for the session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
