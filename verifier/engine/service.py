"""The one entry point: verify a label set (one or more panel images)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from dataclasses import fields as dataclass_fields
from enum import Enum
from typing import Any

from PIL import Image

from verifier.engine.errors import EngineError
from verifier.engine.escalation import (
    AUTO,
    CHECK_FIELDS,
    note_missing_boxes,
    verify_with_escalation,
)
from verifier.engine.extraction import extract_fields
from verifier.engine.fragments import reread_doubtful_words
from verifier.engine.images import LoadedImage, load_image
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
from verifier.engine.ocr.rapid import NAME as SECOND_ENGINE
from verifier.engine.reread import reread, reread_regions
from verifier.engine.rules import decide_verdict, run_checks
from verifier.engine.second_look import needs_third_look, not_found, questioned, settle
from verifier.engine.typography import measure_warning_typography

# Tesseract runs as a subprocess per panel, so two panels read in two threads
# use both cores; more threads than cores only queue.
MAX_PANEL_THREADS = 2


def verify_label(
    images: Sequence[bytes],
    application: Application | None = None,
    options: Options | None = None,
) -> VerificationResult:
    """Read every panel, extract the fields, run the 27 CFR checks, decide.

    Raises `verifier.engine.errors.EngineError` subclasses for input a caller
    can fix (unsupported, corrupt or oversized images; unavailable backend).
    """
    options = options or Options()
    application = application or Application()
    if not images:
        raise EngineError("Send at least one label image.")
    if len(images) > options.max_panels:
        raise EngineError(
            f"A label set has at most {options.max_panels} panel images; {len(images)} were sent.",
            details={"max_panels": options.max_panels},
        )
    if options.backend == AUTO:
        return verify_with_escalation(images, application, options)
    started = time.monotonic()
    deadline = started + options.timeout_seconds
    timings: dict[str, float] = {}

    loaded = [load_image(data, max_pixels=options.max_image_pixels) for data in images]
    timings["load"] = _since(started)
    images_only = [image.image for image in loaded]

    stage = time.monotonic()
    backend = get_backend(options.backend)
    readings = read_panels(backend, loaded, deadline=deadline)
    timings["ocr"] = _since(stage)

    first = assess(images_only, readings, application, options, timings, deadline)
    readings = first.readings
    checks, label_fields, typography = first.checks, first.fields, first.typography
    versions = {backend.name: backend.version}
    in_doubt = questioned(first.checks)
    if in_doubt:
        stage = time.monotonic()
        rereadings = reread(
            images_only,
            readings,
            in_doubt,
            everything=any(not_found(check) for check in in_doubt),
            deadline=deadline,
        )
        timings["second_reading"] = _since(stage)
        second = assess(images_only, rereadings, application, options, {}, deadline)
        rereadings = second.readings
        seconds = {check.id: check for check in second.checks}
        undecided = [
            (check, seconds[check.id])
            for check in first.checks
            if needs_third_look(check, seconds.get(check.id))
        ]
        thirds: dict[str, Check] = {}
        if undecided:
            stage = time.monotonic()
            third_readings = reread_regions(
                images_only,
                rereadings,
                [check for pair in undecided for check in pair],
                deadline=deadline,
            )
            third = assess(images_only, third_readings, application, options, {}, deadline)
            thirds = {check.id: check for check in third.checks}
            timings["third_look"] = _since(stage)
            rereadings = rereadings + third.readings
        second_backend = get_backend(SECOND_ENGINE)
        readers = (backend.name, second_backend.name, f"{backend.name} (rescaled)")
        checks = [
            settle(check, seconds.get(check.id), thirds.get(check.id), readers=readers)
            for check in first.checks
        ]
        label_fields = fields_of_deciding_reading(checks, first.fields, second.fields)
        readings = readings + rereadings
        versions[second_backend.name] = second_backend.version
    stage = time.monotonic()
    note_missing_boxes(checks, readings)
    for check in checks:
        check.backend = check.backend or backend.name
    verdict = decide_verdict(checks)
    timings["rules"] = round(timings.get("rules", 0.0) + _since(stage), 4)
    timings["total"] = _since(started)

    return VerificationResult(
        verdict=verdict,
        checks=checks,
        extracted_fields=extracted_fields(label_fields, typography),
        readings=readings,
        beverage_type=label_fields.beverage_type or application.beverage_type,
        backend=backend.name,
        timings=timings,
        backend_versions=versions,
        images=[
            PanelImage(image.sha256, image.size_bytes, image.format, image.width, image.height)
            for image in loaded
        ],
    )


@dataclass
class Assessment:
    """One reading of the label set, the fields found in it and the checks decided on it."""

    readings: list[PanelReading]
    fields: LabelFields
    typography: WarningTypography
    checks: list[Check]


def assess(
    images: Sequence[Image.Image],
    readings: list[PanelReading],
    application: Application,
    options: Options,
    timings: dict[str, float],
    deadline: float | None = None,
) -> Assessment:
    """Extract the fields from `readings` (the warning's doubtful words read again),
    measure the warning's print, run every check."""
    stage = time.monotonic()
    label_fields = extract_fields(readings, application)
    improved = reread_doubtful_words(images, readings, label_fields, deadline=deadline)
    if improved is not None:
        readings = improved
        label_fields = extract_fields(readings, application)
    timings["extraction"] = _since(stage)
    stage = time.monotonic()
    typography = measure_warning_typography(images, readings, label_fields, options.dpi)
    timings["typography"] = _since(stage)
    stage = time.monotonic()
    checks = run_checks(label_fields, application, typography, readings)
    timings["rules"] = _since(stage)
    return Assessment(readings, label_fields, typography, checks)


def fields_of_deciding_reading(
    checks: Sequence[Check], first: LabelFields, second: LabelFields
) -> LabelFields:
    """The first reading's fields, with those of checks the second reading decided."""
    decided = {check.id for check in checks if check.backend == SECOND_ENGINE}
    names = {name for check_id in decided for name in CHECK_FIELDS.get(check_id, ())}
    return replace(first, **{name: getattr(second, name) for name in names})


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
