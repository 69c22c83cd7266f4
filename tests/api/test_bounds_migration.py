"""Migration 0003: panels waiting in database rows move to files in storage,
and back when it is reversed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("verifier", "0002_verification_backend_versions")]
AFTER = [("verifier", "0003_batch_panel_files")]


def migrate(target: list[tuple[str, str]]) -> Any:
    """Migrate the verifier app to `target`; the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_waiting_panels_move_from_rows_to_files_and_back(isolated_data):
    old = migrate(BEFORE)
    try:
        user = old.get_model("auth", "User").objects.create(username="agent")
        batch = old.get_model("verifier", "Batch").objects.create(
            user=user, backend_requested="tesseract", total=1
        )
        item = old.get_model("verifier", "BatchItem").objects.create(
            batch=batch, position=0, name="front.png + back.png"
        )
        panels = old.get_model("verifier", "BatchPanel").objects
        panels.create(item=item, position=0, name="front.png", data=b"\x89PNG front")
        panels.create(item=item, position=1, name="back.png", data=b"\x89PNG back")

        new = migrate(AFTER)

        moved = new.get_model("verifier", "BatchPanel").objects.order_by("position")
        stored = [storages["batch_panels"].open(panel.key).read() for panel in moved]
        assert stored == [b"\x89PNG front", b"\x89PNG back"]
        assert {field.name for field in moved.model._meta.get_fields()} >= {"key"}
        assert "data" not in {field.name for field in moved.model._meta.get_fields()}

        back = migrate(BEFORE)

        rows = back.get_model("verifier", "BatchPanel").objects.order_by("position")
        assert [bytes(panel.data) for panel in rows] == [b"\x89PNG front", b"\x89PNG back"]
        assert not [path for path in (isolated_data / "batch-panels").rglob("*") if path.is_file()]
    finally:
        # Every app back at its newest migration (going back to 0002 also took
        # back the migrations that depend on it), for the tests that follow.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
