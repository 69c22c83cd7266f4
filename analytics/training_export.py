"""A training dataset from the stored artifacts: JSON Lines plus images.

    OUT/
      README.md                  this layout, for whoever opens the folder
      manifest.json              what was asked, and how many of each went where
      images/{request_id}/panel-{n}.{ext}
      {split}/panels.jsonl       one line per panel image
      {split}/checks.jsonl       one line per check of a label

`split` is `train`, and `test` when a hold-out is asked. Labels are held out
by bottler or importer (as filed; a label without one is its own group), with
a hash of the name, so one importer's labels never sit on both sides and the
same data gives the same split every time. Lines are in the order the labels
were verified, keys sorted: an export of the same data is byte-for-byte the same.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from analytics.models import ComparisonReading, ReadingStatus
from artifacts.training_reads import artifact_extracted_text, artifact_images
from verifier.models import Decision, Verification

FORMAT_VERSION = 1

README = """# Label verification training data

Exported by `manage.py export_training_data` (TTB Label Verifier).

- `images/{request_id}/panel-{n}.{ext}`: the panel images as submitted.
- `{split}/panels.jsonl`: one JSON object per panel image:
  `id` ("{request_id}/{panel}"), `request_id`, `panel`, `image` (path from
  this folder), `width`, `height`, `beverage_type`, `group` (the bottler or
  importer the split was made by), `readings` ({backend: {"lines": [{"text",
  "box", "words": [{"text", "confidence", "box"}]}]}}; boxes are
  {"left", "top", "width", "height"} in the image's pixels), and
  `extracted_fields` (the fields the verification found on this panel, and
  the label-wide values such as `abv`).
- `{split}/checks.jsonl`: one JSON object per check of a label: `request_id`,
  `check`, `cfr`, `machine_outcome` (pass, fail, review, not_applicable,
  skipped), `agent_outcome` (the outcome an agent set for this check, or
  null), `label` (the label of record: the agent's outcome where there is
  one, else the machine's), `label_source` ("agent" or "machine"),
  `agent_decision` (the agent's latest decision on the whole label, or null),
  `expected`, `found`.
- `split`: `train`, and `test` when held out; by bottler or importer, so one
  importer's labels are never on both sides.

Load with e.g. `datasets.load_dataset("json", data_files={"train":
"train/panels.jsonl", "test": "test/panels.jsonl"})`.
"""


@dataclass
class ExportCounts:
    labels: dict[str, int] = field(default_factory=dict)
    panels: dict[str, int] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # artifacts whose images were gone when read


def group_of(verification: Verification) -> str:
    """The hold-out group: the filed bottler or importer, normalised."""
    bottler = (verification.application or {}).get("bottler") or ""
    name = re.sub(r"\s+", " ", str(bottler)).strip().casefold()
    return name or f"(unfiled) {verification.request_id}"


def split_of(group: str, holdout: float) -> str:
    if holdout <= 0:
        return "train"
    digest = hashlib.sha256(group.encode()).digest()
    return "test" if int.from_bytes(digest[:8], "big") / 2**64 < holdout else "train"


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


def _lines_only(panel: dict[str, Any]) -> dict[str, Any]:
    return {
        "lines": [
            {
                "text": " ".join(word.get("text", "") for word in line.get("words", [])),
                "box": line.get("box"),
                "words": [
                    {"text": w.get("text"), "confidence": w.get("confidence"), "box": w.get("box")}
                    for w in line.get("words", [])
                ],
            }
            for line in panel.get("lines", [])
        ]
    }


def readings_by_panel(verification: Verification, stored: dict[str, Any]) -> dict[int, dict]:
    """panel -> {backend: lines}: the stored reading, then each comparison re-reading."""
    panels: dict[int, dict[str, Any]] = {}
    for panel in stored.get("panels", []):
        panels.setdefault(panel.get("panel", 0), {})[panel.get("backend") or "stored"] = (
            _lines_only(panel)
        )
    readings = ComparisonReading.objects.filter(
        verification=verification, status=ReadingStatus.OK
    ).order_by("backend", "-run_id")
    for reading in readings:
        for panel in reading.extracted_text.get("panels", []):
            panels.setdefault(panel.get("panel", 0), {}).setdefault(
                reading.backend, _lines_only(panel)
            )
    return panels


def fields_on_panel(fields: dict[str, Any], panel: int) -> dict[str, Any]:
    return {
        name: value
        for name, value in fields.items()
        if not (isinstance(value, dict) and "panel" in value) or value["panel"] == panel
    }


def check_lines(verification: Verification) -> Iterator[dict[str, Any]]:
    decision = (
        Decision.objects.filter(verification=verification).order_by("-created_at", "-id").first()
    )
    overrides = decision.check_overrides if decision else {}
    for check in verification.result.get("checks", []):
        override = overrides.get(check.get("id")) or {}
        agent = override.get("outcome")
        yield {
            "request_id": str(verification.request_id),
            "check": check.get("id"),
            "cfr": check.get("cfr"),
            "machine_outcome": check.get("outcome"),
            "agent_outcome": agent,
            "label": agent or check.get("outcome"),
            "label_source": "agent" if agent else "machine",
            "agent_decision": decision.outcome if decision else None,
            "expected": check.get("expected"),
            "found": check.get("found"),
        }


def export_label(
    artifact: Any, *, out: Path, holdout: float, files: dict[str, Any], counts: ExportCounts
) -> None:
    verification = artifact.verification
    try:
        images = artifact_images(artifact=artifact)
    except FileNotFoundError:
        counts.skipped += 1
        return
    group = group_of(verification)
    split = split_of(group, holdout)
    readings = readings_by_panel(verification, artifact_extracted_text(artifact=artifact))
    fields = verification.result.get("extracted_fields") or {}
    facts = {index: image for index, image in enumerate(verification.images or [])}
    folder = out / "images" / str(verification.request_id)
    folder.mkdir(parents=True, exist_ok=True)
    panels, checks = files[split]
    for image in images:
        name = f"panel-{image.panel}.{image.extension}"
        (folder / name).write_bytes(image.content)
        panels.write(
            _dumps(
                {
                    "id": f"{verification.request_id}/{image.panel}",
                    "request_id": str(verification.request_id),
                    "panel": image.panel,
                    "image": f"images/{verification.request_id}/{name}",
                    "width": facts.get(image.panel, {}).get("width"),
                    "height": facts.get(image.panel, {}).get("height"),
                    "beverage_type": verification.beverage_type or None,
                    "group": group,
                    "readings": readings.get(image.panel, {}),
                    "extracted_fields": fields_on_panel(fields, image.panel),
                }
            )
            + "\n"
        )
        counts.panels[split] = counts.panels.get(split, 0) + 1
    for line in check_lines(verification):
        checks.write(_dumps(line) + "\n")
        counts.checks[split] = counts.checks.get(split, 0) + 1
    counts.labels[split] = counts.labels.get(split, 0) + 1


def write_manifest(
    out: Path,
    *,
    since: date,
    until: date | None,
    decided_only: bool,
    holdout: float,
    counts: ExportCounts,
) -> None:
    manifest = {
        "format_version": FORMAT_VERSION,
        "since": since.isoformat(),
        "until": until.isoformat() if until else None,
        "decided_only": decided_only,
        "holdout": holdout,
        "holdout_by": "bottler",
        "labels": counts.labels,
        "panels": counts.panels,
        "checks": counts.checks,
        "skipped_missing_images": counts.skipped,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    (out / "README.md").write_text(README)
