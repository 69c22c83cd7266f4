"""Gather the GOVERNMENT WARNING (§16.21) across line breaks, hyphenation and panels.

The header is found fuzzily ("GOVERNMENT WARNlNG" still counts) and the body
is whatever the alignment against the required text claims after it. When the
header cannot be read at all, the body is anchored on "According ... Surgeon".
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from verifier.engine.extraction.normalize import fold_token
from verifier.engine.extraction.tokens import Token, mean_confidence
from verifier.engine.extraction.warning_alignment import (
    HEADER_WORD_COUNT,
    WARNING_WORDS,
    Alignment,
    align,
    pieces_from_words,
)
from verifier.engine.models import FoundText, Word

_HEADER_SCORE = 75.0
_HEADER = "governmentwarning"
_WINDOW_SLACK = 25


def _similar(token: Token, target: str) -> bool:
    return fuzz.ratio(fold_token(token.text), target) >= _HEADER_SCORE


def _header_starts(tokens: Sequence[Token]) -> list[int]:
    starts = []
    for index, token in enumerate(tokens):
        # The header run together, maybe with what follows ("GOVERNMENTWARNING:(1)...").
        if fuzz.ratio(fold_token(token.text)[: len(_HEADER)], _HEADER) >= 85 or (
            _similar(token, "government")
            and index + 1 < len(tokens)
            and _similar(tokens[index + 1], "warning")
        ):
            starts.append(index)
    return starts


def _body_starts(tokens: Sequence[Token]) -> list[int]:
    starts = []
    for index, token in enumerate(tokens):
        if not _similar(token, "according"):
            continue
        if any(_similar(t, "surgeon") for t in tokens[index + 1 : index + 5]):
            before = tokens[index - 1] if index > 0 else None
            marker = before is not None and fold_token(before.text) in ("1", "l", "i")
            starts.append(index - 1 if marker else index)
    return starts


def _found(words: Sequence[Word], panel: int) -> FoundText | None:
    if not words:
        return None
    return FoundText(
        text=" ".join(word.text for word in words),
        panel=panel,
        words=list(words),
        confidence=round(mean_confidence(words), 3),
    )


def _split(
    alignment: Alignment, tokens: Sequence[Token]
) -> tuple[FoundText | None, FoundText | None]:
    panel_of = {id(token.word): token.panel for token in tokens}
    header: list[Word] = []
    body: list[Word] = []
    for step in alignment.steps:
        target = header if step.expected_index < HEADER_WORD_COUNT and step.op != "insert" else body
        if step.op == "insert" and not header and not body:
            continue
        if step.op == "merge" and step.expected_index == 0:
            target = header
        target.extend(step.found_words)
    header_panel = panel_of.get(id(header[0]), 0) if header else 0
    body_panel = panel_of.get(id(body[0]), 0) if body else 0
    return _found(header, header_panel), _found(body, body_panel)


def find_warning(tokens: Sequence[Token]) -> tuple[FoundText | None, FoundText | None]:
    """The header ("GOVERNMENT WARNING:") and body words as read, or None where not found.

    Marks read as words of their own (":" for a dot of the background, "|"
    for a rule) are passed over: they are no part of the statement.
    """
    tokens = [token for token in tokens if fold_token(token.text)]
    starts = _header_starts(tokens)
    skip_header = False
    if not starts:
        starts = _body_starts(tokens)
        skip_header = True
    best: tuple[float, Alignment] | None = None
    for start in starts:
        window = tokens[start : start + len(WARNING_WORDS) * 3 // 2 + _WINDOW_SLACK]
        pieces = pieces_from_words([token.word for token in window])
        first = HEADER_WORD_COUNT if skip_header else 0
        alignment = align(pieces, WARNING_WORDS[first:], first_index=first)
        if best is None or alignment.cost < best[0]:
            best = (alignment.cost, alignment)
    if best is None:
        return None, None
    return _split(best[1], tokens)
