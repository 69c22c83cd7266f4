"""Read the warning's doubtful words again, one place at a time.

After a reading, some required words of the warning are in doubt: read as a
fragment ("nancy"), with confusable glyphs ("(T)" for "(1)"), or not at all
(a word under a rule, a "(1)" the page layout skipped, a header on a line of
its own). Each such place is cut out of the panel (between the words read
on either side, or at the end of a line; in a frame turned and levelled to
read left to right, `frame.py`, and cut into the lines it holds), scaled up and
recognised again on its own: by the second engine, by Tesseract when
that did not read it, and by both again with the rules crossing it painted
out when neither did.

A re-read replaces what was read there only when it is the required text
(case, punctuation, spacing and glyphs OCR cannot tell apart, such as l/I/1
and O/0, aside). Anything else leaves the doubt as it was,
so the check still says "review": a changed or missing word is never read
into existence, and a doubt is never turned into a failure here.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import cv2
import numpy as np
from PIL import Image

from verifier.engine.extraction.warning_alignment import (
    WARNING_WORDS,
    Step,
    align,
    pieces_from_words,
)
from verifier.engine.frame import frame_of, same_line
from verifier.engine.ink import rules_painted_out
from verifier.engine.models import Box, LabelFields, PanelReading, Word
from verifier.engine.ocr import rapid
from verifier.engine.ocr.tesseract import read_fragment
from verifier.engine.place_text import NEIGHBOUR_CHARACTERS, as_words, squeezed, without_neighbours
from verifier.engine.rules.word_diff import uncertain_steps

MAX_PLACES = 12  # doubtful places re-read per statement; more means the reading failed
_PAD = 0.25  # of a letter height, around a place
# A line of print and a little room: ascenders to descenders are about one
# word-box height.
_LINE_BAND = 1.5
# Lines in a gap: centres at least this far apart (lines are set 1.1-1.5 word-box
# heights apart), each at least this far inside the crop (a part line at the edge is
# a neighbour's), with at least this share of the most inked line's ink.
_PITCH = 0.8
_EDGE = 0.45
_FULL_LINE = 0.6


@dataclass(frozen=True)
class _Run:
    """Consecutive alignment steps in doubt: one place on the label to read again."""

    first: int
    last: int

    def steps(self, steps: Sequence[Step]) -> Sequence[Step]:
        return steps[self.first : self.last + 1]

    def required(self, steps: Sequence[Step]) -> str:
        return " ".join(word for step in self.steps(steps) for word in step.expected)

    def read_words(self, steps: Sequence[Step]) -> list[Word]:
        return [word for step in self.steps(steps) for word in step.found_words]


def _runs(indices: Sequence[int]) -> list[_Run]:
    runs: list[_Run] = []
    for index in sorted(indices):
        if runs and runs[-1].last == index - 1:
            runs[-1] = _Run(runs[-1].first, index)
        else:
            runs.append(_Run(index, index))
    return runs


def reread_doubtful_words(
    images: Sequence[Image.Image],
    readings: list[PanelReading],
    fields: LabelFields,
    *,
    deadline: float | None = None,
) -> list[PanelReading] | None:
    """`readings` with the warning's doubtful words read again where that found the
    required text; None when nothing changed."""
    header, body = fields.warning_header, fields.warning_body
    statement = body or header
    if statement is None or statement.panel >= len(images):
        return None
    panel = statement.panel
    words = [
        word
        for part in (header, body)
        if part is not None and part.panel == panel
        for word in part.words
        if word.box is not None
    ]
    if len(words) < 4:
        return None
    # Against the whole text, header included: a header not read is a place to look.
    steps = align(pieces_from_words(words), WARNING_WORDS).steps
    # Doubtful words, and words said to be missing: reading one in its place
    # refutes "missing" as surely as it settles a doubt.
    deleted = {index for index, step in enumerate(steps) if step.op == "delete"}
    runs = _runs(sorted(set(uncertain_steps(steps)) | deleted))[:MAX_PLACES]
    if not runs:
        return None
    reading = next(
        r
        for r in readings
        if r.panel == panel and any(w is words[0] for line in r.lines for w in line.words)
    )
    frame = frame_of(np.asarray(images[panel].convert("RGB")), words)
    height, width = images[panel].height, images[panel].width
    framed = {id(word): frame.to_frame(word.box, width, height) for word in words}  # type: ignore[arg-type]
    letter = statistics.median(box.height for box in framed.values())
    column = (min(b.left for b in framed.values()), max(b.left + b.width for b in framed.values()))
    places = [(run, place) for run in runs for place in _places(steps, run, framed, column, letter)]
    if not places:
        return None
    # A gap between two lines read may hold several lines (a side strip's justified
    # columns nobody read): each is recognised on its own, their words joined.
    cut = [_lines(_crop(frame.rgb, place, letter), letter) for _, place in places]
    by_second_engine = iter(rapid.recognise_images([c for lines in cut for c in lines],
                                                   deadline=deadline))  # fmt: skip
    found: dict[_Run, list[Word]] = {}
    for (run, place), lines in zip(places, cut, strict=True):
        first_try = [next(by_second_engine) for _ in lines]
        if run in found:
            continue
        required = squeezed(run.required(steps))
        edges = (_neighbour(steps, run.first, -1), _neighbour(steps, run.last, +1))
        # The second engine first; Tesseract alone on the piece when it did not read it;
        # then both again with the rules across the piece painted out, if it has any.
        text, confidence = _joined(first_try)
        said = without_neighbours(text, required, *edges)
        if said is None:
            text, confidence = _joined(_by_tesseract(lines, deadline))
            said = without_neighbours(text, required, *edges)
        painted = [rules_painted_out(c) for c in lines] if said is None else []
        if any(piece is not None for piece in painted):
            cleared = [
                c if piece is None else piece for c, piece in zip(lines, painted, strict=True)
            ]
            for recognise in (_by_second_engine, _by_tesseract):
                text, confidence = _joined(recognise(cleared, deadline))
                said = without_neighbours(text, required, *edges)
                if said is not None:
                    break
        if said:
            found[run] = [
                Word(word, round(100 * confidence, 1), frame.to_panel(box, width, height))
                for word, box in as_words(said, run.required(steps).split(), place)
            ]
    if not found:
        return None
    return [_rewritten(r, steps, found) if r is reading else r for r in readings]


def _neighbour(steps: Sequence[Step], index: int, direction: int) -> Word | None:
    position = index + direction
    while 0 <= position < len(steps):
        words = steps[position].found_words
        if words:
            return words[-1] if direction < 0 else words[0]
        position += direction
    return None


def _places(
    steps: Sequence[Step],
    run: _Run,
    framed: dict[int, Box],
    column: tuple[int, int],
    letter: float,
) -> list[Box]:
    """Where the run's required words should be printed, in the frame: where they were
    read, widened to the words on either side; or, not read at all, the gap between
    those words, the lines between them, or the ends of their lines."""
    before, after = _neighbour(steps, run.first, -1), _neighbour(steps, run.last, +1)
    b = framed.get(id(before)) if before is not None else None
    a = framed.get(id(after)) if after is not None else None
    read = [framed[id(word)] for word in run.read_words(steps) if id(word) in framed]
    if read:
        left = min(box.left for box in read)
        top = min(box.top for box in read)
        right = max(box.left + box.width for box in read)
        bottom = max(box.top + box.height for box in read)
        here = Box(left, top, right - left, bottom - top)
        # Required words no reading has before or after those read ("(1) A" under a
        # rule, before "ccording") may be on the same line, up to its ends.
        unread_before, unread_after = _unread_ends(run.steps(steps))
        left = column[0] if unread_before else left
        right = column[1] if unread_after else right
        if b is not None and same_line(b, here):
            left = b.left + b.width
        if a is not None and same_line(here, a):
            right = a.left
        return [Box(left, top, max(1, right - left), bottom - top)]
    if b is not None and a is not None and same_line(b, a):
        # Into the ends of the words either side, which a reading may have stretched
        # over the place ("(AcCording" read over "(1) According"): a re-read may
        # catch a few of their letters (`without_neighbours`).
        left = b.left + b.width - _into(b, before)
        right = a.left + _into(a, after)
        return [Box(left, b.top, max(1, right - left), b.height)]
    places = []
    if b is not None and a is not None and a.top - (b.top + b.height) > 0.8 * letter:
        # Whole lines between the words read (one crossed by a rule, say).
        gap_top = b.top + b.height
        places.append(Box(column[0], gap_top, column[1] - column[0], a.top - gap_top))
    if b is not None:  # the rest of the line after the last word read
        places.append(Box(b.left + b.width, b.top, max(1, column[1] - b.left - b.width), b.height))
    if a is not None:  # the start of the line before the next word read
        places.append(Box(column[0], a.top, max(1, a.left - column[0]), a.height))
        if b is None:  # a header on a line of its own above the body
            places.append(
                Box(column[0], round(a.top - 1.6 * letter), column[1] - column[0], a.height)
            )
    return [place for place in places if place.width >= 0.8 * letter]


def _unread_ends(steps: Sequence[Step]) -> tuple[bool, bool]:
    """Whether required words come before the first step read, and after the last."""
    read = [index for index, step in enumerate(steps) if step.found_words]
    return bool(read) and read[0] > 0, bool(read) and read[-1] < len(steps) - 1


def _into(box: Box, word: Word | None) -> int:
    """As far into a word's box as its last (or first) `NEIGHBOUR_CHARACTERS`
    characters reach, up to half the word."""
    characters = max(1, len(word.text)) if word is not None else 1
    return round(min(NEIGHBOUR_CHARACTERS * box.width / characters, box.width / 2))


def _crop(rgb: np.ndarray, box: Box, letter: float) -> np.ndarray:
    pad = round(_PAD * letter)
    top, left = max(0, box.top - pad), max(0, box.left - pad)
    bottom = min(rgb.shape[0], box.top + box.height + pad)
    right = min(rgb.shape[1], box.left + box.width + pad)
    if bottom <= top or right <= left:
        return np.zeros((8, 8, 3), dtype=np.uint8)
    return np.ascontiguousarray(rgb[top:bottom, left:right])


def _lines(crop: np.ndarray, letter: float) -> list[np.ndarray]:
    """The crop cut into the lines of print it holds, top to bottom, each a band of
    one line: the engines read one line at a time. The gap between two lines read
    takes in the edges of both; a part line at the crop's edge is left out."""
    band = round(_LINE_BAND * letter)
    if crop.shape[0] <= band + 2:
        return [crop]
    gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY).astype(np.float32)
    ink = np.abs(gray - float(np.median(gray))).sum(axis=1)
    inked = np.convolve(ink, np.ones(max(1, round(letter))), mode="same")
    edge = round(_EDGE * letter)
    centres: list[int] = []
    for row in np.argsort(inked)[::-1]:
        if inked[row] < _FULL_LINE * inked.max():
            break
        inside = edge <= row <= crop.shape[0] - edge
        if inside and all(abs(row - centre) >= _PITCH * letter for centre in centres):
            centres.append(int(row))
    if not centres:  # no whole line inside: the most inked band
        centres = [int(np.argmax(inked))]
    centres.sort()
    half = band // 2
    bounds = [0, *((a + b) // 2 for a, b in pairwise(centres)), crop.shape[0]]
    return [
        np.ascontiguousarray(crop[max(centre - half, top) : min(centre + half, bottom)])
        for centre, (top, bottom) in zip(centres, pairwise(bounds), strict=True)
    ]


def _by_second_engine(
    crops: Sequence[np.ndarray], deadline: float | None
) -> list[tuple[str, float]]:
    return rapid.recognise_images(crops, deadline=deadline)


def _by_tesseract(crops: Sequence[np.ndarray], deadline: float | None) -> list[tuple[str, float]]:
    return [read_fragment(crop, deadline=deadline) for crop in crops]


def _joined(readings: Sequence[tuple[str, float]]) -> tuple[str, float]:
    """Lines read one by one as one text, with the least confidence among them."""
    texts = [text for text, _ in readings if text]
    return " ".join(texts), min((c for text, c in readings if text), default=0.0)


def _rewritten(
    reading: PanelReading, steps: Sequence[Step], found: dict[_Run, list[Word]]
) -> PanelReading:
    """The reading with each re-read place's words put in: in place of what was read
    there, or beside the word read next to the place."""
    replaced = {id(word): run for run in found for word in run.read_words(steps)}
    after_word: dict[int, _Run] = {}  # put the run's words right after this word
    before_word: dict[int, _Run] = {}  # ... or right before this one
    for run in found:
        if run.read_words(steps):
            continue
        previous, following = _neighbour(steps, run.first, -1), _neighbour(steps, run.last, +1)
        if previous is not None:
            after_word[id(previous)] = run
        elif following is not None:
            before_word[id(following)] = run
    emitted: set[_Run] = set()
    lines = []
    for line in reading.lines:
        words: list[Word] = []
        for word in line.words:
            run = replaced.get(id(word))
            if run is not None:
                if run not in emitted:
                    emitted.add(run)
                    words.extend(found[run])
                continue
            if id(word) in before_word:
                words.extend(found[before_word[id(word)]])
            words.append(word)
            if id(word) in after_word:
                words.extend(found[after_word[id(word)]])
        lines.append(replace(line, words=tuple(words)))
    return replace(reading, lines=lines)
