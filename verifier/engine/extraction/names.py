"""Brand name (§5.64, §4.33, §7.64) and class/type designation (§5.141ff, §4.34, §7.141).

With the application's value, the label is searched fuzzily for it (word spans
of similar length, also across one line break: brands often sit on two lines).
Without it, or when nothing resembles it, the brand is the most prominent line
(tallest relative to its panel) that is not a designation or boilerplate.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rapidfuzz import fuzz

from verifier.engine.extraction.normalize import fold, fold_token
from verifier.engine.extraction.tokens import StreamLine, Token, found_text, stream_lines
from verifier.engine.extraction.vocabulary import (
    CLASS_TYPE_PHRASES,
    GENERIC_WORDS,
    SPELLING_VARIANTS,
)
from verifier.engine.models import FoundText, PanelReading

LOCATED_SCORE = 70.0  # below this, a span does not stand for the sought text


def similarity(left: str, right: str) -> float:
    """0..100, forgiving case, punctuation, apostrophes, spacing and diacritics."""
    a, b = fold(left), fold(right)
    return max(fuzz.ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))


def _spans(tokens: Sequence[Token], size: int) -> list[list[Token]]:
    """Word spans of `size` within a panel on at most three lines, or one word a line (a
    designation set in stacked capitals: "KENTUCKY / STRAIGHT / BOURBON / WHISKEY")."""
    spans = []
    for start in range(len(tokens) - size + 1):
        span = list(tokens[start : start + size])
        if len({t.panel for t in span}) == 1 and len({t.line for t in span}) <= max(3, size):
            spans.append(span)
    return spans


def locate(sought: str, tokens: Sequence[Token]) -> tuple[list[Token], float] | None:
    """The word span most like `sought`, with its similarity (0..100)."""
    size = max(1, len(fold(sought).split()))
    best: tuple[float, int, list[Token]] | None = None
    for span_size in range(max(1, size - 1), size + 2):
        for span in _spans(tokens, span_size):
            score = similarity(sought, " ".join(t.text for t in span))
            # Equal scores: the shorter span (fewer stray words) wins.
            key = (score, -span_size)
            if best is None or key > (best[0], best[1]):
                best = (score, -span_size, span)
    if best is None or best[0] < LOCATED_SCORE:
        return None
    return best[2], best[0]


def _relative_height(line: StreamLine, panel_heights: dict[int, int]) -> float:
    return line.height / max(panel_heights.get(line.panel, 1), 1)


def _is_boilerplate(text: str) -> bool:
    words = fold(text).split()
    letters = sum(char.isalpha() for char in text)
    if letters < 2 or not words:
        return True
    if all(word in GENERIC_WORDS or word.isdigit() for word in words):
        return True
    return fold(text) in CLASS_TYPE_PHRASES


def _in_warning(line: StreamLine, warning_words: Collection[int]) -> bool:
    return any(id(word) in warning_words for word in line.line.words)


def prominent_line(
    lines: Sequence[StreamLine],
    readings: Sequence[PanelReading],
    warning_words: Collection[int] = frozenset(),
) -> StreamLine | None:
    """The tallest line (relative to its panel) that could be a brand.

    `warning_words` are the ids of the health warning's words: no line of the
    statement is a brand, however large OCR made it.
    """
    panel_heights = {reading.panel: reading.height for reading in readings}
    candidates = [
        line
        for line in lines
        if not _is_boilerplate(line.text) and not _in_warning(line, warning_words)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda line: (_relative_height(line, panel_heights), -line.index))


def find_brand(
    lines: Sequence[StreamLine],
    tokens: Sequence[Token],
    readings: Sequence[PanelReading],
    sought: str | None,
    warning_words: Collection[int] = frozenset(),
) -> FoundText | None:
    """The filed brand located on the label, else the most prominent line.

    Words of the health warning are never a brand ("RISK" of "risk of birth
    defects" printed large is still the warning).
    """
    if sought:
        located = locate(sought, [t for t in tokens if id(t.word) not in warning_words])
        if located is not None:
            span, score = located
            return found_text(span, score=score / 100)
    line = prominent_line(lines, readings, warning_words)
    if line is None:
        return None
    return found_text([token for token in tokens if token.line == line.index])


def _variant(word: str) -> str:
    return SPELLING_VARIANTS.get(word, word)


def _phrase_at(words: Sequence[str], target: Sequence[str]) -> tuple[int, int] | None:
    """Where the phrase's words stand in the line's, as a token range: word for word,
    or run together by the second engine ("CABERNETSAUVIGNON")."""
    joined = "".join(target)
    for start in range(len(words)):
        if words[start : start + len(target)] == list(target):
            return start, start + len(target)
        text, end = "", start
        while end < len(words) and len(text) < len(joined):
            text += words[end]
            end += 1
        if text == joined and end - start < len(target):  # fewer tokens than words
            return start, end
    return None


_DESIGNATIONS = tuple(
    (phrase, [_variant(word) for word in phrase.split()]) for phrase in CLASS_TYPE_PHRASES
)


def vocabulary_class_type(
    lines: Sequence[StreamLine], tokens: Sequence[Token]
) -> tuple[list[Token], str] | None:
    """The most specific TTB designation on the label, and which designation it is."""
    by_line: dict[int, list[Token]] = {}
    for token in tokens:
        by_line.setdefault(token.line, []).append(token)
    best: tuple[int, int, list[Token], str] | None = None
    for line in lines:
        line_tokens = [t for t in by_line.get(line.index, []) if fold_token(t.text)]
        words = [_variant(fold_token(t.text)) for t in line_tokens]
        run_together = "".join(words)
        for phrase, target in _DESIGNATIONS:
            # Word for word or run together, a phrase on the line is in its letters.
            if "".join(target) not in run_together:
                continue
            span = _phrase_at(words, target)
            if span is None:
                continue
            key = (len(target), line.height)
            if best is None or key > (best[0], best[1]):
                best = (len(target), line.height, line_tokens[span[0] : span[1]], phrase)
    if best is None:
        return None
    return best[2], best[3]


def find_class_type(
    lines: Sequence[StreamLine], tokens: Sequence[Token], sought: str | None
) -> FoundText | None:
    if sought:
        located = locate(sought, tokens)
        if located is not None:
            span, score = located
            return found_text(span, score=score / 100)
    designation = vocabulary_class_type(lines, tokens)
    if designation is None:
        return None
    return found_text(designation[0])


def _by_prominence(
    readings: Sequence[PanelReading], warning_words: Collection[int]
) -> list[StreamLine]:
    """The lines that could be a brand, tallest (relative to its panel) first."""
    panel_heights = {reading.panel: reading.height for reading in readings}
    return sorted(
        (
            line
            for line in stream_lines(readings)
            if not _is_boilerplate(line.text) and not _in_warning(line, warning_words)
        ),
        key=lambda line: -_relative_height(line, panel_heights),
    )


def prominent_texts(
    readings: Sequence[PanelReading], warning_words: Collection[int], count: int
) -> list[str]:
    """The `count` most prominent lines that could be a brand, as read."""
    return [line.text for line in _by_prominence(readings, warning_words)[:count]]


def prominent_rank(
    found: FoundText,
    readings: Sequence[PanelReading],
    warning_words: Collection[int] = frozenset(),
) -> int:
    """0 for the tallest candidate line on the label, 1 for the next ...; large when not found."""
    found_ids = {id(word) for word in found.words}
    ranked = _by_prominence(readings, warning_words)
    for rank, line in enumerate(ranked):
        if any(id(word) in found_ids for word in line.line.words):
            return rank
    return len(ranked) + 1


# Glyphs that reach below the baseline: a word with one is boxed taller than its type.
_DESCENDING = frozenset("gjpqy,;()[]{}")


def letter_height(line: StreamLine) -> int:
    """The height of the line's capitals and ascenders: its tallest word that reaches
    no lower than the baseline, else its box. A line's box grows with descenders, so
    "Hazy, bright and loaded" boxes nearly as tall as "BLACKWATER" set 1.4x larger."""
    if line.sideways:  # its width stands in, as for `StreamLine.height`
        return line.height
    heights = [
        word.box.height
        for word in line.line.words
        if word.box is not None
        and any(char.isalpha() for char in word.text)
        and not _DESCENDING & set(word.text)
    ]
    return max(heights, default=line.height)


def stands_out(found: FoundText, readings: Sequence[PanelReading], factor: float = 1.5) -> bool:
    """True when the found words' letters are `factor` times as tall as the panel's
    median line's (`letter_height`: capitals against capitals and ascenders).

    That is display type, as brands are printed, rather than body copy.
    """
    lines = [
        line for line in stream_lines(readings) if line.panel == found.panel and line.height > 0
    ]
    found_ids = {id(word) for word in found.words}
    sizes = [(letter_height(line), line) for line in lines]
    own = [size for size, line in sizes if any(id(word) in found_ids for word in line.line.words)]
    if not own:
        return False
    heights = sorted(size for size, _ in sizes)
    return max(own) >= factor * heights[len(heights) // 2]
