"""Where read words sit on the label, for telling a missing word from an unread one:
whether one word continues another on its printed line, whether the gap
between them could hold the missing text, and whether the image shows unread
ink where that text would be printed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from verifier.engine.extraction.normalize import fold_token
from verifier.engine.models import Box, Word, share_inside

_WORD_SPACE = 2.5  # gap, in letter heights, beyond which the next word is not the same phrase
_SAME_INK = 0.6  # of a word's box inside another's: the same letters read twice


def follows(before: Word | None, after: Word | None) -> bool:
    """`after` continues `before` on the same printed line (True when boxes are unknown)."""
    if before is None or after is None or before.box is None or after.box is None:
        return True
    before, after = _upright(before, after)
    a, b = before.box, after.box
    assert a is not None and b is not None
    overlap = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    gap = b.left - (a.left + a.width)
    return overlap > 0.5 * min(a.height, b.height) and -a.height < gap <= _WORD_SPACE * a.height


def room_between(before: Word | None, after: Word | None, missing: str) -> bool:
    """True when the gap between two words on a line could hold the missing text."""
    if before is None or after is None or before.box is None or after.box is None:
        return False
    before, after = _upright(before, after)
    assert before.box is not None and after.box is not None
    letter = before.box.width / max(len(before.text), 1)
    gap = after.box.left - (before.box.left + before.box.width)
    return gap >= letter * (len(missing) + 1)


def sideways(word: Word) -> bool:
    return word.box is not None and len(word.text) > 1 and word.box.height > word.box.width


def _upright(before: Word, after: Word) -> tuple[Word, Word]:
    """Two words of a side strip turned so that their line reads left to right: read
    down the column when `after` is below `before`, up it otherwise. Words that are
    not both sideways stay as they are."""
    if not (sideways(before) and sideways(after)):
        return before, after
    assert before.box is not None and after.box is not None
    clockwise = after.box.top < before.box.top  # read upwards: turned clockwise, upright
    return _turned(before, clockwise), _turned(after, clockwise)  # type: ignore[return-value]


def where_it_would_be(before: Word | None, after: Word | None, missing: str) -> list[Box]:
    """Where the missing text would be printed: after `before` on its line, before
    `after` on its own, on the lines between them, or between them when they share a
    line; on the line after the last word read, or before the first."""
    sample = before or after
    assert sample is not None and sample.box is not None
    letter = sample.box.width / max(len(sample.text), 1)
    width = round(letter * (len(missing) + 1))
    if before is not None and after is not None and follows(before, after):
        b, a = before.box, after.box
        assert b is not None and a is not None
        left = b.left + b.width
        return [Box(left, b.top, max(1, a.left - left), b.height)]
    places = []
    if before is not None and after is not None and before.box and after.box:
        b, a = before.box, after.box
        gap = a.top - (b.top + b.height)
        if gap > 0.8 * b.height:
            # Whole lines lie between them (one a rule crossed, say): the words
            # may be there. Unread ink is only gathered around the statement.
            places.append(Box(-(10**6), b.top + b.height, 2 * 10**6, gap))
    if before is not None and before.box is not None:
        b = before.box
        places.append(Box(b.left + b.width, b.top, width, b.height))
        if after is None:  # the statement stops short: it may go on on the next line
            places.append(Box(-(10**6), b.top + b.height, 2 * 10**6, b.height))
    if after is not None and after.box is not None:
        a = after.box
        places.append(Box(a.left - width, a.top, width, a.height))
        if before is None:  # ...or begin on the line before
            places.append(Box(-(10**6), a.top - a.height, 2 * 10**6, a.height))
    return places


def read_twice(word: Word, before: Word | None, after: Word | None) -> bool:
    """Whether `word` is the end of the word before it, or the start of the word after
    it, read again from the same ink: a text detector cut a line into two pieces that
    overlap, and each piece was read with the letters in the overlap ("beverages",
    "s during"). Its box lies mostly inside that word's."""
    letters = fold_token(word.text)
    if not letters or word.box is None:
        return False
    for other, same_end in ((before, str.endswith), (after, str.startswith)):
        if other is None or other.box is None or not same_end(fold_token(other.text), letters):
            continue
        if share_inside(word.box, other.box) >= _SAME_INK:
            return True
    return False


def _quarter_turn(box: Box, clockwise: bool) -> Box:
    """The box in the image turned a quarter about the origin (coordinates may go negative)."""
    if clockwise:
        return Box(-(box.top + box.height), box.left, box.height, box.width)
    return Box(box.top, -(box.left + box.width), box.height, box.width)


def _turned(word: Word | None, clockwise: bool) -> Word | None:
    if word is None or word.box is None:
        return word
    return replace(word, box=_quarter_turn(word.box, clockwise))


def intersects(first: Box, second: Box) -> bool:
    return (
        first.left < second.left + second.width
        and second.left < first.left + first.width
        and first.top < second.top + second.height
        and second.top < first.top + first.height
    )


def no_ink_where_it_would_be(
    before: Word | None, after: Word | None, missing: str, unread_ink: Sequence[Box] | None
) -> bool:
    """True when the image was examined and shows no unread ink where the text would be."""
    neighbours = [word for word in (before, after) if word is not None]
    if unread_ink is None or not neighbours:
        return False
    if any(word.box is None for word in neighbours):
        return False
    on_side = [sideways(word) for word in neighbours]
    if any(on_side) and not all(on_side):
        return False
    if all(on_side):
        # A side strip, read up its column (turned clockwise, it stands upright) or
        # down it: where the text would be either way, turned back.
        places = [
            _quarter_turn(place, not clockwise)
            for clockwise in (True, False)
            for place in where_it_would_be(
                _turned(before, clockwise), _turned(after, clockwise), missing
            )
        ]
    else:
        places = where_it_would_be(before, after, missing)
    return not any(intersects(place, blob) for place in places for blob in unread_ink)
