"""Readings that are OCR's errors, not changes to the printed word: a piece of the word
cut off at either end, glyphs OCR cannot tell apart, a numbered marker read as a mark,
letters a rule touches."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from verifier.engine.extraction.normalize import fold_token, shape_fold

_FRAGMENT_WITH_MISREAD = 5  # a piece this long may also carry one misread glyph
_SHORT_WORD = 3


def is_fragment(expected: str, found: str) -> bool:
    """Whether `found` is a piece of `expected` cut off at either end ("IMPAI", "nancy",
    "pairs", "ages", "TH", "d"), maybe with one glyph misread ("Gording" for "According")."""
    whole, piece = shape_fold(expected), shape_fold(found)
    if len(piece) == len(whole) + 1 and whole in (piece[1:], piece[:-1]):
        return True  # a mark beside the word read into it ("Caske" where "&" followed)
    # One letter is a piece only of a short word ("d" of "and", its "an" cut off at a
    # side strip's edge): in a long one it could be a piece of too many.
    if not (1 if len(whole) <= _SHORT_WORD else 2) <= len(piece) < len(whole):
        return False
    ends = (whole[: len(piece)], whole[-len(piece) :])
    if piece in ends:
        return True
    # "machines" is no piece of "machinery": a misread glyph is allowed only in
    # a piece cut two or more letters short.
    return (
        len(piece) >= _FRAGMENT_WITH_MISREAD
        and len(piece) <= len(whole) - 2
        and any(Levenshtein.distance(piece, end) <= 1 for end in ends)
    )


def misread(expected: str, found: str) -> bool:
    return (
        is_fragment(expected, found)
        or shape_fold(expected) == shape_fold(found)
        or _marker_without_figure(expected, found)
        or _touched_by_a_rule(expected, found)
    )


# Letters a rule or hairline touching them turns into others, for both engines alike:
# a "t" whose stem meets a rule above reads "f" ("fo" for "to", studio seed 8000039);
# an "e" whose bar a hairline runs through reads "c" ("defccts").
_TOUCHED = frozenset({("t", "f"), ("e", "c")})


def _touched_by_a_rule(expected: str, found: str) -> bool:
    """Whether `found` is `expected` with letters a rule touched read as others."""
    want, read = fold_token(expected), fold_token(found)
    if len(want) != len(read):
        return False
    pairs = [(a, b) for a, b in zip(want, read, strict=True) if a != b]
    return bool(pairs) and all(pair in _TOUCHED for pair in pairs)


def _marker_without_figure(expected: str, found: str) -> bool:
    """Whether "(2)" was read as a mark or a letter or two ("i", "|"): a numbered
    marker changes only to another figure ("(3)"); a short reading without one is
    the marker misread, or a stray mark in its place when the alignment slid."""
    folded = fold_token(found)
    return (
        re.fullmatch(r"\(\d\)", expected) is not None
        and len(folded) <= 2
        and not any(char.isdigit() for char in folded)
    )
