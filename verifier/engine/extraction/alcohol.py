"""Alcohol content statements: §5.65 (spirits), §4.36 (wine), §7.65 (malt).

Reads every form the regulations allow ("Alcohol 45% by volume", "45% alc/vol",
"ALC. 13.5% BY VOL.", "45% ABV", "Alcohol by volume 12 percent", "90 Proof"),
a decimal comma ("13,5%"), and a point OCR read as a colon ("13:5%"). OCR reads
the slash of "ALC/VOL" as a letter ("ALCIVOL", "ALC.IVOL."); as a word that is
still "alc/vol". A number OCR garbled ("4S%", or "ALCI2%" where the 1 of 12
became an I) is reported as unreadable, never repaired: guessing the digit would
invent a pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.engine.extraction.tokens import StreamLine, Token, mean_confidence
from verifier.engine.models import FoundText

# A decimal point or comma; on a dotted ground, or with a speck above the point, OCR
# reads a colon ("13:5%"): nothing else is printed between the figures of a percentage.
_NUMBER = r"(\d{1,3}(?:\s?[.,:;]\s?\d{1,2})?)"
# The "5" after the mark is no figure of its own.
_PERCENT = re.compile(
    r"(?<!\d[:;'`])(?<!\d)" + _NUMBER + r"\s*(%|percent\b|per\s*cent\b|pct\b)", re.IGNORECASE
)
# "(76:PROOF)": a space read as a colon (or a degree sign) between figure and word;
# "PR00F": its O's read as zeros.
_PROOF = re.compile(_NUMBER + r"\s*[°º:;]?\s*(?:u\.?s\.?\s*)?pr[o0]{2}f\b", re.IGNORECASE)
# Glyphs OCR reads for the digits 0, 1, 5 and 8 (and for a slash).
_DIGIT_LOOKALIKES = "OoSsIlB|:;"
# Digits OCR may have turned into letters: only reported, never read as a value.
_GARBLED_PERCENT = re.compile(
    rf"([0-9{_DIGIT_LOOKALIKES}]{{1,2}}(?:[.,][0-9{_DIGIT_LOOKALIKES}]{{1,2}})?)\s*%"
)
# "ALC/VOL" with its slash read as I, l, 1 or |: "ALCIVOL", "ALC.IVOL.".
_ALC_VOL = r"alc\.?\s?[/\\I1l|]\s?\.?vol"
# A word of the statement stands apart from letters, not from figures: the second
# engine runs a line's words together ("ALC12%BYVOL").
_CONTEXT = re.compile(
    rf"(?<![a-z])(alc|alcohol|vol|volume|abv)(?![a-z])|\b{_ALC_VOL}", re.IGNORECASE
)
# "85% Merlot": a percentage followed by a word is a blend, not alcohol.
_FOLLOWED_BY_WORD = re.compile(r"[A-Za-z]{3,}")


@dataclass(frozen=True)
class AlcoholStatement:
    abv: float | None
    proof: float | None


@dataclass(frozen=True)
class AlcoholFinding:
    found: FoundText
    abv: float | None
    proof: float | None


def _number(text: str) -> float:
    return float(re.sub(r"[,:;]", ".", re.sub(r"\s", "", text)))


def parse_alcohol_text(text: str | None) -> AlcoholStatement | None:
    """Read an application's free text ("45% Alc./Vol. (90 Proof)") or a bare number ("45")."""
    if not text or not text.strip():
        return None
    percent = _PERCENT.search(text)
    proof = _PROOF.search(text)
    abv = _number(percent.group(1)) if percent else None
    proof_value = _number(proof.group(1)) if proof else None
    if abv is None and proof_value is None:
        bare = re.fullmatch(r"\s*" + _NUMBER + r"\s*", text)
        if bare is None:
            return None
        abv = _number(bare.group(1))
    return AlcoholStatement(abv=abv, proof=proof_value)


@dataclass(frozen=True)
class _Candidate:
    score: int
    value: float | None  # None: the number was unreadable
    line: StreamLine
    tokens: tuple[Token, ...]
    matched: str


def _tokens_in_span(
    line_tokens: Sequence[Token], line_text: str, start: int, end: int
) -> list[Token]:
    picked: list[Token] = []
    offset = 0
    for token in line_tokens:
        token_start = line_text.index(token.text, offset) if token.text else offset
        token_end = token_start + len(token.text)
        offset = token_end
        if token_start < end and token_end > start:
            picked.append(token)
    return picked


def _context_score(lines: Sequence[StreamLine], index: int, line_text: str) -> int:
    if _CONTEXT.search(line_text):
        return 3
    neighbours = [lines[i] for i in (index - 1, index + 1) if 0 <= i < len(lines)]
    if any(n.panel == lines[index].panel and _CONTEXT.search(n.text) for n in neighbours):
        return 2
    return 0


def _glued_to_lookalike(text: str, start: int) -> bool:
    """True when a number is stuck to a glyph OCR reads for a digit ("ALCI2%": 12% or 2%?).
    A colon after a word, or after its full stop, is a dot of a dotted ground or the
    full stop read again ("ALC:13.5%", "ALC.:12%")."""
    if start == 0:
        return False
    glyph = text[start - 1]
    word = text[: start - 1].removesuffix(".")
    if glyph in ":;" and word[-1:].isalpha():
        return False
    return glyph in _DIGIT_LOOKALIKES


def _percent_candidates(
    lines: Sequence[StreamLine], tokens_by_line: dict[int, list[Token]]
) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for index, line in enumerate(lines):
        text = line.text
        context = _context_score(lines, index, text)
        readable_spans: list[tuple[int, int]] = []
        for match in _PERCENT.finditer(text):
            value = _number(match.group(1))
            is_word = match.group(2) != "%"
            rest = text[match.end() :].lstrip()
            # "85% Merlot" is a blend; "7.2% ALCIVOL" is followed by the context itself.
            blend = _FOLLOWED_BY_WORD.match(rest) is not None and not _CONTEXT.match(rest)
            bare_score = 0 if is_word or blend else 1
            score = context or bare_score
            if score == 0 or not 0 < value < 96 or _glued_to_lookalike(text, match.start()):
                continue
            readable_spans.append((match.start(), match.end()))
            tokens = _tokens_in_span(tokens_by_line[line.index], text, match.start(), match.end())
            candidates.append(_Candidate(score, value, line, tuple(tokens), match.group(0)))
        if context < 3:
            continue
        for match in _GARBLED_PERCENT.finditer(text):
            start = match.start()
            if re.fullmatch(r"[\d.,]+", match.group(1)) or any(
                begin <= start < end for begin, end in readable_spans
            ):
                continue
            tokens = _tokens_in_span(tokens_by_line[line.index], text, start, match.end())
            candidates.append(_Candidate(context, None, line, tuple(tokens), match.group(0)))
    return candidates


def _proof_candidate(
    lines: Sequence[StreamLine], tokens_by_line: dict[int, list[Token]]
) -> _Candidate | None:
    for line in lines:
        match = _PROOF.search(line.text)
        if match and 0 < _number(match.group(1)) <= 200:
            tokens = _tokens_in_span(
                tokens_by_line[line.index], line.text, match.start(), match.end()
            )
            return _Candidate(1, _number(match.group(1)), line, tuple(tokens), match.group(0))
    return None


def find_alcohol(
    lines: Sequence[StreamLine], tokens: Sequence[Token], filed_abv: float | None = None
) -> AlcoholFinding | None:
    """The label's alcohol statement: the best-supported percentage, and proof if stated.

    When a label shows several percentages, one equal to the filed figure wins:
    the question is whether the label states it, not which percentage is largest.
    """
    tokens_by_line: dict[int, list[Token]] = {line.index: [] for line in lines}
    for token in tokens:
        tokens_by_line[token.line].append(token)
    candidates = _percent_candidates(lines, tokens_by_line)
    proof = _proof_candidate(lines, tokens_by_line)
    if candidates:
        # A garbled figure in an alcohol statement outranks a readable one with
        # less support: "5%" elsewhere is no reading of "ALCI2% BY VOL".
        best = max(
            candidates,
            key=lambda c: (
                c.value is not None and filed_abv is not None and abs(c.value - filed_abv) < 0.01,
                c.score,
                c.value is not None,
                mean_confidence([t.word for t in c.tokens]),
            ),
        )
    elif proof is not None:
        best = _Candidate(1, None, proof.line, proof.tokens, proof.matched)
    else:
        return None
    line_tokens = tokens_by_line[best.line.index]
    number_words = [token.word for token in best.tokens] or [token.word for token in line_tokens]
    found = FoundText(
        text=best.line.text,
        panel=best.line.panel,
        words=[token.word for token in line_tokens],
        confidence=round(mean_confidence(number_words), 3),
    )
    return AlcoholFinding(found=found, abv=best.value, proof=proof.value if proof else None)
