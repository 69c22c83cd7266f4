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

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from verifier.engine.models import Box, Check, Line, Outcome, PanelReading, Word, union_of
from verifier.engine.ocr import rapid
from verifier.engine.ocr.rapid import DetectedLine
from verifier.engine.ocr.tesseract import read_region

# A detected line is settled by the first reading when its words cover most
# of the line and every one of them was read this clearly.
SETTLED_CONFIDENCE = 90.0
SETTLED_COVERAGE = 0.7
# An unread region this long for its height could hold a few characters:
# a statement may hide in it. Shorter ones are marks and flourishes.
UNREAD_ASPECT = 2.5
# A line read with less confidence than this was not really made out.
LEGIBLE_CONFIDENCE = 70.0


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
    if not everything and all(_pinned(check) for check in questioned):
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
    return check.outcome is Outcome.FAIL and any(item.box is not None for item in check.evidence)


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
        if line.box is not None and any(_intersects(line.box, box) for box in focus)
    ]
    if not lines:
        return replace(first, backend=rapid.NAME, seconds=0.0)
    regions = [_as_detected(line.box) for line in lines]  # type: ignore[arg-type]
    read = rapid.recognise(rgb, regions, deadline=deadline)
    new_lines = [Line(line.words, line.box, source=rapid.NAME) for line in read if line]
    replaced = [region for region, line in zip(regions, read, strict=True) if line is not None]
    return PanelReading(
        panel=first.panel,
        backend=rapid.NAME,
        lines=in_reading_order(_outside(first.lines, replaced) + new_lines),
        width=first.width,
        height=first.height,
        dpi=first.dpi,
        seconds=time.monotonic() - started,
    )


def _as_detected(box: Box) -> DetectedLine:
    """A line box as the detector would give it: a little room around the letters."""
    pad_x, pad_y = box.height * 0.3, box.height * 0.15
    if box.height > 1.5 * box.width:  # a sideways line
        pad_x, pad_y = pad_y, pad_x
    left, top = box.left - pad_x, box.top - pad_y
    right, bottom = box.left + box.width + pad_x, box.top + box.height + pad_y
    quad = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], np.float32)
    return DetectedLine(quad, box)


def _reread_panel(
    rgb: np.ndarray,
    first: PanelReading,
    focus: Sequence[Box],
    *,
    everything: bool,
    deadline: float | None,
) -> PanelReading:
    started = time.monotonic()
    detected = rapid.detect(rgb, deadline=deadline)
    words = [word for line in first.lines for word in line.words if word.box is not None]
    todo = [
        line
        for line in detected
        if everything
        or not _settled(line, words)
        or any(_intersects(line.box, box) for box in focus)
    ]
    read = rapid.recognise(rgb, todo, deadline=deadline)
    new_lines: list[Line] = []
    replaced: list[DetectedLine] = []
    unread: list[Box] = []
    for found, line in zip(todo, read, strict=True):
        before = [word for word in words if _inside(word, found)]
        if line is not None and _mean_confidence(line) >= LEGIBLE_CONFIDENCE:
            new_lines.append(Line(line.words, line.box, source=rapid.NAME))
            replaced.append(found)
        elif before and _mean_confidence(Line(tuple(before))) >= LEGIBLE_CONFIDENCE:
            continue  # the second engine could not read what the first did: keep the first
        else:
            if line is not None:  # a weak reading is still a trace of the text
                new_lines.append(Line(line.words, line.box, source=rapid.NAME))
                replaced.append(found)
            if _long(found):
                unread.append(found.box)
    kept = _outside(first.lines, replaced)
    return PanelReading(
        panel=first.panel,
        backend=rapid.NAME,
        lines=in_reading_order(kept + new_lines),
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


def _intersects(first: Box, second: Box) -> bool:
    return (
        first.left < second.left + second.width
        and second.left < first.left + first.width
        and first.top < second.top + second.height
        and second.top < first.top + first.height
    )


def _outside(lines: Sequence[Line], regions: Sequence[DetectedLine]) -> list[Line]:
    """The first reading's lines without the words that fall in re-read regions."""
    kept = []
    for line in lines:
        words = tuple(
            word
            for word in line.words
            if word.box is None or not any(_inside(word, region) for region in regions)
        )
        if words:
            kept.append(Line(words, union_of(w.box for w in words), source="tesseract"))
    return kept


@dataclass(frozen=True)
class _Placed:
    """A line's extent with the panel's tilt taken out: a photo a few degrees off square
    gives long lines tall upright boxes that overlap their neighbours'."""

    line: Line
    left: float
    right: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _placed(lines: Sequence[Line]) -> list[_Placed]:
    tilt = _tilt(lines)
    placed = []
    for line in lines:
        box = line.box
        assert box is not None
        centre_y = box.top + box.height / 2 - tilt * (box.left + box.width / 2)
        height = max(4.0, box.height - abs(tilt) * box.width)
        placed.append(
            _Placed(
                line, box.left, box.left + box.width, centre_y - height / 2, centre_y + height / 2
            )
        )
    return placed


def _tilt(lines: Sequence[Line]) -> float:
    """Median dy/dx of upright lines (a photo a little off square tilts them)."""
    return _slope(lines, across=False)


def _slope(lines: Sequence[Line], *, across: bool) -> float:
    """Median slope of the lines, fitted through their words' centres: dy/dx, or dx/dy
    `across` for sideways lines (0 when no line has enough words)."""
    slopes = []
    for line in lines:
        centres = [
            (w.box.left + w.box.width / 2, w.box.top + w.box.height / 2)
            for w in line.words
            if w.box is not None
        ]
        if len(centres) < 3:
            continue
        xs, ys = np.array(centres).T
        run, rise = (ys, xs) if across else (xs, ys)
        if np.ptp(run) > 0:
            slopes.append(float(np.polyfit(run, rise, 1)[0]))
    return statistics.median(slopes) if slopes else 0.0


def in_reading_order(lines: Sequence[Line]) -> list[Line]:
    """Lines grouped into blocks (columns, paragraphs), blocks top to bottom, then the
    lines printed sideways (a side strip), in the order they are read.

    A line joins a block when it lies within the block's width and sits on
    its last row or right under it, in type of a similar size; side-by-side
    columns therefore stay whole instead of interleaving line by line, and a
    line the detector cut in pieces (a justified line's wide spaces) is read
    left to right.
    """
    boxed = [line for line in lines if line.box is not None]
    upright = sorted(_placed([line for line in boxed if not _runs_sideways(line)]), key=_top_of)
    sideways = [line for line in boxed if _runs_sideways(line)]
    blocks: list[list[list[_Placed]]] = []  # block -> rows -> pieces
    for piece in upright:
        home: tuple[list[list[_Placed]], bool] | None = None
        home_gap = float("inf")
        for block in blocks:
            left = min(other.left for row in block for other in row)
            right = max(other.right for row in block for other in row)
            overlap = min(piece.right, right) - max(piece.left, left)
            row = block[-1]
            row_top, row_bottom = min(p.top for p in row), max(p.bottom for p in row)
            row_height = statistics.median(p.height for p in row)
            if overlap <= 0.3 * min(piece.right - piece.left, right - left):
                continue
            if not 0.6 <= piece.height / max(row_height, 1) <= 1.6:
                continue
            shared = min(piece.bottom, row_bottom) - max(piece.top, row_top)
            gap = piece.top - row_bottom
            if shared >= 0.5 * min(piece.height, row_height):
                if abs(gap) < home_gap:
                    home, home_gap = (block, True), abs(gap)
            elif -0.5 * row_height <= gap <= 1.2 * row_height and gap < home_gap:
                home, home_gap = (block, False), gap
        if home is None:
            blocks.append([[piece]])
        elif home[1]:
            home[0][-1].append(piece)
        else:
            home[0].append([piece])
    heights = sorted(piece.height for piece in upright)
    band = 3 * heights[len(heights) // 2] if heights else 1
    blocks.sort(key=lambda block: (block[0][0].top // band, min(p.left for p in block[0])))
    ordered = [
        piece.line
        for block in blocks
        for row in block
        for piece in sorted(row, key=lambda piece: piece.left)
    ]
    unboxed = [line for line in lines if line.box is None]
    return ordered + _sideways_order(sideways) + unboxed


def _top_of(placed: _Placed) -> float:
    return placed.top


def _sideways_order(lines: list[Line]) -> list[Line]:
    """Sideways lines column by column. Text turned to read bottom to top has its next
    line to the right and reads each column upwards; turned the other way, the reverse.

    Columns are told apart across the lines' own slant (a photo a little off
    square slants them), so two pieces of one line stay one column.
    """
    if not lines:
        return []
    downwards = sum(_reads_downwards(line) for line in lines) > len(lines) / 2
    slope = _slope(lines, across=True)
    thickness = statistics.median(
        word.box.width for line in lines for word in line.words if word.box is not None
    )

    def across(line: Line) -> float:
        box = line.box
        assert box is not None
        return box.left + box.width / 2 - slope * (box.top + box.height / 2)

    columns: list[list[Line]] = []
    for line in sorted(lines, key=across):
        if columns and across(line) - across(columns[-1][-1]) < 0.5 * thickness:
            columns[-1].append(line)
        else:
            columns.append([line])
    if downwards:
        columns.reverse()
    ordered = []
    for column in columns:
        column.sort(key=lambda line: line.box.top, reverse=not downwards)  # type: ignore[union-attr]
        ordered.extend(column)
    return ordered


def _runs_sideways(line: Line) -> bool:
    box = line.box
    letters = sum(char.isalnum() for char in line.text)
    return box is not None and letters >= 3 and box.height > 1.5 * box.width


def _reads_downwards(line: Line) -> bool:
    """A sideways line whose first word sits above its last: turned clockwise."""
    first, last = line.words[0].box, line.words[-1].box
    return first is not None and last is not None and first.top < last.top


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
            Line(line.words, line.box, "tesseract")
            for box in boxes
            for line in read_region(rgb, box, deadline=deadline)
        ]
        kept = [
            Line(words, union_of(w.box for w in words), source=line.source)
            for line in reading.lines
            if (
                words := tuple(
                    word
                    for word in line.words
                    if word.box is None or not any(_centre_in(word.box, box) for box in boxes)
                )
            )
        ]
        result.append(
            replace(
                reading,
                backend="tesseract",
                lines=in_reading_order(kept + lines),
            )
        )
    return result


def _padded(box: Box) -> Box:
    """A little room around evidence: half a line (a tall box is several lines)."""
    line = min(box.height, 60)
    pad_y = max(6, line // 2)
    pad_x = max(6, line)
    return Box(box.left - pad_x, box.top - pad_y, box.width + 2 * pad_x, box.height + 2 * pad_y)


def _merged(boxes: list[Box]) -> list[Box]:
    """Overlapping boxes as one."""
    merged: list[Box] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.left)):
        for index, other in enumerate(merged):
            if _intersects(box, other):
                merged[index] = union_of([box, other])  # type: ignore[assignment]
                break
        else:
            merged.append(box)
    return merged


def _centre_in(inner: Box, outer: Box) -> bool:
    x, y = inner.left + inner.width / 2, inner.top + inner.height / 2
    return (
        outer.left <= x <= outer.left + outer.width and outer.top <= y <= outer.top + outer.height
    )
