"""Brand name and class/type, against the application.

Brand §5.64 / §4.33 / §7.64; class/type §5.63 / §4.34 / §7.63 (the name and
address and the country of origin: `origin.py`). Case, punctuation, apostrophe
style, spacing and diacritics are forgiven; a different word read clearly is not.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rapidfuzz import fuzz

from verifier.engine.extraction.names import (
    LOCATED_SCORE,
    prominent_rank,
    prominent_texts,
    similarity,
    stands_out,
)
from verifier.engine.extraction.normalize import (
    fold,
    fold_token,
    same_glyphs,
    same_text,
    shape_fold,
)
from verifier.engine.extraction.tokens import mean_confidence, word_confidence
from verifier.engine.extraction.vocabulary import GENERIC_WORDS, SPELLING_VARIANTS
from verifier.engine.extraction.warning_alignment import align, pieces_from_words
from verifier.engine.models import Application, Check, FoundText, Outcome, PanelReading
from verifier.engine.rules.common import (
    HIGH_CONFIDENCE,
    ReadingQuality,
    check,
    missing_statement,
)
from verifier.engine.rules.word_diff import CLEAR_WORD, VIOLATIONS, classify

BRAND_NAME_CFR = "27 CFR 5.64, 4.33, 7.64"
CLASS_TYPE_CFR = "27 CFR 5.63, 4.34, 7.63"

_PROMINENT_RANK = 3  # a brand sits among the few largest lines on the label
_ABSENT = 70  # partial similarity under which the filed brand is nowhere in the text
_FRAGMENT = 85  # partial similarity, glyphs OCR confuses aside, of a piece of the brand
DIFFERENT_WORD = 60  # similarity of two words under which one is another word


def read_surely(found: FoundText) -> bool:
    """Read clearly: judged on the OCR confidence of the words, not on how well they matched."""
    confidence = mean_confidence(found.words) if found.words else found.confidence
    return confidence * 100 >= HIGH_CONFIDENCE


def _clearly_read(found: FoundText) -> bool:
    """Every word read with the confidence that marks a printed, not misread, word."""
    return bool(found.words) and min(word_confidence(word) for word in found.words) >= CLEAR_WORD


def _label_text(readings: Sequence[PanelReading]) -> str:
    return fold(" ".join(reading.text for reading in readings))


def _clear_other_word(found: FoundText, sought: str) -> str | None:
    """A word of `found` read clearly that is no misreading of any word of `sought`.

    One such word is enough to tell a different name ("Creek" read at 95 is
    not "Northern Lights", even if "Iron" beside it was read at 74).
    """
    sought_words = [shape_fold(word) for word in fold(sought).split()]
    for word in found.words:
        folded = fold_token(word.text)
        if (
            word_confidence(word) < CLEAR_WORD
            or sum(char.isalpha() for char in folded) < 4
            or folded in GENERIC_WORDS
        ):
            continue
        if all(fuzz.ratio(shape_fold(folded), other) < DIFFERENT_WORD for other in sought_words):
            return word.text
    return None


def brand_name(
    found: FoundText | None,
    application: Application,
    readings: Sequence[PanelReading],
    quality: ReadingQuality,
    warning_words: Collection[int] = frozenset(),
) -> Check:
    """27 CFR 5.64 / 4.33 / 7.64: the label's brand name is the one the application filed.

    Fails only on a prominent brand that differs, with a word read clearly
    that is no misreading of the filed name, on a label read clearly; a brand
    that cannot be found (script and decorative fonts defeat OCR) is "review".
    The health warning's words (`warning_words`, by id) never count as a brand.
    """
    cfr = BRAND_NAME_CFR
    sought = application.brand_name
    if not sought:
        guess = f" The most prominent text on the label is '{found.text}'." if found else ""
        return check(
            "brand_name",
            Outcome.NOT_APPLICABLE,
            "No brand name in the application to compare." + guess,
            cfr,
            found=found,
        )
    if found is None:
        message = (
            f"The brand name '{sought}' could not be found on the label; please check it by eye."
        )
        return check("brand_name", Outcome.REVIEW, message, cfr, expected=sought, confidence=0.0)

    def judged(
        outcome: Outcome,
        message: str,
        *,
        details: dict | None = None,
        confidence: float | None = None,
    ) -> Check:
        """The label's brand set against the filed one."""
        return check("brand_name", outcome, message, cfr, expected=sought, found=found,
                     confidence=confidence, details=details)  # fmt: skip

    if same_text(sought, found.text):
        message = f"The brand name on the label, '{found.text}', matches the application."
        return judged(Outcome.PASS, message)
    if same_glyphs(sought, found.text):
        message = (
            f"The brand name on the label, read '{found.text}', matches the application's "
            f"'{sought}' (letters that look alike in print, such as l and I, aside)."
        )
        return judged(Outcome.PASS, message)
    prominent = prominent_rank(found, readings, warning_words) < _PROMINENT_RANK and stands_out(
        found, readings
    )
    if similarity(sought, found.text) >= LOCATED_SCORE:
        differences = classify(align(pieces_from_words(found.words), sought.split()).steps)
        details = {"diff": [d.as_dict() for d in differences]}
        if all(d.kind == "spacing" for d in differences):
            message = (
                f"The brand name on the label, '{found.text}', matches the application (spacing "
                "aside)."
            )
            return judged(Outcome.PASS, message, details=details)
        changed = [d for d in differences if d.kind in ("changed", "added")]
        details["reason"] = "different_words"
        if changed and prominent and _clearly_read(found):
            words = " ".join(d.sentence() for d in changed)
            message = (
                f"The label's brand name '{found.text}' differs from the application's "
                f"'{sought}'. {words}"
            )
            return judged(Outcome.FAIL, message, details=details)
        message = (
            f"The label reads '{found.text}' where the application says '{sought}'; this may be a "
            "reading error. Please check by eye."
        )
        return judged(Outcome.REVIEW, message, details=details)
    absent = fuzz.partial_ratio(fold(sought), _label_text(readings)) < _ABSENT
    # A fragment of the filed brand ("VANNI" of "Luigi & Giovanni", "Dornaine" of
    # "Domaine") is the brand half-read; a brand sharing a few letters with it ("BELL &"
    # and "Belc" of "Domaine Belcour") is another brand.
    fragment = fuzz.partial_ratio(shape_fold(found.text), shape_fold(sought)) >= _FRAGMENT
    generic = set(fold(found.text).split()) <= GENERIC_WORDS
    distinct = sum(char.isalpha() for char in found.text) >= 4 and not generic and not fragment
    read_clearly = _clearly_read(found) or _clear_other_word(found, sought) is not None
    if absent and prominent and distinct and read_clearly and quality.complete:
        message = (
            f"The label's brand name appears to be '{found.text}', not '{sought}' as in the "
            "application."
        )
        return judged(Outcome.FAIL, message, details={"reason": "absent"})
    message = (
        f"The brand name '{sought}' could not be found on the label "
        f"(the most prominent text read is '{found.text}'). "
        "Decorative lettering is often unreadable by machine; please check it by eye."
    )
    details = {
        "filed_brand_absent": absent,
        "prominent": prominent_texts(readings, warning_words, _PROMINENT_RANK),
    }
    return judged(Outcome.REVIEW, message, confidence=0.0, details=details)


def _designation(text: str) -> str:
    return " ".join(SPELLING_VARIANTS.get(word, word) for word in fold(text).split())


def class_type(
    found: FoundText | None,
    application: Application,
    quality: ReadingQuality,
    readings: Sequence[PanelReading] = (),
) -> Check:
    """27 CFR 5.63 / 4.34 / 7.63: the class/type designation the application filed.

    "Whisky" and "whiskey" are both accepted spellings (27 CFR 5.143).
    """
    cfr = CLASS_TYPE_CFR
    sought = application.class_type
    if not sought:
        if found is not None:
            return check(
                "class_type",
                Outcome.PASS,
                f"The label states the class/type '{found.text}'.",
                cfr,
                found=found,
            )
        message = (
            "No recognised class/type designation was found on the label; please check it by eye."
        )
        return check(
            "class_type",
            Outcome.REVIEW,
            message,
            cfr,
            expected="a class/type designation",
            confidence=0.0,
        )
    if found is None:
        return missing_statement(
            "class_type", cfr, what="class/type designation", expected=sought, quality=quality
        )
    if _designation(sought) == _designation(found.text) or same_text(sought, found.text):
        message = f"The label states '{found.text}', matching the application."
        return check("class_type", Outcome.PASS, message, cfr, expected=sought, found=found)
    message = f"The label states '{found.text}' where the application says '{sought}'."
    differences = classify(align(pieces_from_words(found.words), sought.split()).steps)
    details: dict[str, object] = {"diff": [d.as_dict() for d in differences]}
    read, filed = _designation(found.text).split(), _designation(sought).split()
    if len(read) < len(filed) and _in_order(read, filed):
        unfound = " ".join(word for word in sought.split() if _designation(word) not in read)
        elsewhere = set(fold(unfound).split()) <= set(_label_text(readings).split())
        return _designation_in_part(found, sought, unfound, quality, details, elsewhere)
    located = similarity(sought, found.text) >= LOCATED_SCORE
    clear = read_surely(found) and (not located or any(d.kind in VIOLATIONS for d in differences))
    if clear:
        return check(
            "class_type", Outcome.FAIL, message, cfr, expected=sought, found=found, details=details
        )
    message += " This may be a reading error; please check by eye."
    return check(
        "class_type", Outcome.REVIEW, message, cfr, expected=sought, found=found, details=details
    )


def _in_order(words: Sequence[str], within: Sequence[str]) -> bool:
    """Whether `words` are some of `within`'s, in its order."""
    rest = iter(within)
    return bool(words) and all(word in rest for word in words)


def _designation_in_part(
    found: FoundText,
    sought: str,
    unfound: str,
    quality: ReadingQuality,
    details: dict,
    read_elsewhere: bool,
) -> Check:
    """Part of the filed designation read, the rest nowhere ("BOURBON WHISKEY" for
    "Kentucky Straight Bourbon Whiskey"): like a statement not found, a failure only
    on panels read completely. The rest is often a line of its own under a rule or in
    other type, which no reading made out; or it was read, apart from the rest."""
    cfr = CLASS_TYPE_CFR
    details = {**details, "reason": "partial"}
    if read_elsewhere:
        message = (
            f"The label states '{found.text}'; '{unfound}' of the application's '{sought}' "
            "was read elsewhere on the label. Please check by eye that the designation "
            f"reads '{sought}'."
        )
        outcome = Outcome.REVIEW
    elif quality.complete:
        message = (
            f"The label states '{found.text}' where the application says '{sought}': "
            f"'{unfound}' is not on the label (every panel was read completely)."
        )
        outcome = Outcome.FAIL
    else:
        message = (
            f"The label states '{found.text}'; '{unfound}' of the application's "
            f"'{sought}' was not found. It may be printed where it could not be read; "
            "please check the label by eye."
        )
        outcome = Outcome.REVIEW
    return check("class_type", outcome, message, cfr, expected=sought, found=found,
                 details=details)  # fmt: skip
