"""Read the label again with the second engine where the first reading did not settle it.

The second engine's detector finds every text line on a panel. A line the
first reading (Tesseract) covered with clearly read words is settled; every
other line (missed, garbled, or the evidence of a check in doubt) is
recognised again by the second engine, and its words replace the first
reading's there. What comes out is a reading of the whole label in which
everything that was in doubt has been read independently, and which knows
the text-like regions neither engine could read (`PanelReading.unread`).
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from verifier.engine.backends import Backend
from verifier.engine.models import (
    Box,
    Check,
    Line,
    Outcome,
    PanelReading,
    Word,
    centre_in,
    intersects,
    union_of,
)
from verifier.engine.ocr import rapid
from verifier.engine.ocr.rapid import DetectedLine
from verifier.engine.ocr.side_strips import with_side_strip_turned
from verifier.engine.ocr.tesseract import read_region
from verifier.engine.reading_order import in_reading_order, joined_pieces, row_slope
from verifier.engine.second_look import claims_absence

# A detected line is settled by the first reading when its words cover most
# of the line and every one of them was read this clearly.
SETTLED_CONFIDENCE = 90.0
SETTLED_COVERAGE = 0.7
# An unread region this long for its height could hold a few characters:
# a statement may hide in it. Shorter ones are marks and flourishes.
UNREAD_ASPECT = 2.5
# A line read with less confidence than this was not really made out.
LEGIBLE_CONFIDENCE = 70.0
# Room left at either end of a line read again, in letter heights. A figure gets a
# digit's width and more: a digit the first reading lost at the end of its box
# ("50 mL" of "750 mL", studio seed 12000141) must be in the second engine's crop,
# or it loses it too and "confirms" the misreading.
_LETTER_REACH = 0.3
_FIGURE_REACH = 1.0
_MARKERS = re.compile(r"\(\s*\d\s*\)")
_SKIPPED_LINE = 0.8  # a gap this many line heights between lines of evidence holds a line


def reread(
    images: Sequence[Image.Image],
    first: Sequence[PanelReading],
    questioned: Sequence[Check],
    *,
    everything: bool = False,
    deadline: float | None = None,
) -> list[PanelReading]:
    """Each panel as the second engine reads it where `first` is not settled.

    `questioned` are the checks in doubt: the lines their evidence covers are
    read again even when they look settled. With `everything`, every line is
    read again (a statement said to be missing is looked for afresh).
    """
    focus: dict[int, list[Box]] = {}
    for check in questioned:
        for item in check.evidence:
            if item.box is not None:
                focus.setdefault(item.panel, []).append(item.box)
    skipped = any(_skips_a_line(reading, focus.get(reading.panel, [])) for reading in first)
    if not everything and not skipped and all(_pinned(check) for check in questioned):
        # Only failures that point at their evidence: read those lines, nothing more.
        return [
            _reread_lines(
                np.asarray(images[reading.panel].convert("RGB")),
                reading,
                focus.get(reading.panel, []),
                deadline=deadline,
            )
            for reading in first
        ]
    return [
        _reread_panel(
            np.asarray(images[reading.panel].convert("RGB")),
            reading,
            focus.get(reading.panel, []),
            everything=everything,
            deadline=deadline,
        )
        for reading in first
    ]


def _pinned(check: Check) -> bool:
    """A failure that says where on the label it is. (A doubt, or words said to be
    missing, are read afresh on the whole panel: what is in question may be
    printed elsewhere, unread.)"""
    return (
        check.outcome is Outcome.FAIL
        and any(item.box is not None for item in check.evidence)
        and not claims_absence(check)
    )


def _skips_a_line(reading: PanelReading, evidence: Sequence[Box]) -> bool:
    """Whether evidence over several lines leaves a line's room between two of them
    where the first reading read nothing: a line it missed, which a statement read
    across it skipped ("Atlantic Vine Imports" and "Product of Mexico" taken for the
    bottler over "Chicago, IL", studio seed 24000031); read again, it would be again."""
    for box in evidence:
        rows = sorted(
            (line.box for line in reading.lines if line.box and intersects(line.box, box)),
            key=lambda row: row.top,
        )
        for above, below in itertools.pairwise(rows):
            gap = below.top - (above.top + above.height)
            if gap >= _SKIPPED_LINE * min(above.height, below.height):
                return True
    return False


def _reread_lines(
    rgb: np.ndarray, first: PanelReading, focus: Sequence[Box], *, deadline: float | None
) -> PanelReading:
    """The first reading with the lines under `focus` recognised again by the second engine.

    The lines are the first reading's own (no detection): cheap, and enough
    to confirm or refute a failure that says where it is.
    """
    started = time.monotonic()
    lines = [
        line
        for line in first.lines
        if line.box is not None and any(intersects(line.box, box) for box in focus)
    ]
    if not lines:
        return replace(first, backend=rapid.NAME, seconds=0.0)
    regions = [
        _as_detected(row, _FIGURE_REACH if _has_figure(line) else _LETTER_REACH)
        for line in lines
        for row in _rows(line)
    ]
    read = rapid.recognise(rgb, regions, deadline=deadline)
    # Every line re-read replaces the first reading's, read or not: keeping the first
    # reading's words where the second engine read nothing would only repeat them.
    new_lines = [Line(line.words, line.box, source=rapid.NAME) for line in read if line]
    return PanelReading(
        panel=first.panel,
        backend=rapid.NAME,
        lines=in_reading_order(_outside(first.lines, regions) + new_lines),
        width=first.width,
        height=first.height,
        dpi=first.dpi,
        seconds=time.monotonic() - started,
    )


def _rows(line: Line) -> list[list[Box]]:
    """The rows a line's words stand in (their boxes): the whole line, unless words
    read again in the lines around it were put into it (`fragments`), a header above
    or a row Tesseract skipped. Each row is recognised on its own: the engine reads
    one line at a time."""
    assert line.box is not None
    placed = [word.box for word in line.words if word.box is not None]
    if all(centre_in(box, line.box) for box in placed):
        return [placed]
    rows: list[list[Box]] = []
    for box in sorted(placed, key=lambda b: b.top + b.height / 2):
        row = rows[-1] if rows else None
        if row is not None and box.top + box.height / 2 < max(b.top + b.height for b in row):
            row.append(box)
        else:
            rows.append([box])
    return rows


def _has_figure(line: Line) -> bool:
    """A line with a figure in it, other than the warning's "(1)" and "(2)"."""
    return any(char.isdigit() for char in _MARKERS.sub("", line.text))


def _as_detected(row: Sequence[Box], reach: float) -> DetectedLine:
    """A row of words as the detector would give its line: a little room around the
    letters (`reach` of their height at either end), along the row's slope. A panel
    photographed 2 degrees off square tilts a long line by more than its height: its
    upright box holds parts of the lines above and below, and the engine reads the
    mixture as nonsense."""
    box = union_of(row)
    assert box is not None
    letters = min(box.width, box.height)  # across the line, however it runs
    pad_x, pad_y = letters * reach, letters * 0.15
    if box.height > 1.5 * box.width:  # a sideways line
        pad_x, pad_y = pad_y, pad_x
    slope = row_slope(row) if box.width > box.height else 0.0
    if not slope:
        left, right = box.left - pad_x, box.left + box.width + pad_x
        top, bottom = box.top - pad_y, box.top + box.height + pad_y
        quad = [[left, top], [right, top], [right, bottom], [left, bottom]]
        return DetectedLine(np.array(quad, np.float32), box)
    # Each word's box is its letters' height plus the rise along its width.
    letters = float(np.median([max(b.height - abs(slope) * b.width, b.height / 2) for b in row]))
    half = letters / 2 + letters * 0.15
    x_mid = float(np.mean([b.left + b.width / 2 for b in row]))
    y_mid = float(np.mean([b.top + b.height / 2 for b in row]))
    left, right = box.left - letters * reach, box.left + box.width + letters * reach
    y_left, y_right = y_mid + slope * (left - x_mid), y_mid + slope * (right - x_mid)
    quad = [[left, y_left - half], [right, y_right - half], [right, y_right + half],
            [left, y_left + half]]  # fmt: skip
    return DetectedLine(np.array(quad, np.float32), box)


def _reread_panel(
    rgb: np.ndarray,
    first: PanelReading,
    focus: Sequence[Box],
    *,
    everything: bool,
    deadline: float | None,
) -> PanelReading:
    started = time.monotonic()
    detected = with_side_strip_turned(
        rgb, first.lines, rapid.detect(rgb, deadline=deadline), deadline=deadline
    )
    words = [word for line in first.lines for word in line.words if word.box is not None]
    todo = [
        line
        for line in detected
        if everything
        or not _settled(line, words)
        or any(intersects(line.box, box) for box in focus)
    ]
    read = rapid.recognise(rgb, todo, deadline=deadline)
    new_lines: list[Line] = []
    replaced: list[DetectedLine] = []
    unread: list[Box] = []
    for found, line in zip(todo, read, strict=True):
        before = [word for word in words if _inside(word, found)]
        questioned = any(intersects(found.box, box) for box in focus)
        if line is not None and _mean_confidence(line) >= LEGIBLE_CONFIDENCE:
            new_lines.append(Line(line.words, line.box, source=rapid.NAME))
            replaced.append(found)
        elif (
            not questioned
            and before
            and _mean_confidence(Line(tuple(before))) >= LEGIBLE_CONFIDENCE
        ):
            continue  # the second engine could not read what the first did: keep the first
        else:
            if line is not None:  # a weak reading is still a trace of the text
                new_lines.append(Line(line.words, line.box, source=rapid.NAME))
            if line is not None or questioned:
                # A check's evidence the second engine could not read is not read
                # again by keeping the first reading's words: that only repeats them.
                replaced.append(found)
            if _long(found):
                unread.append(found.box)
    # What the first reading read in the questioned places and the detector found
    # no line in is not repeated either.
    kept = _without(_outside(first.lines, replaced), focus)
    return PanelReading(
        panel=first.panel,
        backend=rapid.NAME,
        lines=in_reading_order(kept + joined_pieces(new_lines)),
        width=first.width,
        height=first.height,
        dpi=first.dpi,
        seconds=time.monotonic() - started,
        unread=tuple(unread),
    )


def _mean_confidence(line: Line) -> float:
    return sum(word.confidence for word in line.words) / max(len(line.words), 1)


def _long(line: DetectedLine) -> bool:
    box = line.box
    return max(box.width, box.height) >= UNREAD_ASPECT * max(1, min(box.width, box.height))


def _inside(word: Word, line: DetectedLine) -> bool:
    """Whether the word's centre lies in the detected line's quadrilateral.

    Not its upright box: a long line on a panel photographed 2 degrees off
    square has an upright box that takes in the neighbouring lines' words.
    """
    assert word.box is not None
    centre = (word.box.left + word.box.width / 2, word.box.top + word.box.height / 2)
    return cv2.pointPolygonTest(line.quad, centre, False) >= 0


def _settled(line: DetectedLine, words: Sequence[Word]) -> bool:
    """Whether clearly read words of the first reading cover the detected line."""
    inside = [word for word in words if _inside(word, line)]
    if not inside or min(word.confidence for word in inside) < SETTLED_CONFIDENCE:
        return False
    box = line.box
    sideways = box.height > box.width
    covered = sum(
        (word.box.height if sideways else word.box.width)  # type: ignore[union-attr]
        for word in inside
    )
    return covered >= SETTLED_COVERAGE * (box.height if sideways else box.width)


def _outside(lines: Sequence[Line], regions: Sequence[DetectedLine]) -> list[Line]:
    """The first reading's lines without the words that fall in re-read regions."""
    kept = _dropping(lines, lambda word: any(_inside(word, region) for region in regions))
    return [replace(line, source=Backend.TESSERACT) for line in kept]


def _without(lines: Sequence[Line], places: Sequence[Box]) -> list[Line]:
    """`lines` without the words whose centre lies in one of `places`."""
    return _dropping(
        lines,
        lambda word: any(centre_in(word.box, place) for place in places),  # type: ignore[arg-type]
    )


def _dropping(lines: Sequence[Line], dropped: Callable[[Word], bool]) -> list[Line]:
    """`lines` without their placed words that are `dropped`; lines left empty go."""
    kept = []
    for line in lines:
        words = tuple(word for word in line.words if word.box is None or not dropped(word))
        if words:
            kept.append(Line(words, union_of(w.box for w in words), source=line.source))
    return kept


def reread_regions(
    images: Sequence[Image.Image],
    base: Sequence[PanelReading],
    checks: Sequence[Check],
    *,
    deadline: float | None = None,
) -> list[PanelReading]:
    """`base` with the evidence of `checks` read again by Tesseract another way
    (`tesseract.read_region`): a third look where the first two disagree."""
    regions: dict[int, list[Box]] = {}
    for check in checks:
        for item in check.evidence:
            if item.box is not None:
                regions.setdefault(item.panel, []).append(_padded(item.box))
    result = []
    for reading in base:
        boxes = _merged(regions.get(reading.panel, []))
        if not boxes:
            result.append(reading)
            continue
        rgb = np.asarray(images[reading.panel].convert("RGB"))
        lines = [
            Line(line.words, line.box, Backend.TESSERACT)
            for box in boxes
            for line in read_region(rgb, box, deadline=deadline)
        ]
        result.append(
            replace(
                reading,
                backend=Backend.TESSERACT,
                lines=in_reading_order(_without(reading.lines, boxes) + lines),
            )
        )
    return result


def _padded(box: Box) -> Box:
    """A little room around evidence: a line's height along it, for letters lost at its
    ends, and a quarter of one across it (a tall box is several lines). More would take
    in the feet of the line above, which Tesseract reads as a line of noise and loses
    the evidence's own words in ('750' at 28 % under 'ALC. 46% BY VOL.', studio seed
    23000074, and at 96 % without them)."""
    line = min(box.height, 60)
    pad_y = max(6, line // 4)
    pad_x = max(6, line)
    return Box(box.left - pad_x, box.top - pad_y, box.width + 2 * pad_x, box.height + 2 * pad_y)


def _merged(boxes: list[Box]) -> list[Box]:
    """Overlapping boxes as one."""
    merged: list[Box] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.left)):
        for index, other in enumerate(merged):
            if intersects(box, other):
                merged[index] = union_of([box, other])  # type: ignore[assignment]
                break
        else:
            merged.append(box)
    return merged
