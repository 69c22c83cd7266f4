"""Where a missing word would be printed, on a line and up or down a side strip."""

from __future__ import annotations

from verifier.engine.models import Box, Word
from verifier.engine.rules.word_positions import no_ink_where_it_would_be

MISSING = "and may cause health problems."


def _down_the_side(text: str, top: int) -> Word:
    """A word printed down a side strip: letters 30 px high, 18 px apart."""
    return Word(text, 95.0, Box(100, top, 30, 18 * len(text)))


def test_words_dropped_after_the_last_on_a_side_strip_are_missing_where_no_ink_is() -> None:
    last = _down_the_side("machinery.", 400)
    below = Box(102, 600, 28, 90)  # down the column after it: unread letters

    assert no_ink_where_it_would_be(last, None, MISSING, [])
    assert not no_ink_where_it_would_be(last, None, MISSING, [below])


def test_a_side_strip_read_upwards_has_its_missing_words_above() -> None:
    first = _down_the_side("machinery.", 400)
    above = Box(102, 300, 28, 90)  # up the column from it

    assert not no_ink_where_it_would_be(first, None, MISSING, [above])
    assert no_ink_where_it_would_be(first, None, MISSING, [Box(400, 300, 28, 90)])


def test_an_upright_word_beside_a_sideways_one_is_not_worked_out() -> None:
    upright = Word("machinery.", 95.0, Box(100, 400, 180, 30))

    assert not no_ink_where_it_would_be(upright, _down_the_side("your", 50), MISSING, [])
