"""Lines put back in the order a person reads them, from where they are printed."""

from __future__ import annotations

from verifier.engine.models import Box, Line, Word
from verifier.engine.reading_order import in_reading_order


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
