"""What a place of the warning read again says: the required words, perhaps with the
ends of the words either side that its crop caught (`fragments.py` cuts the places
out and reads them)."""

from __future__ import annotations

from collections.abc import Sequence

from verifier.engine.extraction.normalize import fold, shape_fold
from verifier.engine.models import Box, Word
from verifier.engine.ocr import rapid

# A place is cut this many letters into the words either side; with the crop's padding
# and letters wider than the average, a re-read catches up to two more.
NEIGHBOUR_CHARACTERS = 3
_CAUGHT_CHARACTERS = NEIGHBOUR_CHARACTERS + 2
# A letter cut through by the crop's right edge reads as its left half: a round
# letter's as "c", a stem's as "l"; by its left edge, as its right half: a bowl's "o".
_LEFT_HALVES = {"c": "oeadgqc", "l": "bhkl"}
_RIGHT_HALVES = {"o": "bpo"}


def as_words(text: str, required: Sequence[str], place: Box) -> list[tuple[str, Box]]:
    """The re-read text as words, each with its share of the place's box.

    Words the re-read ran together ("ALCOHOLICBEVERAGES") are cut where the
    required words end, keeping their case as read ("GovernmentWarning:" stays
    title case). A word that differs from its required word only in glyphs OCR
    cannot tell apart ("(I)" for "(1)") is the required word: that is what the
    match decided.
    """
    spans = [text[span.start : span.stop] for span in rapid.word_spans(text)]
    if len(spans) != len(required):
        spans = _cut_like(text, required) or spans
    if len(spans) == len(required):
        spans = [
            want if fold(read) != fold(want) else read
            for read, want in zip(spans, required, strict=True)
        ]
    total = sum(len(word) + 1 for word in spans) or 1
    words, offset = [], 0
    for word in spans:
        left = place.left + round(place.width * offset / total)
        right = place.left + round(place.width * (offset + len(word)) / total)
        words.append((word, Box(left, place.top, max(1, right - left), place.height)))
        offset += len(word) + 1
    return words


def _cut_like(text: str, required: Sequence[str]) -> list[str] | None:
    """`text`'s letters and digits cut into words as long as the required ones, or None
    when their counts differ (a glyph pair like "rn" for "m" was read)."""
    letters = [char for char in text if char.isalnum()]
    lengths = [sum(char.isalnum() for char in word) for word in required]
    if sum(lengths) != len(letters):
        return None
    words, start = [], 0
    for length in lengths:
        words.append("".join(letters[start : start + length]))
        start += length
    return words


def without_neighbours(
    text: str, required: str, before: Word | None, after: Word | None
) -> str | None:
    """`text` when it says the required words (`squeezed`); else, when only the ends
    it caught of the words either side are more (": (1) According t" between
    "WARNING:" and "to"; a letter the crop's edge cut through may read as its half,
    `_start_of`, `_end_of`), the text between them; None when it says anything else."""
    if squeezed(text) == required:
        return _from_first_word(text)
    tail = squeezed(before.text) if before is not None else ""
    head = squeezed(after.text) if after is not None else ""
    for start in range(min(len(text), _CAUGHT_CHARACTERS) + 1):
        if not _end_of(tail, squeezed(text[:start])):
            continue
        for stop in range(len(text), max(start, len(text) - _CAUGHT_CHARACTERS) - 1, -1):
            if _start_of(head, squeezed(text[stop:])) and squeezed(text[start:stop]) == required:
                return _from_first_word(text[start:stop])
    return None


def _start_of(word: str, caught: str) -> bool:
    """Whether `caught` is the start of `word`, its last letter perhaps cut through by
    the crop's edge: a round letter's left half reads "c" ("Accc" for "Acco")."""
    return _begins(word, caught, _LEFT_HALVES)


def _end_of(word: str, caught: str) -> bool:
    """Whether `caught` is the end of `word`, its first letter perhaps cut through by
    the crop's edge: a bowl's right half reads "o" ("otion" for "ption")."""
    return _begins(word[::-1], caught[::-1], _RIGHT_HALVES)


def _begins(word: str, caught: str, halves: dict[str, str]) -> bool:
    """Whether `caught` begins `word`, its last letter perhaps read as `halves` says a
    cut through `word`'s letter there reads."""
    if word.startswith(caught):
        return True
    cut = len(caught) - 1
    return (
        0 <= cut < len(word)
        and caught[cut] in halves
        and word.startswith(caught[:cut])
        and word[cut] in halves[caught[cut]]
    )


def _from_first_word(text: str) -> str:
    """No required word begins with a stop or a colon: those are the word's before."""
    return text.strip().lstrip(".,:;-_").strip()


def squeezed(text: str) -> str:
    """Text compared up to case, punctuation, spacing and glyphs OCR cannot tell apart
    ("(I)" is "(1)"): the re-read must say the required words, nothing else."""
    return shape_fold(fold(text).replace(" ", ""))
