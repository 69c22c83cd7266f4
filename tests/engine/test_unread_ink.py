"""A required word OCR did not report: printed and unread, or not printed at all?

The image decides: `typography.unread_ink` lists ink no read word covers, and
`warning_text` calls a word missing only where there is none.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from labelgen import render_label, spec_for_seed
from verifier.engine.extraction import extract_fields
from verifier.engine.images import load_image
from verifier.engine.models import Application, Line, Outcome, PanelReading
from verifier.engine.ocr import get_backend
from verifier.engine.rules.warning_statement import warning_text
from verifier.engine.typography import measure_warning_typography

# A clean spirits label, and the same label printed without "(2)".
SEED = 201


def read(spec) -> tuple[list, list[PanelReading]]:
    label = render_label(spec)
    loaded = [load_image(data) for data in label.panels]
    backend = get_backend("tesseract")
    readings = []
    for index, image in enumerate(loaded):
        reading = backend.read(image.image, panel=index, deadline=None)
        reading.dpi = image.dpi
        readings.append(reading)
    return [image.image for image in loaded], readings


def without_word(readings: list[PanelReading], text: str) -> list[PanelReading]:
    """The readings as if OCR had not reported `text` (the ink stays in the image)."""
    result = []
    for reading in readings:
        lines = [
            Line(tuple(word for word in line.words if word.text != text), line.box)
            for line in reading.lines
        ]
        result.append(
            PanelReading(
                panel=reading.panel,
                backend=reading.backend,
                lines=[line for line in lines if line.words],
                width=reading.width,
                height=reading.height,
                dpi=reading.dpi,
            )
        )
    return result


def judge(images, readings):
    fields = extract_fields(readings, Application())
    typography = measure_warning_typography(images, readings, fields, None)
    return warning_text(fields, typography), typography


@pytest.fixture(scope="module")
def clean():
    return read(spec_for_seed(SEED))


def test_clean_statement_leaves_no_unread_ink_and_passes(clean) -> None:
    images, readings = clean
    result, typography = judge(images, readings)
    assert result.outcome is Outcome.PASS, result.message
    assert typography.unread_ink is not None


def test_numeral_printed_but_not_reported_is_review(clean) -> None:
    images, readings = clean
    result, typography = judge(images, without_word(readings, "(2)"))
    assert typography.unread_ink, "the unreported (2) is ink no word covers"
    assert result.outcome is Outcome.REVIEW, result.message
    assert "'(2)' could not be read" in result.message


def test_numeral_not_printed_fails() -> None:
    spec = spec_for_seed(SEED)
    body = spec.warning_body.replace("(2) Consumption", "Consumption")
    images, readings = read(replace(spec, warning_body=body))
    result, _ = judge(images, readings)
    assert result.outcome is Outcome.FAIL, result.message
    assert "'(2)' is missing" in result.message
