"""Word-by-word alignment of a read warning against the §16.21 text.

The alignment only says which read words stand for which required words;
judging whether a difference is a violation or OCR noise is the rules' job
(`rules/warning_statement.py`), because that needs confidences and context.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from verifier.engine.extraction.normalize import fold_token, glyph_fold, shape_fold
from verifier.engine.models import Word

WARNING_TEXT = (
    "GOVERNMENT WARNING: (1) According to the Surgeon General, women should not drink "
    "alcoholic beverages during pregnancy because of the risk of birth defects. "
    "(2) Consumption of alcoholic beverages impairs your ability to drive a car or "
    "operate machinery, and may cause health problems."
)
WARNING_WORDS: tuple[str, ...] = tuple(WARNING_TEXT.split())
HEADER_WORD_COUNT = 2  # "GOVERNMENT WARNING:"

# Costs of the alignment. A substitution of an unrelated word costs more than
# a deletion, so a truncated statement followed by other label text aligns as
# "missing words" rather than as a string of nonsense substitutions.
_SHAPE_COST = 0.2
_SPACING_COST = 0.1
_GAP_COST = 1.0
_UNRELATED_COST = 1.8
_RELATED_DISTANCE = 0.5
_LATER_GAP = 1e-3  # a gap a little cheaper the later it comes (ties only)
_MAX_MERGED = 8  # required words one read word may run together ("IMPAIRSYOURABILITY")


@dataclass(frozen=True)
class Piece:
    """One read word, or a word hyphenated across two read words ("preg-" + "nancy")."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        if len(self.words) == 1:
            return self.words[0].text
        return "".join(word.text.rstrip("-") for word in self.words)

    @property
    def folded(self) -> str:
        return fold_token(self.text)


@dataclass(frozen=True)
class Step:
    op: str  # "equal" | "shape" | "replace" | "delete" | "insert" | "merge" | "split"
    expected: tuple[str, ...] = ()  # required words (display form)
    found: tuple[Piece, ...] = ()
    expected_index: int = -1  # index in WARNING_WORDS of the first required word

    @property
    def found_text(self) -> str:
        return " ".join(piece.text for piece in self.found)

    @property
    def found_words(self) -> list[Word]:
        return [word for piece in self.found for word in piece.words]


@dataclass
class Alignment:
    steps: list[Step] = field(default_factory=list)
    cost: float = 0.0
    trailing: list[Piece] = field(default_factory=list)  # read words after the statement ended


def pieces_from_words(words: Sequence[Word]) -> list[Piece]:
    """Join hyphenated halves; drop marks that fold to nothing ("|", "—")."""
    pieces: list[Piece] = []
    pending: list[Word] = []
    for word in words:
        if pending:
            pending.append(word)
            if word.text.endswith("-") and len(pending) < 3:
                continue
            pieces.append(Piece(tuple(pending)))
            pending = []
        elif word.text.endswith("-") and len(word.text) > 1 and fold_token(word.text):
            pending = [word]
        elif fold_token(word.text):
            pieces.append(Piece((word,)))
    if pending:
        pieces.append(Piece(tuple(pending)))
    return pieces


@lru_cache(maxsize=65536)
def _substitution_cost(expected: str, found: str) -> tuple[float, str]:
    if expected == found or (expected.isdigit() and glyph_fold(found) == glyph_fold(expected)):
        return 0.0, "equal"  # "(I)" for "(1)": the same mark in print, whichever was meant
    if shape_fold(expected) == shape_fold(found):
        return _SHAPE_COST, "shape"
    distance = Levenshtein.normalized_distance(expected, found)
    if distance <= _RELATED_DISTANCE:
        return distance, "replace"
    return _UNRELATED_COST, "replace"


def align(
    pieces: Sequence[Piece], expected: Sequence[str] = WARNING_WORDS, *, first_index: int = 0
) -> Alignment:
    """Global on the required words, free at the end of the read words (semi-global).

    `first_index`: where `expected` begins in the whole required text (the body
    alone begins after the header), so each step's `expected_index` points into it.
    """
    targets = tuple(fold_token(word) for word in expected)
    cost, path = _cheapest_path(targets, tuple(piece.folded for piece in pieces))
    steps: list[Step] = []
    trailing: list[Piece] = []
    for op, i, j, end_i, end_j in path:
        if op == "insert" and i == len(targets):
            trailing.append(pieces[j])
        else:
            found = tuple(pieces[j:end_j])
            steps.append(Step(op, tuple(expected[i:end_i]), found, first_index + i))
    return Alignment(steps=steps, cost=cost, trailing=trailing)


# One panel's warning is aligned several times (found, re-read, judged): the path
# depends only on the folded words, so it is worked out once.
@lru_cache(maxsize=256)
def _cheapest_path(
    targets: tuple[str, ...], found: tuple[str, ...]
) -> tuple[float, tuple[tuple[str, int, int, int, int], ...]]:
    """The cheapest alignment's cost and moves, in order, as (op, i, j, end_i, end_j):
    required words targets[i:end_i] stand for read words found[j:end_j]."""
    rows, cols = len(targets), len(found)
    inf = float("inf")
    cost = [[inf] * (cols + 1) for _ in range(rows + 1)]
    back: list[list[tuple[str, int, int] | None]] = [[None] * (cols + 1) for _ in range(rows + 1)]
    cost[0][0] = 0.0

    def move(i: int, j: int, to_i: int, to_j: int, step_cost: float, op: str) -> None:
        if cost[i][j] + step_cost < cost[to_i][to_j]:
            cost[to_i][to_j] = cost[i][j] + step_cost
            back[to_i][to_j] = (op, i, j)

    # Runs of required words one read word may stand for, by where they start.
    merged = [
        {"".join(targets[i : i + size]): size for size in range(_MAX_MERGED, 1, -1)}
        for i in range(rows)
    ]
    for i in range(rows + 1):
        for j in range(cols + 1):
            if cost[i][j] == inf:
                continue
            if i < rows and j < cols:
                move(i, j, i + 1, j + 1, *_substitution_cost(targets[i], found[j]))
            if i < rows:
                # Among equal alignments, read words go to the earliest required
                # words they match and the gap comes after: "because of | the risk
                # of birth ... Consumption" is one dropped line, not two holes.
                move(i, j, i + 1, j, _GAP_COST - _LATER_GAP * i / rows, "delete")
            if j < cols:
                move(i, j, i, j + 1, 0.0 if i == rows else _GAP_COST, "insert")
            # Words run together: "BEVERAGESIMPAIRSYOUR" reads several required words.
            size = merged[i].get(found[j]) if i < rows and j < cols else None
            if size is not None and i + size <= rows:
                move(i, j, i + size, j + 1, _SPACING_COST, "merge")
            if i < rows and j + 1 < cols and found[j] + found[j + 1] == targets[i]:
                move(i, j, i + 1, j + 2, _SPACING_COST, "split")
    path: list[tuple[str, int, int, int, int]] = []
    i, j = rows, cols
    while (i, j) != (0, 0):
        previous = back[i][j]
        assert previous is not None
        op, pi, pj = previous
        path.append((op, pi, pj, i, j))
        i, j = pi, pj
    path.reverse()
    return cost[rows][cols], tuple(path)
