"""What every rule needs: evidence from found text, reading quality, confidence thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from verifier.engine.extraction.normalize import shape_fold
from verifier.engine.extraction.tokens import word_confidence
from verifier.engine.models import (
    Application,
    BeverageType,
    Check,
    Evidence,
    FoundText,
    LabelFields,
    Outcome,
    PanelReading,
)

# OCR word confidence (0..100) at or above which a word is taken as read as
# printed. Below it, a difference from the expected text may be a misread.
HIGH_CONFIDENCE = 85.0

# A reading this poor explains a missing field by itself; "not found" on it
# is a question for a person, not a finding.
_GOOD_READING_WORDS = 25
_GOOD_READING_CONFIDENCE = 0.80
# Below this a word was barely read: a run of them is text OCR could not make out.
UNREAD_CONFIDENCE = 50.0
_UNREAD_WORDS = 4
_UNREAD_SHARE = 0.1  # on a large label a few barely read words are logos and marks
_CLEAR_READING_WORDS = 12
# A character's width over its line's height, at the narrowest (condensed capitals;
# most type measures 0.4-0.6): the most characters a region could hold.
_CHARACTER_WIDTH = 0.3
# Lines of type thinner than this no engine reads.
_SMALLEST_LINE_PX = 10
# In a check's details: the failure a reading found but read too unsurely to report
# (a figure at low confidence). Another reading that reads the same confirms it.
UNSURE_FINDING = "unsure_finding"
_TRACE_SCORE = 85
# A garbled word keeps most of its letters; a much shorter look-alike is its own word.
_TRACE_LENGTH = 0.8


@dataclass(frozen=True)
class ReadingQuality:
    words: int
    mean_confidence: float  # 0..1
    good: bool
    confident_words: int = 0  # read with HIGH_CONFIDENCE or more
    unread_words: int = 0  # read with less than UNREAD_CONFIDENCE: text not made out
    # Text-like regions a detector found that no engine could read, or None
    # when the reading did not look for them (Tesseract alone).
    unread_regions: tuple[Evidence, ...] | None = None

    @property
    def complete(self) -> bool:
        """Read completely: something not found is absent, not unread.

        When text-like regions were looked for, none may be left unread.
        Otherwise a good reading, or a short label (brand, designation,
        alcohol, contents, bottler) read with confidence; either way with no
        stretch of text that OCR could not make out (it may be the missing
        field).
        """
        if self.unread_words >= max(_UNREAD_WORDS, _UNREAD_SHARE * self.words):
            return False
        if self.unread_regions is not None:
            return not self.unread_regions and self.words > 0
        return self.good or (
            self.confident_words >= _CLEAR_READING_WORDS
            and self.mean_confidence * 100 >= HIGH_CONFIDENCE
        )

    def complete_for(self, characters: int) -> bool:
        """Read completely for a statement of `characters`: as `complete`, except that
        text-like regions left unread too small to hold the statement together (a row
        of stars, a mark) do not count. A region holds lines as thin as the smallest
        legible ones, or one line as thick as itself, of characters `_CHARACTER_WIDTH`
        of a line wide."""
        regions = self.unread_regions
        if not regions:
            return self.complete
        room = 0.0
        for item in regions:
            if item.box is None:
                return False
            line = max(1, min(item.box.width, item.box.height, _SMALLEST_LINE_PX))
            room += item.box.width * item.box.height / (_CHARACTER_WIDTH * line * line)
        if room >= characters:
            return False
        return replace(self, unread_regions=()).complete

    def describe(self) -> str:
        return f"{self.words} words read, average confidence {self.mean_confidence:.0%}"


def reading_quality(readings: Sequence[PanelReading]) -> ReadingQuality:
    words = [word for reading in readings for line in reading.lines for word in line.words]
    examined = [reading for reading in readings if reading.unread is not None]
    unread = (
        tuple(
            Evidence(reading.panel, box, "text that could not be read")
            for reading in examined
            for box in reading.unread or ()
        )
        if examined
        else None
    )
    if not words:
        return ReadingQuality(0, 0.0, False, unread_regions=unread)
    confidences = [word_confidence(word) for word in words]
    mean = sum(confidences) / len(words) / 100
    return ReadingQuality(
        len(words),
        mean,
        len(words) >= _GOOD_READING_WORDS and mean >= _GOOD_READING_CONFIDENCE,
        confident_words=sum(confidence >= HIGH_CONFIDENCE for confidence in confidences),
        unread_words=sum(confidence < UNREAD_CONFIDENCE for confidence in confidences),
        unread_regions=unread,
    )


def evidence(*found: FoundText | None) -> list[Evidence]:
    return [Evidence(panel=f.panel, box=f.box(), text=f.text) for f in found if f is not None]


def beverage_type(fields: LabelFields, application: Application) -> BeverageType | None:
    """The application's beverage type when filed, else what the label suggests."""
    return application.beverage_type or fields.beverage_type


def check(
    check_id: str,
    outcome: Outcome,
    message: str,
    cfr: str,
    *,
    expected: str | None = None,
    found: FoundText | None = None,
    confidence: float | None = None,
    details: dict | None = None,
    extra_evidence: Sequence[FoundText | None] = (),
) -> Check:
    """A `Check` whose found text, evidence and confidence come from the `FoundText`."""
    if confidence is None:
        confidence = found.confidence if found is not None else 1.0
    return Check(
        id=check_id,
        outcome=outcome,
        message=message,
        cfr=cfr,
        expected=expected,
        found=found.text if found is not None else None,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        evidence=evidence(found, *extra_evidence),
        details=details or {},
    )


def trace_of(
    readings: Sequence[PanelReading],
    words: Sequence[str],
    score: float = _TRACE_SCORE,
    shortest: int = 4,
) -> str | None:
    """A read word that looks like one of `words` (folded), however garbled, or None.

    Such a word means the statement may be on the label but read too badly
    to be recognised. A word much shorter than the one it resembles is a
    word of its own ("Pairs with grilled fish" is no trace of "impairs").
    """
    targets = [shape_fold(word) for word in words]
    for reading in readings:
        for line in reading.lines:
            for word in line.words:
                letters = shape_fold(word.text)
                if len(letters) >= shortest and any(
                    fuzz.ratio(target, letters) >= score
                    and len(letters) >= _TRACE_LENGTH * len(target)
                    for target in targets
                ):
                    return word.text
    return None


def missing_statement(
    check_id: str,
    cfr: str,
    *,
    what: str,
    expected: str,
    quality: ReadingQuality,
    trace: str | None = None,
    characters: int | None = None,
) -> Check:
    """A mandatory statement not found: a failure only on panels read completely.

    Otherwise it may be on a panel that was not uploaded, or printed where
    no engine could read it, or read too badly to recognise (`trace`, a word
    that looks like part of it): a question for a person, with the unread
    places as evidence. `characters`: the shortest the statement can be, when
    unread places too small to hold it do not count (`complete_for`).
    """
    if trace is not None:
        message = (
            f"The {what} (expected {expected}) could not be read as such, though '{trace}' "
            "looks like part of it; please check the label by eye."
        )
        return check(check_id, Outcome.REVIEW, message, cfr, expected=expected, confidence=0.0)
    if quality.complete if characters is None else quality.complete_for(characters):
        message = (
            f"The {what} was not found on the label (expected {expected}). Every panel was "
            f"read completely ({quality.describe()}), so it is not on them."
        )
        return check(check_id, Outcome.FAIL, message, cfr, expected=expected, confidence=0.0)
    message = (
        f"The {what} was not found on the panels given (expected {expected}). It may be on a "
        "panel that was not uploaded, or printed where it could not be read; please check "
        "the label by eye."
    )
    result = check(
        check_id,
        Outcome.REVIEW,
        message,
        cfr,
        expected=expected,
        confidence=0.0,
        details={"not_found": True},
    )
    result.evidence = list(quality.unread_regions or ())
    return result
