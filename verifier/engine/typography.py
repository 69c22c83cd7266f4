"""Measure how the health warning is printed, for the §16.22 format checks.

Everything is measured on the pixels inside the word boxes OCR reported:

- stroke width: on the binarised word crop, the distance from each ink pixel
  to the background peaks on the stroke's centre line; twice the mean of those
  peaks is the stroke width. Bold type has strokes ~1.6x as wide as regular
  type of the same size.
- letter height: the letters' own height (not the word box, which the turn
  applied to read a skewed or vertical panel can inflate), x-height from
  lowercase words made only of x-height letters ("women", "cause"), capital
  height when the body is set in capitals.
- characters per inch: characters over the width the words occupy.
- unread ink: blobs around the statement that no read word covers, so a
  required word OCR did not report can be told printed-but-unread from absent.
- the alcohol figure's digit height on the same scale, which tells whether a
  scale from image metadata is the print's (`rules.warning_format`).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

import cv2
import numpy as np
from PIL import Image

from verifier.engine.glyphs import letter_weights, same_glyph_ratio, small_letter_coverage
from verifier.engine.ink import crop_ink, stroke_width, without_long_lines
from verifier.engine.models import (
    Box,
    FoundText,
    LabelFields,
    PanelReading,
    WarningTypography,
    Word,
)

MM_PER_INCH = 25.4
X_HEIGHT_LETTERS = frozenset("acemnorsuvwxz")
# Common sans and serif faces: x-height ~0.53 em, capital height ~0.72 em.
# Used only to put header (capitals) and body (lowercase) strokes on one scale.
X_HEIGHT_EM = 0.53
CAP_HEIGHT_EM = 0.72
# How far around the statement unread ink is looked for, in letter heights.
_UNREAD_MARGIN = 3.0
_MAX_BLOBS = 200
# Straight ink longer than this many letter heights is a frame or a rule, not a word.
_LINE_LETTERS = 2.5


def measure_warning_typography(
    images: Sequence[Image.Image],
    readings: Sequence[PanelReading],
    fields: LabelFields,
    dpi: float | None,
) -> WarningTypography:
    """Stroke widths, letter height and density of the warning's words.

    `dpi` is the scale the caller stated; without it, the DPI in the image's
    metadata (carried on the reading); without either, no physical measure.
    """
    grays: dict[int, np.ndarray] = {}

    def gray_of(panel: int) -> np.ndarray:
        """Each panel converted to grayscale once, however many measures use it."""
        if panel not in grays:
            grays[panel] = _gray(images[panel])
        return grays[panel]

    header, body = fields.warning_header, fields.warning_body
    header_stroke = header_height = body_stroke = body_height = None
    if header is not None and header.panel < len(images):
        gray = gray_of(header.panel)
        header_stroke = _median_stroke(gray, header.words)
        header_height = _letter_height(gray, header.words, capitals=True)
    letter_height_px = cpi_px = None
    if body is not None and body.panel < len(images):
        gray = gray_of(body.panel)
        body_stroke = _median_stroke(gray, body.words)
        body_height = _letter_height(gray, body.words, capitals=False)
        body_caps = _letter_height(gray, body.words, capitals=True)
        letter_height_px = body_height or body_caps
        cpi_px = _characters_per_pixel(body.words)
    scale, source = _scale(dpi, readings, body or header)
    letter_height_mm = characters_per_inch = figure_height_mm = None
    if scale is not None:
        if letter_height_px is not None:
            letter_height_mm = letter_height_px / scale * MM_PER_INCH
        if cpi_px is not None:
            characters_per_inch = cpi_px * scale
        figure_height_mm = _alcohol_figure_mm(gray_of, len(images), readings, fields, dpi)
    statement = body or header
    unread = None
    if statement is not None and statement.panel < len(images):
        unread = unread_ink(
            gray_of(statement.panel),
            [word for part in (header, body) if part and part.panel == statement.panel
             for word in part.words],
            [word for reading in readings if reading.panel == statement.panel
             for line in reading.lines for word in line.words],
        )  # fmt: skip
        # Lines a text detector found there that no engine could read count as well.
        unread = tuple(
            [*(unread or ()), *(box for reading in readings if reading.panel == statement.panel
                                for box in reading.unread or ())]
        )  # fmt: skip
    glyph_strokes, glyph_coverage, header_coverage, body_coverage = _glyph_weights(
        gray_of, len(images), header, body
    )
    return WarningTypography(
        unread_ink=unread,
        alcohol_figure_height_mm=figure_height_mm,
        header_stroke_px=header_stroke,
        body_stroke_px=body_stroke,
        letter_height_mm=letter_height_mm,
        characters_per_inch=characters_per_inch,
        scale_source=source,
        same_glyph_ratio=glyph_strokes,
        same_glyph_coverage=glyph_coverage,
        header_coverage=header_coverage,
        body_coverage=body_coverage,
        header_stroke_em=_per_em(header_stroke, header_height, CAP_HEIGHT_EM),
        body_stroke_em=_per_em(body_stroke, body_height, X_HEIGHT_EM)
        or _per_em(body_stroke, letter_height_px, CAP_HEIGHT_EM),
    )


def _glyph_weights(
    gray_of: Callable[[int], np.ndarray],
    panels: int,
    header: FoundText | None,
    body: FoundText | None,
) -> tuple[float | None, float | None, float | None, float | None]:
    """Header over body on the same capitals, by stroke width and by ink coverage;
    the header capitals' own coverage; and the body's small letters' own coverage."""
    heads = bodies = None
    if header is not None and header.panel < panels:
        heads = letter_weights(gray_of(header.panel), header.words)
    if body is not None and body.panel < panels:
        bodies = letter_weights(gray_of(body.panel), body.words)
    header_coverage = (
        statistics.median(heads.capital_blobs) if heads and heads.capital_blobs else None
    )
    body_coverage = small_letter_coverage(bodies) if bodies else None
    if heads is None or bodies is None:
        return None, None, header_coverage, body_coverage
    return (
        same_glyph_ratio(heads.strokes, bodies.strokes),
        same_glyph_ratio(heads.coverage, bodies.coverage),
        header_coverage,
        body_coverage,
    )


def _alcohol_figure_mm(
    gray_of: Callable[[int], np.ndarray],
    panels: int,
    readings: Sequence[PanelReading],
    fields: LabelFields,
    dpi: float | None,
) -> float | None:
    """Height of the alcohol statement's digits in mm, on its own panel's scale."""
    found = fields.alcohol_content
    if found is None or found.panel >= panels:
        return None
    scale, _ = _scale(dpi, readings, found)
    height = _letter_height(gray_of(found.panel), found.words, kind="digits")
    if scale is None or height is None:
        return None
    return height / scale * MM_PER_INCH


def _per_em(stroke: float | None, height: float | None, height_em: float) -> float | None:
    if stroke is None or not height:
        return None
    return stroke / (height / height_em)


def _scale(
    dpi: float | None, readings: Sequence[PanelReading], found: FoundText | None
) -> tuple[float | None, str | None]:
    if dpi:
        return dpi, "caller"
    if found is not None:
        for reading in readings:
            if reading.panel == found.panel and reading.dpi:
                return reading.dpi, "image_metadata"
    return None, None


def _gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def _median_stroke(gray: np.ndarray, words: Sequence[Word]) -> float | None:
    strokes = []
    for word in words:
        if word.box is None or not any(ch.isalpha() for ch in word.text):
            continue
        mask = crop_ink(gray, word.box)
        stroke = stroke_width(mask) if mask is not None else None
        if stroke is not None:
            strokes.append(stroke)
    return statistics.median(strokes) if strokes else None


def _suitable(text: str, kind: str) -> bool:
    letters = text.strip(".,:;()!?\"'%")
    if len(letters) < 2:
        return False
    if kind == "digits":
        return sum(char.isdigit() for char in letters) >= 2
    if not letters.isalpha():
        return False
    return letters.isupper() if kind == "capitals" else set(letters) <= X_HEIGHT_LETTERS


def _letter_height(
    gray: np.ndarray, words: Sequence[Word], *, capitals: bool = False, kind: str | None = None
) -> float | None:
    """Median x-height, capital height or digit height in pixels, from suitable words.

    `kind` is "x_height", "capitals" or "digits" (digits stand as tall as capitals).
    """
    kind = kind or ("capitals" if capitals else "x_height")
    heights = []
    for word in words:
        if word.box is None or not _suitable(word.text, kind):
            continue
        mask = crop_ink(gray, word.box)
        if mask is None:
            continue
        vertical = word.box.height > word.box.width  # read off a side strip
        _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        extent = stats[1:, cv2.CC_STAT_WIDTH if vertical else cv2.CC_STAT_HEIGHT]
        extent = extent[stats[1:, cv2.CC_STAT_AREA] >= 4]
        if extent.size == 0:
            continue
        # Punctuation and i-dots are much shorter than the letters.
        letters_only = extent[extent >= 0.6 * extent.max()]
        heights.append(float(np.median(letters_only)))
    return statistics.median(heights) if heights else None


def _characters_per_pixel(words: Sequence[Word]) -> float | None:
    """Characters per pixel along the line, spaces excluded (§16.22(a)(4))."""
    characters = width = 0
    for word in words:
        if word.box is None:
            continue
        characters += len(word.text)
        width += max(word.box.width, word.box.height) if len(word.text) > 2 else word.box.width
    return characters / width if width else None


def unread_ink(
    gray: np.ndarray, statement: Sequence[Word], read: Sequence[Word]
) -> tuple[Box, ...] | None:
    """Ink blobs around the statement's words that no read word covers.

    The area is the statement's extent widened by a few letter heights along
    its lines (down them on a side strip), so a word dropped at the end of its
    widest line is still inside. Blobs under
    a third of a letter's height (specks, JPEG noise) are left out.
    """
    boxes = [word.box for word in statement if word.box is not None]
    if not boxes:
        return None
    # A side strip's lines run down the panel: its letters are as high as its words are wide.
    on_side = sum(box.height > box.width for box in boxes) > len(boxes) / 2
    letter = statistics.median(box.width if on_side else box.height for box in boxes)
    along_lines = round(_UNREAD_MARGIN * letter)
    across_lines = along_lines // 4
    wide, high = (across_lines, along_lines) if on_side else (along_lines, across_lines)
    left = max(0, min(box.left for box in boxes) - wide)
    top = max(0, min(box.top for box in boxes) - high)
    right = min(gray.shape[1], max(box.left + box.width for box in boxes) + wide)
    bottom = min(gray.shape[0], max(box.top + box.height for box in boxes) + high)
    mask = crop_ink(gray, Box(left, top, right - left, bottom - top))
    if mask is None:
        return None
    pad = max(1, round(0.1 * letter))
    for word in read:
        if word.box is None:
            continue
        box = word.box
        mask[
            max(0, box.top - top - pad) : max(0, box.top - top + box.height + pad),
            max(0, box.left - left - pad) : max(0, box.left - left + box.width + pad),
        ] = 0
    mask = without_long_lines(mask, round(_LINE_LETTERS * letter))
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    blobs = [
        Box(
            int(stats[index, cv2.CC_STAT_LEFT]) + left,
            int(stats[index, cv2.CC_STAT_TOP]) + top,
            int(stats[index, cv2.CC_STAT_WIDTH]),
            int(stats[index, cv2.CC_STAT_HEIGHT]),
        )
        for index in range(1, count)
        if max(stats[index, cv2.CC_STAT_HEIGHT], stats[index, cv2.CC_STAT_WIDTH]) >= letter / 3
    ]
    return tuple(blobs[:_MAX_BLOBS])
