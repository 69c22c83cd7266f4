"""export_training_data on stored artifacts: layout, labels of record, split, skips."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from analytics.backdated_rows import settable_created_at
from analytics.models import ComparisonReading, ComparisonRun
from analytics.training_export import split_of
from artifacts.services import artifact_delete, artifact_save
from tests.analytics.conftest import audit_row
from tests.artifacts.conftest import make_png
from verifier.models import Decision

BOX = {"left": 20, "top": 30, "width": 100, "height": 20}


def groups_on_both_sides() -> tuple[str, str]:
    """A bottler name that the 0.5 hold-out puts in test, and one in train."""
    names = [f"Importer {number}" for number in range(50)]
    test = next(name for name in names if split_of(name.casefold(), 0.5) == "test")
    train = next(name for name in names if split_of(name.casefold(), 0.5) == "train")
    return test, train


def extracted_text(panels: int) -> dict:
    return {
        "panels": [
            {
                "panel": panel,
                "backend": "tesseract",
                "lines": [
                    {"words": [{"text": "STONE", "confidence": 91.0, "box": BOX}], "box": BOX}
                ],
            }
            for panel in range(panels)
        ]
    }


@pytest.fixture
def stored(add_rows, django_capture_on_commit_callbacks):
    def store(*, bottler: str, days_ago: int = 1, panels: int = 1, checks=None):
        checks = checks or {"brand_name": "pass", "warning_text": "fail"}
        row = audit_row(
            at=timezone.now() - timedelta(days=days_ago),
            verdict="NON_COMPLIANT",
            checks=checks,
            bottler=bottler,
        )
        row.result["extracted_fields"] = {
            "brand_name": {"text": "STONE", "panel": 0, "confidence": 0.9, "box": BOX},
            "warning_body": {"text": "(1) According", "panel": panels - 1, "box": None},
            "abv": 12.5,
        }
        row.images = [{"width": 240, "height": 120} for _ in range(panels)]
        (verification,) = add_rows(row)
        images = [make_png(color="white" if panel else "ivory") for panel in range(panels)]
        artifact = artifact_save(
            verification=verification,
            images=images,
            extracted_text=extracted_text(panels),
            result=verification.result,
        )
        assert artifact.state == "stored"
        return verification, artifact, images

    return store


@pytest.fixture
def labels(stored, django_capture_on_commit_callbacks, db):
    test_group, train_group = groups_on_both_sides()
    two_panels = stored(bottler=test_group, panels=2)
    same_importer = stored(bottler=f"  {test_group.upper()} ")  # the same importer, typed apart
    other = stored(bottler=train_group)
    deleted = stored(bottler=train_group)
    expired = stored(bottler=train_group, days_ago=400)  # past its 365-day retention
    with django_capture_on_commit_callbacks(execute=True):
        artifact_delete(artifact=deleted[1], user=None, actor="system: test", reason="asked")
    agent = User.objects.create_user("agent")
    with settable_created_at(Decision):
        Decision.objects.bulk_create(
            [
                Decision(
                    verification=other[0],
                    user=agent,
                    channel="web",
                    outcome="approve",
                    created_at=timezone.now(),
                    check_overrides={"warning_text": {"outcome": "pass", "reason": "misread"}},
                )
            ]
        )
    return {
        "two_panels": two_panels,
        "same_importer": same_importer,
        "other": other,
        "deleted": deleted,
        "expired": expired,
    }


def export(out: Path, *args: str) -> str:
    stdout = io.StringIO()
    since = (timezone.now() - timedelta(days=500)).date().isoformat()
    call_command("export_training_data", str(out), "--since", since, *args, stdout=stdout)
    return stdout.getvalue()


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_export_writes_the_documented_layout_split_by_importer(labels, tmp_path):
    out = tmp_path / "dataset"

    output = export(out, "--holdout", "0.5")

    assert "Exported 3 label(s), 4 panel(s)" in output
    test_panels = read_lines(out / "test" / "panels.jsonl")
    train_panels = read_lines(out / "train" / "panels.jsonl")
    two_panels, _, images = labels["two_panels"]
    assert [p["request_id"] for p in test_panels] == [str(two_panels.request_id)] * 2 + [
        str(labels["same_importer"][0].request_id)
    ]
    assert [p["request_id"] for p in train_panels] == [str(labels["other"][0].request_id)]
    first, second = test_panels[0], test_panels[1]
    assert (out / first["image"]).read_bytes() == images[0]
    assert (out / second["image"]).read_bytes() == images[1]
    assert first["readings"]["tesseract"]["lines"][0] == {
        "text": "STONE",
        "box": BOX,
        "words": [{"text": "STONE", "confidence": 91.0, "box": BOX}],
    }
    assert set(first["extracted_fields"]) == {"brand_name", "abv"}
    assert set(second["extracted_fields"]) == {"warning_body", "abv"}
    assert first["width"] == 240 and first["group"] == second["group"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["labels"] == {"test": 2, "train": 1} and manifest["holdout_by"] == "bottler"
    assert "panels.jsonl" in (out / "README.md").read_text()


def test_each_backends_reading_from_a_comparison_run_is_beside_the_stored_one(labels, tmp_path):
    verification = labels["other"][0]
    run = ComparisonRun.objects.create(since=timezone.now().date(), backends=["ollama"])
    moved = {**BOX, "left": 25}
    ComparisonReading.objects.create(
        run=run,
        verification=verification,
        backend="ollama",
        status="ok",
        extracted_text={
            "panels": [
                {
                    "panel": 0,
                    "lines": [{"words": [{"text": "STONE", "confidence": -1, "box": moved}]}],
                }
            ]
        },
    )
    out = tmp_path / "dataset"
    export(out)

    (panel,) = [
        p
        for p in read_lines(out / "train" / "panels.jsonl")
        if p["request_id"] == str(verification.request_id)
    ]
    assert set(panel["readings"]) == {"tesseract", "ollama"}
    assert panel["readings"]["ollama"]["lines"][0]["words"][0]["box"] == moved


def test_the_agents_outcome_is_the_label_of_record(labels, tmp_path):
    out = tmp_path / "dataset"
    export(out)

    checks = read_lines(out / "train" / "checks.jsonl")
    other = str(labels["other"][0].request_id)
    decided = {c["check"]: c for c in checks if c["request_id"] == other}
    assert decided["warning_text"]["machine_outcome"] == "fail"
    assert decided["warning_text"]["label"] == "pass"
    assert decided["warning_text"]["label_source"] == "agent"
    assert decided["brand_name"]["label"] == "pass"
    assert decided["brand_name"]["label_source"] == "machine"
    assert decided["brand_name"]["agent_decision"] == "approve"


def test_deleted_and_expired_artifacts_are_never_exported(labels, tmp_path):
    out = tmp_path / "dataset"
    export(out)

    exported = {p["request_id"] for p in read_lines(out / "train" / "panels.jsonl")}
    assert str(labels["deleted"][0].request_id) not in exported
    assert str(labels["expired"][0].request_id) not in exported
    folders = {path.name for path in (out / "images").iterdir()}
    assert folders == exported


def test_decided_only_and_the_same_data_gives_the_same_bytes(labels, tmp_path):
    export(tmp_path / "a", "--holdout", "0.5")
    export(tmp_path / "b", "--holdout", "0.5")
    export(tmp_path / "decided", "--decided-only")

    for name in ("train/panels.jsonl", "train/checks.jsonl", "test/panels.jsonl", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    decided = read_lines(tmp_path / "decided" / "train" / "panels.jsonl")
    assert {p["request_id"] for p in decided} == {str(labels["other"][0].request_id)}


def test_a_folder_with_files_in_it_is_refused(tmp_path, db):
    (tmp_path / "keep.txt").write_text("mine")

    with pytest.raises(CommandError, match="not an empty folder"):
        export(tmp_path)
