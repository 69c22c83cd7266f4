"""Where a missing word would be printed, on a line and up or down a side strip."""

from __future__ import annotations

from dataclasses import replace

from verifier.engine.models import Box, Word
from verifier.engine.rules.word_positions import (
    Column,
    follows,
    no_ink_where_it_would_be,
    room_between,
)

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


def test_words_follow_each_other_down_or_up_a_side_strip() -> None:
    """Studio seed 10000187 adds 'serious' after 'cause' down a side strip: both engines
    read it surely, but on boxes one above the other it did not continue its line, so
    it was 'unclear' and never confirmed."""
    cause = _down_the_side("cause", 400)
    serious = _down_the_side("serious", 400 + 18 * 5 + 15)
    next_column = Word("health", 95.0, Box(60, 100, 30, 108))

    assert follows(cause, serious)
    assert follows(serious, cause)  # read upwards
    assert not follows(serious, next_column)


def test_room_for_a_missing_word_is_measured_down_a_side_strip() -> None:
    cause = _down_the_side("cause", 400)
    health = _down_the_side("health", 400 + 18 * 5 + 15)

    assert not room_between(cause, health, "serious")
    assert room_between(cause, replace(health, box=Box(100, 640, 30, 108)), "serious")


def test_a_statement_that_stops_short_may_go_on_at_the_start_of_the_next_line() -> None:
    """Studio seed 10000041: a reading stopped at 'may', the end of a line; the rest,
    'cause health problems.', starts the next line, unread. Only the rest of the line
    after 'may' was looked at (the label's border, one blob around everything, used to
    hide that): 'missing'. The next line is where a statement goes on."""
    may = Word("may", 95.0, Box(900, 300, 45, 20))
    next_line = Box(80, 326, 150, 20)

    assert not no_ink_where_it_would_be(may, None, "cause health problems.", [next_line])
    assert no_ink_where_it_would_be(may, None, "cause health problems.", [Box(80, 400, 150, 20)])
    first = Word("According", 95.0, Box(80, 326, 150, 20))
    assert not no_ink_where_it_would_be(None, first, "(1)", [Box(900, 300, 45, 20)])


def test_a_frame_around_a_statement_that_stops_short_is_not_its_lost_words() -> None:
    """Studio seeds 23000001 and 23000151 end the warning at 'machinery.': 'and may cause
    health problems.' is not printed. Both engines read every other word clearly, but
    the dashes of the label's border, at either end of the next line, and the pieces
    of the tilted rule boxing the warning, just under it, were taken for unread words."""
    machinery = Word("machinery.", 96.0, Box(440, 1095, 197, 44))
    column = Column(102, 804, 44)  # where the warning's lines were read across
    border = [Box(861, 1104, 4, 16), Box(862, 1129, 4, 17), Box(57, 1128, 3, 16)]
    rule = [Box(773, 1167, 17, 2), Box(799, 1166, 16, 3)]
    unread_line = Box(300, 1150, 60, 30)

    assert not no_ink_where_it_would_be(machinery, None, MISSING, border + rule)
    assert no_ink_where_it_would_be(machinery, None, MISSING, border + rule, column)
    assert not no_ink_where_it_would_be(machinery, None, MISSING, [unread_line], column)
    next_word = Box(650, 1100, 60, 30)  # unread, beside 'machinery.' on its line
    assert not no_ink_where_it_would_be(machinery, None, MISSING, [next_word], column)
