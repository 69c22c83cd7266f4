"""The health warning statement's presence, wording and capitals (27 CFR 16.21, 16.22(a)(2))."""

from __future__ import annotations

from collections.abc import Sequence

from verifier.engine.extraction.tokens import word_confidence
from verifier.engine.extraction.warning_alignment import (
    HEADER_WORD_COUNT,
    WARNING_TEXT,
    WARNING_WORDS,
    align,
    pieces_from_words,
)
from verifier.engine.models import (
    Check,
    Evidence,
    FoundText,
    LabelFields,
    Outcome,
    PanelReading,
    WarningTypography,
)
from verifier.engine.rules.common import (
    HIGH_CONFIDENCE,
    ReadingQuality,
    check,
    missing_statement,
    trace_of,
)
from verifier.engine.rules.word_diff import (
    UNCERTAIN,
    VIOLATIONS,
    Difference,
    classify,
    matched_share,
)

# Below this share of required words read, the statement was not really read:
# its "missing" words say more about the image than about the label.
STATEMENT_CFR = "27 CFR 16.21"
CAPITALS_CFR = "27 CFR 16.22(a)(2)"
_READ_ENOUGH = 0.5
_MESSAGE_DIFFERENCES = 4
# Capitals that look alike in lower case, or that OCR swaps with l/I: they
# cannot show title case on their own.
_AMBIGUOUS_CASE = set("cosuvwxzil")
# Words of the statement rarely printed elsewhere on a label: one of them read,
# even garbled, is a trace of the warning. Not "alcoholic" or "beverages": garbled
# that far they are "Alcohol by Volume" and "Malt Beverage", on most labels.
_TRACE_WORDS = (
    "government",
    "warning",
    "surgeon",
    "pregnancy",
    "consumption",
    "impairs",
    "machinery",
    "defects",
)
_TRACE_SCORE = 75


def warning_trace(readings: Sequence[PanelReading]) -> str | None:
    """A read word that looks like a word of the warning, however garbled, or None."""
    return trace_of(readings, _TRACE_WORDS, score=_TRACE_SCORE, shortest=5)


def warning_present(
    fields: LabelFields, quality: ReadingQuality, readings: Sequence[PanelReading] = ()
) -> Check:
    """27 CFR 16.21: every container bears the GOVERNMENT WARNING statement.

    Missing fails when the label was read well (enough confident words, no
    stretch of text left unread) and no word of the statement shows anywhere,
    however garbled. A trace of the warning, or a poor reading, is "review":
    the statement may be there and unread.
    """
    cfr = STATEMENT_CFR
    expected = "GOVERNMENT WARNING statement"
    header, body = fields.warning_header, fields.warning_body
    if header is not None or body is not None:
        panel = (header or body).panel  # type: ignore[union-attr]
        return check(
            "warning_present",
            Outcome.PASS,
            f"The GOVERNMENT WARNING statement was found (panel {panel + 1}).",
            cfr,
            expected=expected,
            found=header or body,
            extra_evidence=[body] if header is not None else [],
        )
    trace = warning_trace(readings)
    if trace is not None:
        message = (
            f"The GOVERNMENT WARNING statement could not be read as a whole, though '{trace}' "
            "looks like part of it; please check the label by eye."
        )
        return check("warning_present", Outcome.REVIEW, message, cfr, expected=expected)
    return missing_statement(
        "warning_present",
        cfr,
        what="GOVERNMENT WARNING statement",
        expected=f"the statement of {STATEMENT_CFR}",
        quality=quality,
        characters=len(WARNING_TEXT),
    )


def _statement(fields: LabelFields) -> FoundText | None:
    header, body = fields.warning_header, fields.warning_body
    if header is None and body is None:
        return None
    words = (header.words if header else []) + (body.words if body else [])
    text = " ".join(word.text for word in words)
    confidence = min(f.confidence for f in (header, body) if f is not None)
    return FoundText(text=text, panel=(header or body).panel, words=words, confidence=confidence)  # type: ignore[union-attr]


def warning_text(fields: LabelFields, typography: WarningTypography | None = None) -> Check:
    """27 CFR 16.21: the statement is word for word the required text.

    Each required word is aligned with what was read. A word read with high
    OCR confidence that differs ("woman" for "women", "machines" for
    "machinery"), a dropped word between well-read words, or an added word
    fails; so does a word missing where the image shows no unread ink
    (`typography.unread_ink`). Differences explained by OCR (confusable
    glyphs, low confidence, ink left unread) are "review". Punctuation is
    not compared; "(1)" and "(2)" are.
    """
    cfr = STATEMENT_CFR
    statement = _statement(fields)
    if statement is None:
        message = "The wording could not be compared because no warning statement was found."
        return check("warning_text", Outcome.SKIPPED, message, cfr, expected=WARNING_TEXT)
    # Without a readable header, the body alone is compared; the header's
    # absence is reported below and by warning_header_caps.
    has_header = fields.warning_header is not None
    start = 0 if has_header else HEADER_WORD_COUNT
    pieces = pieces_from_words(statement.words)
    steps = align(pieces, WARNING_WORDS[start:], first_index=start).steps
    differences = classify(steps, typography.unread_ink if typography else None)
    details = {
        "diff": [d.as_dict() for d in differences if d.kind != "spacing"],
        "compared_from": start,  # the required words before it were not read
    }
    violations = [d for d in differences if d.kind in VIOLATIONS]
    uncertain = [d for d in differences if d.kind in UNCERTAIN]
    share = matched_share(steps, len(WARNING_WORDS) - start)
    details["words_matched"] = f"{share:.0%}"

    def result(outcome: Outcome, message: str) -> Check:
        return check(
            "warning_text",
            outcome,
            message,
            cfr,
            expected=WARNING_TEXT,
            found=statement,
            details=details,
        )

    if share < _READ_ENOUGH:
        message = (
            f"Only {share:.0%} of the required warning words could be read; "
            "please compare the statement with the required text by eye."
        )
        return result(Outcome.REVIEW, message)
    if violations:
        failed = result(Outcome.FAIL, violations_message(violations))
        # The evidence is where the wording differs, not the whole statement.
        places = [
            Evidence(statement.panel, box, d.found or d.expected)
            for d in violations
            for box in d.where
        ]
        failed.evidence = places or failed.evidence
        return failed
    if uncertain:
        sentences = " ".join(d.sentence() for d in uncertain[:_MESSAGE_DIFFERENCES])
        message = f"The warning wording could not be confirmed word for word. {sentences}"
        return result(Outcome.REVIEW, message)
    if not has_header:
        message = (
            "The warning body matches the required text, but the 'GOVERNMENT WARNING:' header "
            "could not be read."
        )
        return result(Outcome.REVIEW, message)
    return result(Outcome.PASS, "The warning matches the required text word for word.")


def violations_message(violations: Sequence[Difference]) -> str:
    """What an agent reads when the wording differs: the first few differences in words."""
    sentences = " ".join(d.sentence() for d in violations[:_MESSAGE_DIFFERENCES])
    more = len(violations) - _MESSAGE_DIFFERENCES
    suffix = f" ({more} more difference(s) in the details.)" if more > 0 else ""
    return f"The warning is not word for word the required text. {sentences}{suffix}"


def telling_small_letters(text: str) -> list[str]:
    """The small letters of `text` whose capitals look different."""
    return [
        char for char in text if char.isalpha() and char.islower() and char not in _AMBIGUOUS_CASE
    ]


def warning_header_caps(fields: LabelFields) -> Check:
    """27 CFR 16.22(a)(2): the words "GOVERNMENT WARNING" are in capital letters.

    Letters whose capital and small forms look alike (c, o, s, u, v, w, x, z)
    and l/i (which OCR swaps with I) cannot prove title case; three or more
    other small letters do, in words read with high confidence.
    """
    cfr = CAPITALS_CFR
    header = fields.warning_header
    expected = "GOVERNMENT WARNING"
    if header is None:
        if fields.warning_body is not None:
            message = (
                "The 'GOVERNMENT WARNING' header could not be read, so its capitals could not be "
                "checked."
            )
            return check(
                "warning_header_caps",
                Outcome.REVIEW,
                message,
                cfr,
                expected=expected,
                confidence=0.0,
            )
        message = "Not checked: no warning statement was found."
        return check("warning_header_caps", Outcome.SKIPPED, message, cfr, expected=expected)
    small = telling_small_letters(header.text)
    if not small:
        message = "'GOVERNMENT WARNING' is in capital letters."
        return check(
            "warning_header_caps", Outcome.PASS, message, cfr, expected=expected, found=header
        )
    # Each word speaks for itself: "Government" read at 96 shows title case
    # even when "Warning:" beside it was read at 43.
    clearly_small = [
        char
        for word in header.words
        if word_confidence(word) >= HIGH_CONFIDENCE
        for char in telling_small_letters(word.text)
    ]
    if len(clearly_small) >= 3:
        message = (
            f"The header reads '{header.text}'; the law requires 'GOVERNMENT WARNING' in capital "
            "letters."
        )
        return check(
            "warning_header_caps", Outcome.FAIL, message, cfr, expected=expected, found=header
        )
    message = (
        f"The header was read as '{header.text}'; some letters may be lower case. "
        "Please check that 'GOVERNMENT WARNING' is in capital letters."
    )
    return check(
        "warning_header_caps", Outcome.REVIEW, message, cfr, expected=expected, found=header
    )
