"""Where read words sit on the label, for telling a missing word from an unread one:
the statement's column, whether one word continues another on its printed line,
whether the gap between them could hold the missing text, and whether the image
shows unread ink where that text would be printed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from verifier.engine.extraction.normalize import fold_token
from verifier.engine.extraction.warning_alignment import Step
from verifier.engine.models import Box, Word, intersects, share_inside

_WORD_SPACE = 2.5  # gap, in letter heights, beyond which the next word is not the same phrase
_SAME_INK = 0.6  # of a word's box inside another's: the same letters read twice
# A word lost beside one read begins within this many letter heights of it: the widest
# word spaces of justified lines measure about 2.5.
_LOST_WORD_REACH = 4.0
_EVERYWHERE = 10**6  # a band across the whole label, before it is kept to the column
# A character in a box this many letters high was read off a graphic, not a line.
_MARK_LINES = 2


@dataclass(frozen=True)
class Column:
    """Where the statement is printed across: words outside it belong to other text."""

    left: float
    right: float
    margin: float  # a letter height

    def holds(self, words: Sequence[Word]) -> bool:
        boxes = [word.box for word in words if word.box is not None]
        return not boxes or any(
            box.left < self.right + self.margin and box.left + box.width > self.left - self.margin
            for box in boxes
        )

    def marks(self, words: Sequence[Word]) -> bool:
        """A lone character read off the statement's lines: beyond the ends of its widest
        line (a dash of the label's border, "I" or "|"), or in a box several lines high
        (a seal or a rule read as "i"). No word of the statement looks so."""
        if len(words) != 1 or len(fold_token(words[0].text)) > 1 or words[0].box is None:
            return False
        box = words[0].box
        beyond = box.left >= self.right or box.left + box.width <= self.left
        return beyond or box.height > _MARK_LINES * self.margin


def column_of(steps: Sequence[Step]) -> Column | None:
    """The horizontal extent of the words that were read as required words."""
    boxes = [
        word.box
        for step in steps
        if step.op not in ("insert", "delete")
        for word in step.found_words
        if word.box is not None and word.box.width >= word.box.height
    ]
    if len(boxes) < 3:
        return None
    heights = sorted(box.height for box in boxes)
    return Column(
        min(box.left for box in boxes),
        max(box.left + box.width for box in boxes),
        heights[len(heights) // 2],
    )


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
    `after` on its own (where it would begin, `_reach`), on the lines between them, or
    between them when they share a line; on the line after the last word read, or
    before the first (across the label: `no_ink_where_it_would_be` keeps such bands
    to the statement's column)."""
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
            places.append(Box(-_EVERYWHERE, b.top + b.height, 2 * _EVERYWHERE, gap))
    if before is not None and before.box is not None:
        b = before.box
        places.append(Box(b.left + b.width, b.top, _reach(width, b), b.height))
        if after is None:  # the statement stops short: it may go on on the next line
            places.append(Box(-_EVERYWHERE, b.top + b.height, 2 * _EVERYWHERE, b.height))
    if after is not None and after.box is not None:
        a = after.box
        places.append(Box(a.left - _reach(width, a), a.top, _reach(width, a), a.height))
        if before is None:  # ...or begin on the line before
            places.append(Box(-_EVERYWHERE, a.top - a.height, 2 * _EVERYWHERE, a.height))
    return places


def _reach(width: int, beside: Box) -> int:
    """How far along its line from a word read the missing text is looked for: as far
    as it would run, but it would begin within a word space (`_LOST_WORD_REACH`). Ink
    further off (the label's border, the next column) is not the word lost there."""
    return min(width, round(_LOST_WORD_REACH * beside.height))


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


def no_ink_where_it_would_be(
    before: Word | None,
    after: Word | None,
    missing: str,
    unread_ink: Sequence[Box] | None,
    column: Column | None = None,
) -> bool:
    """True when the image was examined and shows no unread ink where the text would be.

    `column`: where the statement's lines were read across. A whole line of it would
    be printed within its measure, not in the frame or border beside it."""
    neighbours = [word for word in (before, after) if word is not None]
    if unread_ink is None or not neighbours:
        return False
    if any(word.box is None for word in neighbours):
        return False
    on_side = [sideways(word) for word in neighbours]
    if any(on_side) and not all(on_side):
        return False
    down = all(on_side)  # a side strip: its lines run down the label
    if down:
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
    if column is not None and not down:
        places = [_in_column(place, column) for place in places]
    # Letters stand at least a quarter of a line high; a thinner blob is a rule's piece.
    box = neighbours[0].box
    assert box is not None
    letter = box.width if down else box.height
    blobs = [blob for blob in unread_ink if (blob.width if down else blob.height) * 4 >= letter]
    return not any(intersects(place, blob) for place in places for blob in blobs)


def _in_column(place: Box, column: Column) -> Box:
    """A band across the label (`_EVERYWHERE` long) kept to the statement's column, half
    a letter wider either side."""
    if place.width < _EVERYWHERE:
        return place
    margin = round(column.margin / 2)
    return Box(round(column.left) - margin, place.top,
               round(column.right - column.left) + 2 * margin, place.height)  # fmt: skip
