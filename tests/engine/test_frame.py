"""The warning's frame: levelled only when the photo tilts it."""

from __future__ import annotations

import numpy as np
import pytest

from labelgen.studio import studio_label
from verifier.engine import Outcome, verify_label
from verifier.engine.frame import frame_of
from verifier.engine.models import Box, Word


def _row(slope: float) -> list[Word]:
    """Three lines of eight 120 px words, each line rising `slope` per pixel."""
    return [
        Word("word", 95.0, Box(40 + 140 * i, round(100 + 40 * line + slope * 140 * i), 120, 24))
        for line in range(3)
        for i in range(8)
    ]


@pytest.mark.parametrize(("slope", "levelled"), [(0.0, False), (0.0096, False), (0.03, True)])
def test_a_statement_is_levelled_only_when_tilted_by_a_degree_or_more(
    slope: float, levelled: bool
) -> None:
    """Studio seed 1000112: an untilted side strip measured 0.0096 (words' centres
    wander by a pixel or two); turning it by half a degree for nothing cut its
    crossed line crooked. Photos tilted 1-3 degrees measure 0.017-0.052."""
    frame = frame_of(np.full((300, 1300, 3), 255, np.uint8), _row(slope))
    assert (frame.level is not None) is levelled
    if levelled:
        assert frame.slope == pytest.approx(slope, abs=0.002)


def _strip_read_upward() -> list[Word]:
    """Columns of four words read bottom to top, left column first, and a last column
    of one word: the statement's first and last words are level."""
    words = []
    for column, count in enumerate((4, 4, 1)):
        for i in range(count):
            words.append(Word("word", 95.0, Box(40 + 40 * column, 700 - 140 * (i + 1), 24, 120)))
    return words


def test_a_side_strip_is_turned_by_the_way_its_columns_read() -> None:
    """Studio seed 8000028: a warning up a side strip began and ended level with each
    other ("problems." alone in the last column). Told by its first and last words
    alone it read downwards, was turned upside down, and re-reading its doubtful words
    read nothing. The words that follow each other up one column tell."""
    frame = frame_of(np.full((800, 300, 3), 255, np.uint8), _strip_read_upward())
    assert frame.turn == 90


def test_doubtful_words_up_a_side_strip_are_read_again_the_right_way_up() -> None:
    label = studio_label(8000028)  # compliant; "(1)", "According", "Surgeon" under a rule

    wording = verify_label(label.panels, label.application).check("warning_text")

    assert wording.outcome is Outcome.PASS, wording.message
