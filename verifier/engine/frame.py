"""The warning's words in a frame that reads left to right and level.

A side strip is turned upright; a statement the photo tilted is levelled, so
the places between the words read (a line no engine made out, the end of a
line) are cut out as straight bands of one line each.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from verifier.engine.models import Box, Word
from verifier.engine.reading_order import reads_upward, row_slope

# A statement tilted less than this (under a degree: a long line rises by less than
# half its height) is read as it stands.
_LEVEL_ENOUGH = 0.015


@dataclass(frozen=True)
class Frame:
    """The panel turned so the statement reads left to right, and levelled when the
    photo tilts it (a long line rises by more than a line's height: the gap between
    two lines read would hold pieces of both); and the way back."""

    rgb: np.ndarray
    turn: int  # 0, 90 (clockwise) or 270
    level: np.ndarray | None = None  # 2x3 affine, turned frame -> levelled frame
    slope: float = 0.0  # the statement's rise per pixel before levelling

    def to_frame(self, box: Box, width: int, height: int) -> Box:
        if self.turn == 90:  # (x, y) -> (H - 1 - y, x)
            box = Box(height - box.top - box.height, box.left, box.height, box.width)
        elif self.turn == 270:  # (x, y) -> (y, W - 1 - x)
            box = Box(box.top, width - box.left - box.width, box.height, box.width)
        if self.level is None:
            return box
        # A tilted word's upright box is its letters' height plus its rise.
        letters = max(box.height - abs(self.slope) * box.width, box.height / 2)
        return _moved(box, self.level, box.width, letters)

    def to_panel(self, box: Box, width: int, height: int) -> Box:
        if self.level is not None:
            tall = box.height + abs(self.slope) * box.width
            box = _moved(box, cv2.invertAffineTransform(self.level), box.width, tall)
        if self.turn == 90:
            return Box(box.top, height - box.left - box.width, box.height, box.width)
        if self.turn == 270:
            return Box(width - box.top - box.height, box.left, box.height, box.width)
        return box


def _moved(box: Box, matrix: np.ndarray, width: float, height: float) -> Box:
    """A box of `width` x `height` around `box`'s centre carried by the affine `matrix`."""
    x, y = matrix @ np.array([box.left + box.width / 2, box.top + box.height / 2, 1.0])
    return Box(round(x - width / 2), round(y - height / 2), round(width), round(height))


def frame_of(rgb: np.ndarray, words: Sequence[Word]) -> Frame:
    """Upright, or turned so a side strip reads left to right; levelled when tilted."""
    sideways = [w for w in words if w.box is not None and w.box.height > 1.5 * w.box.width]
    frame = Frame(rgb, 0)
    if len(sideways) > len(words) / 2:
        # Which way the strip reads, by the words that follow each other up or down a
        # column (the statement's first and last words may end two columns level).
        upward = reads_upward(sideways)
        if upward is None:
            first, last = sideways[0].box, sideways[-1].box
            assert first is not None and last is not None
            upward = first.top > last.top
        if upward:  # reads bottom to top: turn clockwise
            frame = Frame(np.ascontiguousarray(cv2.rotate(rgb, cv2.ROTATE_90_CLOCKWISE)), 90)
        else:
            turned = cv2.rotate(rgb, cv2.ROTATE_90_COUNTERCLOCKWISE)
            frame = Frame(np.ascontiguousarray(turned), 270)
    height, width = rgb.shape[:2]
    boxes = [frame.to_frame(w.box, width, height) for w in words if w.box is not None]
    slope = _statement_slope(boxes)
    if abs(slope) < _LEVEL_ENOUGH:
        return frame
    centre = (
        sum(b.left + b.width / 2 for b in boxes) / len(boxes),
        sum(b.top + b.height / 2 for b in boxes) / len(boxes),
    )
    level = cv2.getRotationMatrix2D(centre, float(np.degrees(np.arctan(slope))), 1.0)
    size = (frame.rgb.shape[1], frame.rgb.shape[0])
    levelled = cv2.warpAffine(frame.rgb, level, size, borderMode=cv2.BORDER_REPLICATE)
    return Frame(levelled, frame.turn, level, slope)


def _statement_slope(boxes: Sequence[Box]) -> float:
    """The median rise per pixel of the statement's lines, from runs of words read
    one after another on one line."""
    runs: list[list[Box]] = []
    for box in boxes:
        if runs and same_line(runs[-1][-1], box):
            runs[-1].append(box)
        else:
            runs.append([box])
    slopes = [slope for run in runs if (slope := row_slope(run))]
    return statistics.median(slopes) if slopes else 0.0


def same_line(first: Box, second: Box) -> bool:
    """Whether `second` stands on `first`'s line, after it."""
    overlap = min(first.top + first.height, second.top + second.height) - max(first.top, second.top)
    return overlap > 0.5 * min(first.height, second.height) and second.left > first.left
