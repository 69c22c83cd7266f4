"""Decide every check on one reading; look again where the first reading did not settle it.

`assess()` turns one reading of the label set into fields, measurements and
checks. `look_again()` is the second look of `second_look.py` put to work:
the second engine reads what the first left in doubt (`reread.reread`), and
where the two still disagree over a failure, Tesseract reads that evidence
once more another way (`reread.reread_regions`); `second_look.settle`
decides each check from what the readings say.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from PIL import Image

from verifier.engine.agreement import not_found
from verifier.engine.extraction import extract_fields
from verifier.engine.fragments import reread_doubtful_words
from verifier.engine.models import (
    Application,
    Check,
    LabelFields,
    Options,
    PanelReading,
    WarningTypography,
)
from verifier.engine.ocr import get_backend
from verifier.engine.ocr.rapid import NAME as SECOND_ENGINE
from verifier.engine.reread import reread, reread_regions
from verifier.engine.rules import fields_of, run_checks
from verifier.engine.second_look import needs_third_look, questioned, settle
from verifier.engine.typography import measure_warning_typography


@dataclass
class Assessment:
    """One reading of the label set, the fields found in it and the checks decided on it."""

    readings: list[PanelReading]
    fields: LabelFields
    typography: WarningTypography
    checks: list[Check]
    versions: dict[str, str]  # what read it: engine name -> version


def assess(
    images: Sequence[Image.Image],
    readings: list[PanelReading],
    application: Application,
    options: Options,
    *,
    versions: dict[str, str],
    timings: dict[str, float] | None = None,
    deadline: float | None = None,
) -> Assessment:
    """Extract the fields from `readings` (the warning's doubtful words read again),
    measure the warning's print, run every check."""
    timings = {} if timings is None else timings
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
    return Assessment(readings, label_fields, typography, checks, versions)


def look_again(
    images: Sequence[Image.Image],
    first: Assessment,
    application: Application,
    options: Options,
    *,
    timings: dict[str, float],
    deadline: float | None = None,
) -> Assessment:
    """`first` with every check that did not pass settled by a second (and, where
    needed, a third) look. The result carries every reading taken."""
    in_doubt = questioned(first.checks)
    if not in_doubt:
        return first
    engine = get_backend(SECOND_ENGINE)
    stage = time.monotonic()
    rereadings = reread(
        images,
        first.readings,
        in_doubt,
        everything=any(not_found(check) for check in in_doubt),
        deadline=deadline,
    )
    second = assess(images, rereadings, application, options, versions={}, deadline=deadline)
    timings["second_reading"] = _since(stage)
    seconds = {check.id: check for check in second.checks}
    undecided = [
        (check, seconds[check.id])
        for check in first.checks
        if needs_third_look(check, seconds.get(check.id))
    ]
    thirds: dict[str, Check] = {}  # only for the checks that needed a third look
    readings = first.readings + second.readings
    if undecided:
        stage = time.monotonic()
        evidence = [check for pair in undecided for check in pair]
        third_readings = reread_regions(images, second.readings, evidence, deadline=deadline)
        third = assess(images, third_readings, application, options, versions={}, deadline=deadline)
        wanted = {check.id for check, _ in undecided}
        thirds = {check.id: check for check in third.checks if check.id in wanted}
        readings += third.readings
        timings["third_look"] = _since(stage)
    first_reader = next(iter(first.versions))
    readers = (first_reader, engine.name, f"{first_reader} (rescaled)")
    checks = [
        settle(check, seconds.get(check.id), thirds.get(check.id), readers=readers)
        for check in first.checks
    ]
    return replace(
        first,
        readings=readings,
        fields=_fields_of_deciding_reading(checks, first.fields, second.fields),
        checks=checks,
        versions={**first.versions, engine.name: engine.version},
    )


def _fields_of_deciding_reading(
    checks: Sequence[Check], first: LabelFields, second: LabelFields
) -> LabelFields:
    """The first reading's fields, with those of checks the second reading decided."""
    decided = {check.id for check in checks if check.backend == SECOND_ENGINE}
    names = fields_of(decided)
    return replace(first, **{name: getattr(second, name) for name in names})


def _since(moment: float) -> float:
    return round(time.monotonic() - moment, 4)
