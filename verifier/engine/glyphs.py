"""How heavy capital letters are, letter by letter: to compare the warning's
header with the same capitals in its body, like with like."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from verifier.engine.ink import letters_ink, stroke_width
from verifier.engine.models import Word
from verifier.engine.reading_order import reads_upward


@dataclass(frozen=True)
class GlyphWeights:
    """Two weights per capital letter, by letter; and the small letters' coverage.

    `strokes`: stroke width in pixels. `coverage`: the share of the letter's
    own box its ink covers, a weight relative to the letter's height and
    width: a heavy condensed capital is narrow with thick stems, so it covers
    as much of its box as a heavy wide one, where its stroke width alone can
    measure little above a wide regular face's.
    """

    strokes: dict[str, list[float]] = field(default_factory=dict)
    coverage: dict[str, list[float]] = field(default_factory=dict)
    # The coverage of every full-height blob of words in capitals, letter known or
    # not: letters that touch, and words read off a side strip (whose letter order
    # the box does not tell), still show how heavy the capitals are.
    capital_blobs: list[float] = field(default_factory=list)
    # The coverage of each small x-height letter ("a", "e", "o" …) of upright words
    # whose letters can be told apart: `small_letter_coverage`.
    small_letters: list[float] = field(default_factory=list)


def letter_weights(gray: np.ndarray, words: Sequence[Word]) -> GlyphWeights:
    """Stroke widths and ink coverage of capital letters, by letter, and the coverage
    of small letters, from words whose letters can be told apart (one ink blob per
    letter). Each word's ink is taken once for all of them.

    Capitals are drawn with heavier stems than small letters of the same
    weight, and round letters measure differently from straight ones: the
    header and the body are therefore compared glyph by glyph, the header's
    G and A against the body's ("General", "According"), like with like.
    """
    weights = GlyphWeights()
    upward = reads_upward(words)
    for word in words:
        letters = [char for char in word.text if char.isalpha()]
        if word.box is None or not letters:
            continue
        sideways = word.box.height > word.box.width and len(letters) > 1
        mask = letters_ink(gray, word.box, sideways=sideways)
        if mask is None or min(mask.shape) < 4:
            continue
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        # A sideways word's letters lie side by side, first to last unless it reads
        # upward; which way is known only from the words before and after it.
        ordered = letters
        if sideways:
            ordered = [] if upward is None else letters[::-1] if upward else letters
        weights.small_letters.extend(_small_letter_shares(ordered, count, stats))
        if count < 2:
            continue
        tallest = stats[1:, cv2.CC_STAT_HEIGHT].max()
        if all(letter.isupper() for letter in letters):
            weights.capital_blobs.extend(
                float(stats[i, cv2.CC_STAT_AREA] / (stats[i, cv2.CC_STAT_WIDTH] * height))
                for i in range(1, count)
                if (height := stats[i, cv2.CC_STAT_HEIGHT]) >= 0.8 * tallest
            )
        blobs = sorted(
            (i for i in range(1, count) if stats[i, cv2.CC_STAT_HEIGHT] >= 0.6 * tallest),
            key=lambda i: stats[i, cv2.CC_STAT_LEFT],
        )
        if not ordered or len(blobs) != len(ordered):
            continue  # which blob is which letter is not known
        for letter, blob in zip(ordered, blobs, strict=True):
            if not letter.isupper() or stats[blob, cv2.CC_STAT_HEIGHT] < 0.8 * tallest:
                continue
            stroke = stroke_width((labels == blob).astype(np.uint8))
            if stroke is None:
                continue
            weights.strokes.setdefault(letter, []).append(stroke)
            weights.coverage.setdefault(letter, []).append(_coverage(stats, blob))
    return weights


def _coverage(stats: np.ndarray, blob: int) -> float:
    """The share of its own box a blob's ink covers."""
    width, height = stats[blob, cv2.CC_STAT_WIDTH], stats[blob, cv2.CC_STAT_HEIGHT]
    return float(stats[blob, cv2.CC_STAT_AREA] / (width * height))


def same_glyph_ratio(header: dict[str, list[float]], body: dict[str, list[float]]) -> float | None:
    """Header measure over body measure for the capitals both have, or None without any."""
    shared = [
        statistics.median(header[letter]) / statistics.median(body[letter])
        for letter in header.keys() & body.keys()
    ]
    return statistics.median(shared) if shared else None


# Small letters of the x-height with no dot or ascender: their ink share of their own
# box says how heavy the face is, whatever its width.
_X_HEIGHT_LETTERS = frozenset("acemnorsuvwxz")
# Fewer letters than this and one odd blob moves the median.
MIN_SMALL_LETTERS = 20


def small_letter_coverage(weights: GlyphWeights) -> float | None:
    """The median share of its own box that each small x-height letter's ink covers;
    None when fewer than `MIN_SMALL_LETTERS` were measured.

    Regular faces cover 0.39-0.50 of their letters' boxes, bold ones 0.52-0.77,
    narrow or wide: a light bold, whose strokes per em are a regular face's, still
    fills its letters.
    """
    shares = weights.small_letters
    return statistics.median(shares) if len(shares) >= MIN_SMALL_LETTERS else None


def _small_letter_shares(letters: Sequence[str], count: int, stats: np.ndarray) -> list[float]:
    """The coverage of a word's small x-height letters, when each letter is one blob."""
    blobs = sorted(
        (i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] > 4),
        key=lambda i: stats[i, cv2.CC_STAT_LEFT],
    )
    if not letters or len(blobs) != len(letters):
        return []  # letters that touch, or a letter in pieces: which is which is not known
    return [
        _coverage(stats, blob)
        for letter, blob in zip(letters, blobs, strict=True)
        if letter in _X_HEIGHT_LETTERS
    ]
