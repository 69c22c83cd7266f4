"""`auto`: Tesseract first, the vision model only where Tesseract could not read.

Tesseract decides every check. Checks that depend on reading the text and
came out `review` send their panels to the vision model; the checks are then
decided again on the model's reading of those panels, and a check the model
could decide (pass or fail) replaces Tesseract's, naming `ollama` as the
backend that decided it. Typography checks stay with Tesseract: the model
gives no boxes to measure.

When the model is unavailable, slow or answers nonsense, the Tesseract result
stands and says it ran degraded.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from verifier.engine.backends import Backend
from verifier.engine.errors import BackendTimeout, BackendUnavailable
from verifier.engine.extraction import extract_fields
from verifier.engine.images import load_image, panel_pixels
from verifier.engine.models import (
    Application,
    Check,
    Options,
    Outcome,
    PanelReading,
    VerificationResult,
    WarningTypography,
)
from verifier.engine.ocr import get_backend
from verifier.engine.pipeline import extracted_fields, note_missing_boxes, verify_with_backend
from verifier.engine.rules import CHECKS, decide_verdict, fields_of, rereadable_ids, run_checks

FIRST_BACKEND = Backend.TESSERACT
SECOND_BACKEND = Backend.OLLAMA


def verify_with_escalation(
    images: Sequence[bytes], application: Application | None, options: Options
) -> VerificationResult:
    """The `auto` backend: see the module docstring. One deadline covers both readers."""
    started = time.monotonic()
    application = application or Application()
    first = verify_with_backend(images, application, replace(options, backend=FIRST_BACKEND))
    unread = checks_to_reread(first.checks)
    if not unread:
        return first
    panels = panels_to_reread(unread, len(images))
    stage = time.monotonic()
    try:
        rereadings = read_with_model(images, panels, deadline=started + options.timeout_seconds)
    except (BackendUnavailable, BackendTimeout) as error:
        first.degraded = True
        first.timings["escalation"] = round(time.monotonic() - stage, 4)
        for check in unread:
            check.details["second_reading"] = {
                "backend": SECOND_BACKEND,
                "error": error.code,
                "message": error.message,
            }
        return first
    by_panel = {reading.panel: reading for reading in rereadings}
    readings = [by_panel.get(reading.panel, reading) for reading in first.readings]
    second_checks, second_fields = decide_again(readings, application)
    redecide = {check.id for check in unread}
    # A check resting on a re-decided one's reading (registry: `after`) is
    # decided again too, if it could not be decided before.
    for check in first.checks:
        spec = CHECKS.get(check.id)
        if (
            spec is not None
            and check.outcome in (Outcome.REVIEW, Outcome.SKIPPED)
            and redecide.intersection(spec.after)
        ):
            redecide.add(check.id)
    result = merge(first, second_checks, second_fields, redecide)
    result.readings = first.readings + rereadings
    result.timings["escalation"] = round(time.monotonic() - stage, 4)
    result.timings["total"] = round(time.monotonic() - started, 4)
    return result


def checks_to_reread(checks: Sequence[Check]) -> list[Check]:
    """A `review` on a check decided from the words read may be poor reading,
    which a second reader can settle (the registry's `rereadable`)."""
    rereadable = rereadable_ids()
    return [check for check in checks if check.outcome is Outcome.REVIEW and check.id in rereadable]


def read_with_model(
    images: Sequence[bytes], panels: Sequence[int], *, deadline: float
) -> list[PanelReading]:
    """One panel after another: model requests are bounded per process anyway."""
    model = get_backend(SECOND_BACKEND)
    readings = []
    for panel in panels:
        loaded = load_image(images[panel], working_pixels=panel_pixels(len(images)))
        reading = model.read(loaded.image, panel=panel, deadline=deadline)
        reading.dpi = loaded.dpi
        readings.append(reading)
    return readings


def panels_to_reread(unread: Sequence[Check], panel_count: int) -> list[int]:
    """The panels the unread checks point at; every panel when one points nowhere."""
    if any(not check.evidence for check in unread):
        return list(range(panel_count))
    return sorted({item.panel for check in unread for item in check.evidence})


def decide_again(
    readings: list[PanelReading], application: Application
) -> tuple[dict[str, Check], dict]:
    """Every check on the mixed readings. Typography is not measured again: its
    checks keep Tesseract's answer, and the model's panels have no boxes anyway."""
    label_fields = extract_fields(readings, application)
    typography = WarningTypography()
    checks = run_checks(label_fields, application, typography, readings)
    note_missing_boxes(checks, readings)
    return {check.id: check for check in checks}, extracted_fields(label_fields, typography)


def merge(
    first: VerificationResult,
    second: dict[str, Check],
    second_fields: dict,
    unread: set[str],
) -> VerificationResult:
    checks: list[Check] = []
    decided_by_model = False
    fields = dict(first.extracted_fields)
    for check in first.checks:
        again = second.get(check.id)
        if check.id not in unread or again is None:
            checks.append(check)
            continue
        if again.outcome is Outcome.REVIEW:
            check.details["second_reading"] = {
                "backend": SECOND_BACKEND,
                "outcome": again.outcome.value,
                "message": again.message,
            }
            checks.append(check)
            continue
        again.backend = SECOND_BACKEND
        again.details["first_reading"] = {
            "backend": first.backend,
            "outcome": check.outcome.value,
            "message": check.message,
        }
        checks.append(again)
        decided_by_model = True
        for name in fields_of([check.id]):
            fields[name] = second_fields.get(name)
    return replace(
        first,
        checks=checks,
        verdict=decide_verdict(checks),
        extracted_fields=fields,
        backend=Backend.AUTO if decided_by_model else first.backend,
        timings=dict(first.timings),
        backend_versions={
            **first.backend_versions,
            SECOND_BACKEND: get_backend(SECOND_BACKEND).version,
        },
    )
