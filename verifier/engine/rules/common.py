"""What every rule needs: evidence from found text, reading quality, confidence thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ReadingQuality:
    words: int
    mean_confidence: float  # 0..1
    good: bool
    confident_words: int = 0  # read with HIGH_CONFIDENCE or more
    unread_words: int = 0  # read with less than UNREAD_CONFIDENCE: text not made out

    @property
    def clear(self) -> bool:
        """Read well enough that something not found is absent, not unread.

        A good reading, or a short label (brand, designation, alcohol,
        contents, bottler) read with confidence; either way with no stretch
        of text that OCR could not make out (it may be the missing field).
        """
        if self.unread_words >= max(_UNREAD_WORDS, _UNREAD_SHARE * self.words):
            return False
        return self.good or (
            self.confident_words >= _CLEAR_READING_WORDS
            and self.mean_confidence * 100 >= HIGH_CONFIDENCE
        )

    def describe(self) -> str:
        return f"{self.words} words read, average confidence {self.mean_confidence:.0%}"


def reading_quality(readings: Sequence[PanelReading]) -> ReadingQuality:
    words = [word for reading in readings for line in reading.lines for word in line.words]
    if not words:
        return ReadingQuality(0, 0.0, False)
    confidences = [word_confidence(word) for word in words]
    mean = sum(confidences) / len(words) / 100
    return ReadingQuality(
        len(words),
        mean,
        len(words) >= _GOOD_READING_WORDS and mean >= _GOOD_READING_CONFIDENCE,
        confident_words=sum(confidence >= HIGH_CONFIDENCE for confidence in confidences),
        unread_words=sum(confidence < UNREAD_CONFIDENCE for confidence in confidences),
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


def not_found_outcome(quality: ReadingQuality) -> Outcome:
    """A field the application gives but the label does not show: fail only on a good reading."""
    return Outcome.FAIL if quality.good else Outcome.REVIEW


def not_found_message(what: str, expected: str, quality: ReadingQuality) -> str:
    if quality.good:
        return f"The {what} '{expected}' from the application was not found on the label."
    return (
        f"The {what} '{expected}' from the application was not found, "
        "but the image was hard to read "
        f"({quality.describe()}); please check the label by eye."
    )
