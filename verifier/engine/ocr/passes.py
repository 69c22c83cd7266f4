"""Two Tesseract passes over one panel, compared line by line: the more
confident reading of each line wins (`best_lines`), and a pass with the panel
turned adds the text printed sideways (`merge_readings`)."""

from __future__ import annotations

import numpy as np

from verifier.engine.models import Line, share_inside

CONFIDENT_LINE = 70.0


def line_confidence(line: Line) -> float:
    return float(np.mean([word.confidence for word in line.words])) if line.words else 0.0


def is_vertical(line: Line) -> bool:
    """A line of several letters in a tall, narrow box: text printed sideways.

    Tesseract sometimes reads such text in the upright pass, but splits and
    orders its lines badly; a pass with the panel turned reads it properly.
    """
    letters = sum(ch.isalnum() for ch in line.text)
    return line.box is not None and letters >= 4 and line.box.height > 1.5 * line.box.width


def _is_confident(line: Line) -> bool:
    has_word = any(sum(ch.isalnum() for ch in word.text) >= 3 for word in line.words)
    return has_word and line_confidence(line) >= CONFIDENT_LINE


# Two lines whose boxes each lie this much inside the other are one line read twice.
_SAME_PLACE = 0.7


def _placed(line: Line, lines: list[Line]) -> bool:
    """Whether `line`, or a line at its place, is among `lines`."""
    return any(
        other == line
        or (
            share_inside(other.box, line.box) > _SAME_PLACE
            and share_inside(line.box, other.box) > _SAME_PLACE
        )
        for other in lines
    )


# A reading of a whole line beats a confident fragment of it unless it is this much less sure.
_WHOLE_LINE_MARGIN = 5.0


def _letters(line: Line) -> int:
    return sum(ch.isalnum() for ch in line.text)


def _part_of(part: Line, whole: Line) -> bool:
    return share_inside(part.box, whole.box) > _SAME_PLACE and _letters(whole) > _letters(part)


def _reads_better(other: Line, line: Line) -> bool:
    """Whether `other`, a reading at the same place, is the better reading of `line`:
    the more confident one, except that the whole of a line beats a fragment of it
    ("GOVERNMENT WARNING: (1) According to the" over "ccording to the") unless it
    is clearly less sure."""
    if _part_of(line, other):
        return line_confidence(other) >= line_confidence(line) - _WHOLE_LINE_MARGIN
    if _part_of(other, line):
        return line_confidence(other) > line_confidence(line) + _WHOLE_LINE_MARGIN
    return line_confidence(other) > line_confidence(line)


def best_lines(first: list[Line], second: list[Line]) -> list[Line]:
    """Line by line, the more confident of two readings of the same panel.

    Lines only the second reading found are kept when they are confident and
    cover nothing the first read; the order is the first reading's, with the
    second's additions after.
    """
    result: list[Line] = []
    for line in first:
        twins = [
            other
            for other in second
            if share_inside(other.box, line.box) > 0.3 or share_inside(line.box, other.box) > 0.3
        ]
        # A line already in the result (or one at its place: the same line, read by
        # the other pass and brought in by a neighbour) is there once.
        better = [other for other in twins if not _placed(other, result)]
        if better and all(_reads_better(other, line) for other in better):
            result.extend(better)
        elif not _placed(line, result):
            result.append(line)
    result.extend(
        line
        for line in second
        if _is_confident(line)
        and line not in result
        and not any(share_inside(line.box, other.box) > 0.1 for other in first)
    )
    return result


def merge_readings(upright: list[Line], turned: list[Line]) -> list[Line]:
    """Upright lines, with confident sideways lines from a turned pass added.

    A turned pass only contributes text that runs sideways on the panel (its
    box is tall and narrow): horizontal text it re-read, or garbage it made
    of it, never displaces a confident upright reading. Upright lines the
    sideways text covers (junk, or Tesseract's own shaky vertical reading)
    give way, however many of its lines they run across: the upright pass reads
    a strip's letters as rows of junk ("Oey oe ear") that would count as text
    nobody could read. Returns `upright` itself when the turned pass adds nothing.
    """
    solid = [line for line in upright if _is_confident(line) and not is_vertical(line)]
    kept = [
        line
        for line in turned
        if _is_confident(line)
        and is_vertical(line)
        and not any(share_inside(line.box, other.box) > 0.3 for other in solid)
    ]
    if not kept:
        return upright
    remaining = []
    for line in upright:
        shares = [(share_inside(line.box, other.box), other) for other in kept]
        under = [other for share, other in shares if share > 0]
        covered = sum(share for share, _ in shares)
        read_better = is_vertical(line) or any(
            line_confidence(line) < line_confidence(other) for other in under
        )
        if covered <= 0.3 or not read_better:  # the strip's lines did not read it better
            remaining.append(line)
    return remaining + kept
