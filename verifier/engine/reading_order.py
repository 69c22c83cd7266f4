"""The order a person reads a panel's lines in, from where they are printed.

Engines report lines in their own order: Tesseract by its page layout, the
second engine's detector top to bottom, left to right, which interleaves
side-by-side columns. Extraction gathers statements across lines (the
warning, a bottler's name over two lines), so the lines are put back in
reading order: blocks (columns, paragraphs) top to bottom, then the lines
printed sideways in the order they are read.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from verifier.engine.extraction.normalize import fold_token
from verifier.engine.models import Box, Line, Word, centre_in, union_of

# Photos are turned by a few degrees at most; a steeper row of words is no line.
_STEEPEST_TILT = 0.1
# Pieces of one line are set in type within this ratio of heights.
_SAME_TYPE = 1.4


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


def row_slope(row: Sequence[Box]) -> float:
    """The rise per pixel of a row of words' boxes (0 when it cannot be told: a word or
    two close together, or a rise too steep for a photo's tilt)."""
    xs = np.array([b.left + b.width / 2 for b in row], float)
    ys = np.array([b.top + b.height / 2 for b in row], float)
    if len(row) < 3 or np.ptp(xs) < 4 * float(np.median([b.height for b in row])):
        return 0.0
    slope = float(np.polyfit(xs, ys, 1)[0])
    return slope if abs(slope) <= _STEEPEST_TILT else 0.0


def in_reading_order(lines: Sequence[Line]) -> list[Line]:
    """Lines grouped into blocks (columns, paragraphs), blocks top to bottom, then the
    lines printed sideways (a side strip), in the order they are read.

    A line joins a block when it lies within the block's width and sits on
    its last row or right under it, in type of a similar size; side-by-side
    columns therefore stay whole instead of interleaving line by line, and a
    line the detector cut in pieces (a justified line's wide spaces) is read
    left to right.
    """
    boxed = [line for line in lines if line.box is not None and not _repeated(line, lines)]
    upright = sorted(_placed([line for line in boxed if not _runs_sideways(line)]), key=_top_of)
    sideways = [line for line in boxed if _runs_sideways(line)]
    blocks: list[list[list[_Placed]]] = []  # block -> rows -> pieces
    for piece in upright:
        home: tuple[list[list[_Placed]], bool] | None = None
        home_gap = float("inf")
        above: list[list[list[_Placed]]] = []  # blocks whose last row the piece is right under
        for block in blocks:
            left = min(other.left for row in block for other in row)
            right = max(other.right for row in block for other in row)
            overlap = min(piece.right, right) - max(piece.left, left)
            row = block[-1]
            row_top, row_bottom = _extent(row)
            row_height = statistics.median(p.height for p in row)
            if overlap <= 0.3 * min(piece.right - piece.left, right - left):
                continue
            if not 0.6 <= piece.height / max(row_height, 1) <= 1.6:
                continue
            shared = _shared((piece.top, piece.bottom), (row_top, row_bottom))
            gap = piece.top - row_bottom
            if shared >= 0.5 * min(piece.height, row_height):
                if abs(gap) < home_gap:
                    home, home_gap = (block, True), abs(gap)
            elif -0.5 * row_height <= gap <= 1.2 * row_height:
                above.append(block)
                if gap < home_gap:
                    home, home_gap = (block, False), gap
        if home is None:
            blocks.append([[piece]])
        elif home[1]:
            home[0][-1].append(piece)
        else:
            _join_pieces_of_one_row(home[0], above, blocks)
            home[0].append([piece])
    heights = sorted(piece.height for piece in upright)
    band = 3 * heights[len(heights) // 2] if heights else 1
    ordered = [
        piece.line
        for block in _blocks_in_order(blocks, band)
        for row in block
        for piece in sorted(row, key=lambda piece: piece.left)
    ]
    unboxed = [line for line in lines if line.box is None]
    return ordered + _sideways_order(sideways) + unboxed


def joined_pieces(lines: Sequence[Line]) -> list[Line]:
    """Upright lines the detector cut apart at a wide space ("12 FL." | "OZ.") as one:
    pieces of type of one size on one row, a letter's height apart at most. A
    statement is read within a line; its pieces apart are no statement."""
    joined: list[Line] = []
    for line in sorted(lines, key=lambda line: (line.box is None, _left_of(line))):
        home = next((other for other in joined if _continues(other, line)), None)
        if home is None:
            joined.append(line)
            continue
        words = home.words + line.words
        joined[joined.index(home)] = Line(words, union_of([home.box, line.box]), home.source)
    return joined


def _left_of(line: Line) -> int:
    return line.box.left if line.box is not None else 0


def _continues(before: Line, after: Line) -> bool:
    """Whether `after` goes on the row `before` ends, a letter's height on at most."""
    first, second = before.box, after.box
    if first is None or second is None or _runs_sideways(before) or _runs_sideways(after):
        return False
    height = min(first.height, second.height)
    if max(first.height, second.height) > _SAME_TYPE * height:
        return False
    shared = _shared(
        (first.top, first.top + first.height), (second.top, second.top + second.height)
    )
    gap = second.left - (first.left + first.width)
    return shared >= 0.6 * height and -0.2 * height <= gap <= height


def sideways_in_order(lines: Sequence[Line]) -> list[Line]:
    """The upright lines as they are, then the lines printed sideways in the order they
    are read (`_sideways_order`): a pass over a panel lists a side strip's columns
    in the order it found them, which need not be the order they are read in."""
    lines = [line for line in lines if not _repeated(line, lines)]
    sideways = [line for line in lines if _runs_sideways(line)]
    if not sideways:
        return lines
    return [line for line in lines if not _runs_sideways(line)] + _sideways_order(sideways)


def _repeated(line: Line, lines: Sequence[Line]) -> bool:
    """Whether `line` is words another, longer line read in the same place already: a
    piece of a justified line read again on its own ("and" between wide spaces) would
    be read twice, and the warning "adds" it. (Tesseract's upright pass read that
    "and", three letters, too few for `passes.is_vertical`, so the sideways line of
    the turned pass did not displace it. Here any reading's repeats go, the second
    engine's too.)"""
    if line.box is None:
        return False
    for other in lines:
        if other is line or other.box is None or len(other.words) <= len(line.words):
            continue
        if centre_in(line.box, other.box) and all(
            any(_same_word_over(word, theirs) for theirs in other.words) for word in line.words
        ):
            return True
    return False


def _same_word_over(word: Word, other: Word) -> bool:
    """The same word read over the same place."""
    if word.box is None or other.box is None or fold_token(word.text) != fold_token(other.text):
        return False
    return centre_in(word.box, other.box) or centre_in(other.box, word.box)


def _join_pieces_of_one_row(
    home: list[list[_Placed]],
    above: list[list[list[_Placed]]],
    blocks: list[list[list[_Placed]]],
) -> None:
    """A line right under several blocks spans them: those of one row are pieces of
    one line the detector cut apart ("GOVERNMENT" | "WARNING:" over the warning's
    next line). Such one-row blocks join `home`'s last row, read left to right."""
    row = home[-1]
    row_top, row_bottom = _extent(row)
    for block in above:
        if block is home or len(block) != 1:
            continue
        top, bottom = _extent(block[0])
        if _shared((top, bottom), (row_top, row_bottom)) >= 0.5 * min(
            bottom - top, row_bottom - row_top
        ):
            row.extend(block[0])
            blocks.remove(block)


def _extent(row: list[_Placed]) -> tuple[float, float]:
    """Top and bottom of a row of pieces."""
    return min(p.top for p in row), max(p.bottom for p in row)


def _shared(first: tuple[float, float], second: tuple[float, float]) -> float:
    """How much of their height two (top, bottom) spans share; negative when apart."""
    return min(first[1], second[1]) - max(first[0], second[0])


def _blocks_in_order(blocks: list[list[list[_Placed]]], band: float) -> list[list[list[_Placed]]]:
    """Blocks top to bottom; blocks that begin within `band` of each other side by side,
    left to right. The band starts at its first block, so two pieces of one line
    ("GOVERNMENT" and "WARNING:", a pixel apart) never fall on either side of it.
    A block printed across one already in the band is under it, not beside it (a
    header in small type over the warning's lines in large: the band of three lines'
    height took in the bottler's lines above, and the warning was read first)."""
    by_top = sorted(blocks, key=lambda block: block[0][0].top)
    ordered: list[list[list[_Placed]]] = []
    while by_top:
        start = by_top[0][0][0].top
        side_by_side: list[list[list[_Placed]]] = []
        below: list[list[list[_Placed]]] = []
        for block in by_top:
            beside = block[0][0].top < start + band and not any(
                _across(block, other) for other in side_by_side
            )
            (side_by_side if beside else below).append(block)
        by_top = below
        ordered.extend(sorted(side_by_side, key=lambda block: min(p.left for p in block[0])))
    return ordered


def _across(first: list[list[_Placed]], second: list[list[_Placed]]) -> bool:
    """Whether two blocks share much of their width: one is printed over the other."""
    spans = [
        (min(p.left for row in block for p in row), max(p.right for row in block for p in row))
        for block in (first, second)
    ]
    (left, right), (other_left, other_right) = spans
    shared = min(right, other_right) - max(left, other_left)
    return shared > 0.3 * min(right - left, other_right - other_left)


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
    # A line of one word does not say which way it runs.
    voters = [line for line in lines if len(line.words) > 1]
    downwards = sum(_reads_downwards(line) for line in voters) > len(voters) / 2
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


def reads_upward(words: Sequence[Word]) -> bool | None:
    """Whether the sideways words read bottom to top: by the words that follow each
    other down or up one column. None when no two such words tell."""
    boxes = [w.box for w in words if w.box is not None and w.box.height > w.box.width]
    votes = 0
    for before, after in pairwise(boxes):
        shared = min(before.left + before.width, after.left + after.width)
        shared -= max(before.left, after.left)
        if shared > min(before.width, after.width) / 2:
            votes += 1 if after.top < before.top else -1
    return None if votes == 0 else votes > 0


def _runs_sideways(line: Line) -> bool:
    box = line.box
    letters = sum(char.isalnum() for char in line.text)
    return box is not None and letters >= 3 and box.height > 1.5 * box.width


def _reads_downwards(line: Line) -> bool:
    """A sideways line whose first word sits above its last: turned clockwise."""
    first, last = line.words[0].box, line.words[-1].box
    return first is not None and last is not None and first.top < last.top
