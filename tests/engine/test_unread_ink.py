"""A required word OCR did not report: printed and unread, or not printed at all?

The image decides: `typography.unread_ink` lists ink no read word covers, and
`warning_text` calls a word missing only where there is none.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from labelgen import render_label, spec_for_seed
from labelgen.studio import studio_label
from verifier.engine import verify_label
from verifier.engine.extraction import extract_fields
from verifier.engine.extraction.warning_alignment import align, pieces_from_words
from verifier.engine.images import load_image
from verifier.engine.models import (
    Application,
    Box,
    Line,
    Outcome,
    PanelReading,
    Word,
    intersects,
    union_of,
)
from verifier.engine.ocr import get_backend
from verifier.engine.rules.warning_statement import warning_text
from verifier.engine.rules.word_diff import classify
from verifier.engine.typography import measure_warning_typography, unread_ink

# A clean spirits label, and the same label printed without "(2)".
SEED = 201
FONTS = "/usr/share/fonts/truetype/dejavu"


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


def _framed_block(rows: list[str]) -> Image.Image:
    """Rows of text inside a hairline frame drawn a little askew, as a photographed
    label's border runs (about half a degree: no straight run stays in one pixel row)."""
    face = ImageFont.truetype(f"{FONTS}/DejaVuSans.ttf", 26)
    image = Image.new("L", (1100, 80 + 40 * len(rows)), 255)
    draw = ImageDraw.Draw(image)
    for index, row in enumerate(rows):
        draw.text((60, 40 + 40 * index), row, font=face, fill=0)
    right, bottom = image.width - 20, image.height - 15
    draw.line(
        [(20, 12), (right, 20), (right - 2, bottom), (22, bottom - 8), (20, 12)], fill=0, width=2
    )
    return image


def test_a_frame_around_the_statement_is_no_unread_ink() -> None:
    """A frame is one blob of ink as large as the statement: taken for unread text, it
    covers every place a missing word could be, and no word is ever found missing.
    Long straight runs of ink are frames and rules, not words; the words stay."""
    image = _framed_block(
        ["GOVERNMENT WARNING: (1) According to the", "Surgeon General, women should not drink"]
    )
    reading = get_backend("tesseract").read(image, panel=0, deadline=None)
    words = [word for line in reading.lines for word in line.words]
    gray = np.array(image)

    assert unread_ink(gray, words, words) == ()
    dropped = next(word for word in words if word.text == "Surgeon")
    unread = unread_ink(gray, words, [word for word in words if word is not dropped])
    assert unread and all(intersects(blob, dropped.box) for blob in unread), unread


def test_words_dropped_from_the_end_of_a_framed_side_strip_are_missing() -> None:
    """Studio seed 9000029 prints the warning down a framed side strip without its last
    five words. Both engines read up to 'machinery.'; with the frame taken for unread
    ink and the strip's letters measured along their words, the end stayed 'could not
    be read'. Down the column after the last word there is no ink: missing."""
    label = studio_label(9000029, ("warning_body_not_bold", "warning_text"))

    wording = verify_label(label.panels, label.application).check("warning_text")

    assert wording.outcome is Outcome.FAIL, wording.message
    assert "'and may cause health problems.' is missing" in wording.message


def _laid_out(rows: list[str], skipped: int) -> tuple[list[Word], Box]:
    """The warning's words in `rows`, 30 px letters, 15 px per character, one row 40 px
    under another; the words of row `skipped` left out, and the box of its ink."""
    words, unread = [], None
    for row, text in enumerate(rows):
        left, top = 20, 100 + 40 * row
        for token in text.split():
            box = Box(left, top, 15 * len(token), 30)
            if row == skipped:
                unread = union_of([unread, box])
            else:
                words.append(Word(token, 96.0, box))
            left += 15 * (len(token) + 1)
    assert unread is not None
    return words, unread


def test_a_line_unread_before_a_word_the_missing_run_ends_with_is_no_missing_line() -> None:
    """Studio seed 10000158 (compliant): a hairline through the line 'the risk of birth
    defects. (2) Consumption' and no reading made it out. Read 'because of / of
    alcoholic', the alignment matched the second 'of' to 'risk of' and put the missing
    run after it, between 'of' and 'alcoholic' on one line, with no room: 'missing',
    confirmed by a second reading that did the same. The run might as well end before
    that 'of', where the unread line is: it could not be read."""
    rows = [
        "GOVERNMENT WARNING: (1) According to the Surgeon General,",
        "women should not drink alcoholic",
        "beverages during pregnancy because of",
        "the risk of birth defects. (2) Consumption",
        "of alcoholic beverages impairs your ability",
        "to drive a car or operate machinery, and",
        "may cause health problems.",
    ]
    words, unread = _laid_out(rows, skipped=3)

    differences = classify(align(pieces_from_words(words)).steps, unread_ink=[unread])

    assert differences and all(d.kind == "unclear" for d in differences), differences
