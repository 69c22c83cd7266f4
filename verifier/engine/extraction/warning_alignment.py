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
    targets = [fold_token(word) for word in expected]
    found = [piece.folded for piece in pieces]
    rows, cols = len(targets), len(found)
    inf = float("inf")
    cost = [[inf] * (cols + 1) for _ in range(rows + 1)]
    back: list[list[tuple[str, int, int] | None]] = [[None] * (cols + 1) for _ in range(rows + 1)]
    cost[0][0] = 0.0
    for i in range(rows + 1):
        for j in range(cols + 1):
            here = cost[i][j]
            if here == inf:
                continue
            moves: list[tuple[float, str, int, int]] = []
            if i < rows and j < cols:
                step_cost, op = _substitution_cost(targets[i], found[j])
                moves.append((step_cost, op, 1, 1))
            if i < rows:
                # Among equal alignments, read words go to the earliest required
                # words they match and the gap comes after: "because of | the risk
                # of birth ... Consumption" is one dropped line, not two holes.
                moves.append((_GAP_COST - _LATER_GAP * i / rows, "delete", 1, 0))
            if j < cols:
                moves.append((0.0 if i == rows else _GAP_COST, "insert", 0, 1))
            if j < cols:
                # Words run together: "BEVERAGESIMPAIRSYOUR" reads three required words.
                for size in range(2, _MAX_MERGED + 1):
                    if i + size <= rows and "".join(targets[i : i + size]) == found[j]:
                        moves.append((_SPACING_COST, "merge", size, 1))
            if i < rows and j + 1 < cols and found[j] + found[j + 1] == targets[i]:
                moves.append((_SPACING_COST, "split", 1, 2))
            for step_cost, op, di, dj in moves:
                if here + step_cost < cost[i + di][j + dj]:
                    cost[i + di][j + dj] = here + step_cost
                    back[i + di][j + dj] = (op, i, j)
    steps: list[Step] = []
    trailing: list[Piece] = []
    i, j = rows, cols
    while (i, j) != (0, 0):
        move = back[i][j]
        assert move is not None
        op, pi, pj = move
        if op == "insert" and pi == rows:
            trailing.insert(0, pieces[pj])
        else:
            steps.insert(0, Step(op, tuple(expected[pi:i]), tuple(pieces[pj:j]), first_index + pi))
        i, j = pi, pj
    return Alignment(steps=steps, cost=cost[rows][cols], trailing=trailing)
