"""Lines put back in the order a person reads them, from where they are printed."""

from __future__ import annotations

import pytest

from verifier.engine.extraction.net_contents import parse_net_contents_text
from verifier.engine.models import Box, Line, Word
from verifier.engine.reading_order import in_reading_order, joined_pieces, sideways_in_order


def _line(text: str, left: int, top: int, *, height: int = 20, sideways: bool = False) -> Line:
    words, offset = [], 0
    for token in text.split():
        size = 10 * len(token)
        if sideways:  # reads bottom to top: the first word lowest
            box = Box(left, top - offset - size, height, size)
        else:
            box = Box(left + offset, top, size, height)
        words.append(Word(token, 95.0, box))
        offset += size + 10
    boxes = [word.box for word in words]
    union = Box(
        min(b.left for b in boxes),
        min(b.top for b in boxes),
        max(b.left + b.width for b in boxes) - min(b.left for b in boxes),
        max(b.top + b.height for b in boxes) - min(b.top for b in boxes),
    )
    return Line(tuple(words), union)


def _texts(lines: list[Line]) -> list[str]:
    return [line.text for line in in_reading_order(lines)]


def test_side_by_side_columns_stay_whole() -> None:
    """The detector reads row by row; the warning's column must not take in the
    bottler's column beside it (an approved label read "GENERAL, LUIGI & GIOVANNI")."""
    rows = [
        _line("GOVERNMENT WARNING: (1) ACCORDING", 10, 100),
        _line("LUIGI & GIOVANNI", 600, 102),
        _line("TO THE SURGEON GENERAL, WOMEN", 10, 125),
        _line("PRODUCED AND BOTTLED BY", 600, 127),
    ]
    assert _texts(rows) == [
        "GOVERNMENT WARNING: (1) ACCORDING",
        "TO THE SURGEON GENERAL, WOMEN",
        "LUIGI & GIOVANNI",
        "PRODUCED AND BOTTLED BY",
    ]


def test_a_line_cut_at_its_wide_spaces_reads_left_to_right() -> None:
    pieces = [  # a justified column: full lines span the column's width
        _line("of the risk of birth defects. (2) Consumption", 10, 100),
        _line("ability to", 420, 126),
        _line("impairs your", 220, 124),
        _line("alcoholic beverages", 10, 122),
        _line("drive a car", 10, 148),
    ]
    assert _texts(pieces) == [
        "of the risk of birth defects. (2) Consumption",
        "alcoholic beverages",
        "impairs your",
        "ability to",
        "drive a car",
    ]


def test_a_statement_the_detector_cut_at_a_wide_space_is_one_line_again() -> None:
    """The second engine's detector cut "12 FL. OZ." after "FL.": neither piece is a
    net contents statement (a compliant 355 mL can was in doubt, 14000032). Pieces
    further apart than a letter's height, or in type of another size, stay apart."""
    pieces = [
        _line("OZ.", 90, 101),  # "12 FL." ends at x=80: 10 px on, a row's height 20
        _line("12 FL.", 10, 100),
        _line("Imported by", 300, 100),  # another column, far to the right
        _line("EST.", 10, 160, height=40),
        _line("1887", 60, 162, height=20),  # small type beside large
    ]
    joined = joined_pieces(pieces)
    assert [line.text for line in joined] == ["12 FL. OZ.", "EST.", "1887", "Imported by"]
    assert joined[0].box == Box(10, 100, 110, 21)
    assert parse_net_contents_text(joined[0].text) == pytest.approx(354.9, abs=0.1)


def test_a_word_read_again_on_its_own_over_a_line_that_holds_it_is_read_once() -> None:
    """A justified side strip's "and", between wide spaces, came out of Tesseract both in
    its line and as a line of its own: both engines then read the warning "adding"
    'and', a fail confirmed on a word printed once (16000117). The same word elsewhere
    is another word."""
    column = _line("machinery, and may cause health", 900, 900, sideways=True)
    again = _line("and", 901, 791, sideways=True)  # over the column's own "and"
    elsewhere = _line("and", 960, 791, sideways=True)  # the next column's
    for ordered in (in_reading_order, sideways_in_order):
        kept = ordered([column, again, elsewhere])
        assert len(kept) == 2 and column in kept and elsewhere in kept


def test_a_side_strip_read_bottom_to_top_comes_after_the_panel_column_by_column() -> None:
    lines = [
        _line("WARNING: (1) According", 900, 700, sideways=True),
        _line("Brand", 100, 50, height=60),
        _line("GOVERNMENT", 900, 900, sideways=True),
        _line("General, women should", 925, 900, sideways=True),
    ]
    assert _texts(lines) == [
        "Brand",
        "GOVERNMENT",
        "WARNING: (1) According",
        "General, women should",
    ]


def _downwards(text: str, left: int, top: int) -> Line:
    """A line turned clockwise: it reads top to bottom, the first word highest."""
    words, offset = [], 0
    for token in text.split():
        size = 10 * len(token)
        words.append(Word(token, 95.0, Box(left, top + offset, 20, size)))
        offset += size + 10
    return Line(tuple(words), Box(left, top, 20, offset - 10))


def test_a_side_strip_read_top_to_bottom_is_read_right_column_first() -> None:
    """Half the strip's pieces were single words ('pregnancy', 'during'), which cannot
    say which way they run; they outvoted the lines that can, and the warning was
    read from its last column to its first."""
    lines = [
        _downwards("machinery, and may cause", 40, 150),
        _downwards("operate", 80, 500),
        _downwards("your ability to drive a car or", 80, 150),
        _downwards("pregnancy", 120, 500),
        _downwards("during", 120, 300),
        _downwards("GOVERNMENT WARNING: (1) According", 160, 150),
    ]
    assert _texts(lines) == [
        "GOVERNMENT WARNING: (1) According",
        "during",
        "pregnancy",
        "your ability to drive a car or",
        "operate",
        "machinery, and may cause",
    ]


def test_a_header_the_detector_cut_in_two_reads_as_one_line_wherever_it_is_printed() -> None:
    """The detector read 'GOVERNMENT' and 'WARNING:' as two boxes a pixel apart in height;
    the warning's next line, right under both, joined one of them, and the other was
    read after the whole warning (or before it, depending on which side of a fixed
    grid of bands the two tops fell)."""
    for shift in range(0, 160, 7):

        def line(text: str, left: int, top: int, shift: int = shift) -> Line:
            return _line(text, left, top + shift, height=48)

        pieces = [
            line("WARNING:", 401, 877),
            line("GOVERNMENT", 133, 878),
            line("According to the Surgeon General, women should", 125, 935),
            line("not drink alcoholic beverages during pregnancy", 120, 990),
        ]
        assert _texts(pieces)[:3] == [
            "GOVERNMENT",
            "WARNING:",
            "According to the Surgeon General, women should",
        ], shift


def test_columns_begun_a_pixel_apart_read_left_first_wherever_they_are_printed() -> None:
    """Side-by-side blocks were ordered by fixed bands of height: two columns whose
    tops fell either side of a band's edge were read right column first."""
    for shift in range(0, 90, 3):
        rows = [
            _line("LUIGI & GIOVANNI", 600, 101 + shift),
            _line("GOVERNMENT WARNING: (1) ACCORDING", 10, 102 + shift),
            _line("TO THE SURGEON GENERAL, WOMEN", 10, 127 + shift),
            _line("PRODUCED AND BOTTLED BY", 600, 126 + shift),
        ]
        assert _texts(rows)[0] == "GOVERNMENT WARNING: (1) ACCORDING", shift


def test_a_header_in_small_type_over_the_warning_in_large_is_read_before_it() -> None:
    """Studio seed 4000045, as the second reading had it: the bottler's two lines, then
    "GOVERNMENT WARNING:" in 32 px type, then the warning in lines of 57 px. The header
    starts no block with the lines under it (sizes too far apart), and every block
    began within three lines' height of the first: they were taken as side by side
    and read left to right, the warning first, so no warning followed its header."""
    rows = [
        _line("Produced and bottled by", 189, 55, height=38),
        _line("Ironbound Distilling Co., Frankfort, KY", 72, 89, height=52),
        _line("GOVERNMENT WARNING:", 204, 165, height=32),
        _line("(1) According to the Surgeon General,", 95, 206, height=57),
        _line("women should not drink alcoholic", 146, 255, height=46),
        _line("beverages during pregnancy because of", 85, 303, height=57),
        _line("the risk of birth defects. (2)", 189, 352, height=56),
    ]
    assert _texts(rows) == [row.text for row in rows]


def test_a_passs_side_strip_columns_are_put_in_reading_order_after_the_upright_lines() -> None:
    """A Tesseract pass listed a side strip's third column, its second, the brand, then
    its first (studio seed 8000170): the warning read from "GOVERNMENT" on took in
    "problems." and a third of the words. The upright lines keep the pass's order."""
    first = _line("GOVERNMENT WARNING: (1) According", 700, 900, sideways=True)
    second = _line("beverages during pregnancy", 725, 900, sideways=True)
    third = _line("beverages impairs your ability", 750, 900, sideways=True)
    as_found = [
        _line("Kentucky Straight", 100, 400),
        third,
        second,
        _line("Stone's Throw", 100, 240),
        first,
    ]
    assert [line.text for line in sideways_in_order(as_found)] == [
        "Kentucky Straight",
        "Stone's Throw",
        first.text,
        second.text,
        third.text,
    ]
