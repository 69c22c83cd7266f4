"""One backend reads the label set and the checks are decided on its reading.

`verify_with_backend()` is the whole work for `tesseract` or `ollama`:
decode each panel, read it, extract the fields, measure the warning's print,
run every check, look again where the first reading left doubt. `auto`
(`escalation.py`) composes it; `service.verify_label` chooses between them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from dataclasses import fields as dataclass_fields
from enum import Enum
from typing import Any

from verifier.engine.assessment import assess, look_again
from verifier.engine.images import LoadedImage, load_image, panel_pixels, working_dpi
from verifier.engine.models import (
    Application,
    Check,
    FoundText,
    LabelFields,
    Options,
    PanelImage,
    PanelReading,
    VerificationResult,
    WarningTypography,
)
from verifier.engine.ocr import OcrBackend, get_backend
from verifier.engine.rules import decide_verdict

# Tesseract runs as a subprocess per panel, so two panels read in two threads
# use both cores; more threads than cores only queue.
MAX_PANEL_THREADS = 2


def verify_with_backend(
    images: Sequence[bytes], application: Application, options: Options
) -> VerificationResult:
    """Read every panel with `options.backend`, extract the fields, run the checks, decide."""
    started = time.monotonic()
    deadline = started + options.timeout_seconds
    timings: dict[str, float] = {}

    budget = panel_pixels(len(images))
    loaded = [
        load_image(data, max_pixels=options.max_image_pixels, working_pixels=budget)
        for data in images
    ]
    options = replace(options, dpi=working_dpi(options.dpi, loaded))
    timings["load"] = _since(started)
    stage = time.monotonic()
    backend = get_backend(options.backend)
    readings = read_panels(backend, loaded, deadline=deadline)
    timings["ocr"] = _since(stage)

    images_only = [image.image for image in loaded]
    first = assess(
        images_only,
        readings,
        application,
        options,
        versions={backend.name: backend.version},
        timings=timings,
        deadline=deadline,
    )
    settled = look_again(
        images_only, first, application, options, timings=timings, deadline=deadline
    )
    stage = time.monotonic()
    checks = settled.checks
    note_missing_boxes(checks, settled.readings)
    for check in checks:
        check.backend = check.backend or backend.name
    verdict = decide_verdict(checks)
    timings["rules"] = round(timings.get("rules", 0.0) + _since(stage), 4)
    timings["total"] = _since(started)

    return VerificationResult(
        verdict=verdict,
        checks=checks,
        extracted_fields=extracted_fields(settled.fields, settled.typography),
        readings=settled.readings,
        beverage_type=settled.fields.beverage_type or application.beverage_type,
        backend=backend.name,
        timings=timings,
        backend_versions=settled.versions,
        images=[
            PanelImage(image.sha256, image.size_bytes, image.format, image.width, image.height)
            for image in loaded
        ],
    )


def read_panels(
    backend: OcrBackend, loaded: Sequence[LoadedImage], *, deadline: float | None
) -> list[PanelReading]:
    """Read each panel, two at a time when there are several."""

    def read(panel: int) -> PanelReading:
        reading = backend.read(loaded[panel].image, panel=panel, deadline=deadline)
        reading.dpi = loaded[panel].dpi
        return reading

    if len(loaded) == 1:
        return [read(0)]
    with ThreadPoolExecutor(max_workers=min(MAX_PANEL_THREADS, len(loaded))) as pool:
        return list(pool.map(read, range(len(loaded))))


def note_missing_boxes(checks: Sequence[Check], readings: Sequence[PanelReading]) -> None:
    """Say so where evidence has no box because its backend gives none."""
    boxless = {
        reading.panel: reading.backend
        for reading in readings
        if reading.lines and not any(line.box for line in reading.lines)
    }
    for check in checks:
        backends = sorted(
            {boxless[e.panel] for e in check.evidence if e.box is None and e.panel in boxless}
        )
        if backends:
            check.details["evidence_boxes"] = (
                f"None: the {', '.join(backends)} backend reads text without positions, "
                "so the evidence names the panel and the text only."
            )


def extracted_fields(label_fields: LabelFields, typography: WarningTypography) -> dict[str, Any]:
    """What was read, as plain JSON-ready values, for the API and the audit row."""
    result: dict[str, Any] = {}
    for field in dataclass_fields(label_fields):
        value = getattr(label_fields, field.name)
        if isinstance(value, FoundText):
            result[field.name] = {
                "text": value.text,
                "panel": value.panel,
                "confidence": value.confidence,
                "box": asdict(box) if (box := value.box()) is not None else None,
            }
        elif isinstance(value, Enum):
            result[field.name] = value.value
        else:
            result[field.name] = value
    result["warning_typography"] = asdict(typography)
    return result


def _since(moment: float) -> float:
    return round(time.monotonic() - moment, 4)
