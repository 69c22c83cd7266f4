"""A side strip's lines found with the strip turned, the second engine run for real."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from labelgen.studio.fonts import font
from verifier.engine.models import Box, Line, Word
from verifier.engine.ocr import rapid
from verifier.engine.ocr.side_strips import with_side_strip_turned

STRIP = [
    "GOVERNMENT WARNING: (1) According to the Surgeon General,",
    "women should not drink alcoholic beverages during pregnancy",
    "because of the risk of birth defects. (2) Consumption of",
    "alcoholic beverages impairs your ability to drive a car or",
]


def _label() -> tuple[np.ndarray, Box]:
    """A level line of print, and beside it four lines running up a side strip."""
    image = Image.new("RGB", (1000, 960), (40, 80, 60))
    draw = ImageDraw.Draw(image)
    draw.text((60, 380), "Alcohol 13% by volume", font=font("DejaVu Sans", False, 34),
              fill=(240, 230, 200))  # fmt: skip
    strip = Image.new("RGB", (900, 170), (40, 80, 60))
    lines = ImageDraw.Draw(strip)
    for row, text in enumerate(STRIP):
        lines.text((10, 8 + 40 * row), text, font=font("DejaVu Sans", False, 24),
                   fill=(240, 230, 200))  # fmt: skip
    image.paste(strip.rotate(90, expand=True), (780, 30))
    return np.asarray(image), Box(780, 30, 170, 900)


def test_a_side_strips_lines_are_found_whole_with_the_strip_turned() -> None:
    rgb, where = _label()
    # What the first reading made of the strip: enough to say it is sideways text.
    first = [Line((Word("GOVERNMENT", 90.0, where),), where)]
    found = with_side_strip_turned(rgb, first, rapid.detect(rgb))
    read = [line.text for line in rapid.recognise(rgb, found) if line is not None]
    squeezed = {text.replace(" ", "").lower() for text in read}
    for text in STRIP:
        assert text.replace(" ", "").lower() in squeezed, (text, read)
    assert any("13%" in text for text in read)  # level print is found as before


def test_a_panel_read_with_no_sideways_line_is_detected_as_it_is() -> None:
    rgb, _ = _label()
    level = Box(60, 380, 400, 40)
    detected = rapid.detect(rgb)
    assert with_side_strip_turned(rgb, [Line((Word("Alcohol", 95.0, level),), level)],
                                  detected) == detected  # fmt: skip
