"""Net contents: 27 CFR 5.70 (spirits), 4.37 (wine), 7.70 (malt beverages)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from verifier.engine.extraction.net_contents import parse_net_contents_text, parse_quantities
from verifier.engine.extraction.normalize import shape_fold
from verifier.engine.extraction.tokens import word_confidence
from verifier.engine.models import (
    Application,
    BeverageType,
    Check,
    FoundText,
    LabelFields,
    Outcome,
    PanelReading,
)
from verifier.engine.rules.common import (
    HIGH_CONFIDENCE,
    UNREAD_CONFIDENCE,
    UNSURE_FINDING,
    ReadingQuality,
    beverage_type,
    check,
    missing_statement,
)

_CFR = {
    BeverageType.DISTILLED_SPIRITS: "27 CFR 5.70",
    BeverageType.WINE: "27 CFR 4.37",
    BeverageType.MALT_BEVERAGE: "27 CFR 7.70",
}
NET_CONTENTS_CFR = "27 CFR 4.37, 5.70, 7.70"


def same_volume(left_ml: float, right_ml: float) -> bool:
    """Equal after unit conversion, allowing rounded equivalents (12 fl oz = 354.9 ≈ 355 mL)."""
    return abs(left_ml - right_ml) <= max(1.0, 0.005 * max(left_ml, right_ml))


# A short word read with little confidence that ends like a unit: "1 L" read
# as "aL", "1.5 L" as "LoL". It may be the statement, misread.
_UNIT_LIKE = re.compile(r"[\w.,]{0,4}(?:ml|cl|l|oz|pt|pint|gal)\.?", re.IGNORECASE)
_MISREAD_SIMILARITY = 50  # a misread keeps at least this much of the printed statement
_SHORT_LINE = 12  # characters: "NET CONTENTS" is longer; "1.5 L" or "750 mL" are not


def unit_like_misreads(readings: Sequence[PanelReading]) -> list[FoundText]:
    """Text that may be a net contents statement OCR could not read, where it is.

    Doubtful words shaped like a unit ("aL" for "1 L"), and short lines read
    with hardly any confidence at all ("eye" or "15." for "1.5 L" in noise).
    """
    found = []
    for reading in readings:
        for line in reading.lines:
            confidences = [word_confidence(word) for word in line.words]
            short = len(line.text) <= _SHORT_LINE and any(ch.isalnum() for ch in line.text)
            if short and confidences and max(confidences) < UNREAD_CONFIDENCE:
                found.append(FoundText(line.text, reading.panel, list(line.words), 0.0))
                continue
            found.extend(
                FoundText(word.text, reading.panel, [word], 0.0)
                for word in line.words
                if word_confidence(word) < HIGH_CONFIDENCE and _UNIT_LIKE.fullmatch(word.text)
            )
    return found


def could_be_misread(label_text: str, filed_text: str) -> bool:
    """Whether OCR could have made the label's statement out of the filed one.

    Glyph confusions change a few characters ("750 mL" -> "760 mL"), not the
    whole statement ("1.5L" is no misreading of "700 mL").
    """
    quantities = parse_quantities(label_text)
    if quantities:
        label_text = label_text[quantities[0].start : quantities[0].end]
    label, filed = shape_fold(label_text), shape_fold(filed_text)
    return fuzz.ratio(label, filed) >= _MISREAD_SIMILARITY


def net_contents(
    fields: LabelFields,
    application: Application,
    quality: ReadingQuality,
    readings: Sequence[PanelReading] = (),
) -> Check:
    """27 CFR 5.70 / 4.37 / 7.70: the label states the net contents the application filed.

    Compared in millilitres, so 750 mL = 75 cL = 0.75 L and 12 fl oz ≈ 355 mL pass.
    Not found fails only on panels read completely (`missing_statement`),
    and is "review" when short words were read doubtfully that end like a
    unit ("aL" for "1 L"), a short line could hardly be read at all, or the
    beverage is malt (its net contents are often on the container). A different figure
    fails when read with confidence, or when OCR could not have made it out
    of the filed statement; otherwise "review".
    """
    kind = beverage_type(fields, application)
    cfr = _CFR.get(kind, NET_CONTENTS_CFR) if kind else NET_CONTENTS_CFR
    found, label_ml = fields.net_contents, fields.net_contents_ml
    filed_ml = parse_net_contents_text(application.net_contents)
    expected = application.net_contents or "a net contents statement"
    if label_ml is None:
        misreads = unit_like_misreads(readings)
        if misreads:
            message = (
                "No net contents statement could be read; "
                f"{', '.join(repr(misread.text) for misread in misreads[:3])} may be one, "
                "misread. Please check the label by eye."
            )
            return check(
                "net_contents",
                Outcome.REVIEW,
                message,
                cfr,
                expected=expected,
                confidence=0.0,
                extra_evidence=misreads[:3],
            )
        if kind == BeverageType.MALT_BEVERAGE:
            message = (
                "No net contents statement was found on the label. Malt beverages often state it "
                "on the container rather than the label; please check by eye."
            )
            return check(
                "net_contents", Outcome.REVIEW, message, cfr, expected=expected, confidence=0.0
            )
        return missing_statement(
            "net_contents", cfr, what="net contents statement", expected=expected, quality=quality
        )
    details: dict[str, object] = {"label_ml": round(label_ml, 1)}

    def stated(outcome: Outcome, message: str) -> Check:
        """The label's statement, set against the application's when it filed one."""
        return check(
            "net_contents",
            outcome,
            message,
            cfr,
            expected=expected,
            found=found,
            details=details,
        )

    if application.net_contents and filed_ml is None:
        message = (
            f"The application's net contents '{application.net_contents}' could not be "
            f"understood; the label states '{found.text}'."
        )  # type: ignore[union-attr]
        return stated(Outcome.REVIEW, message)
    if filed_ml is None:
        message = f"The label states its net contents: {found.text} ({label_ml:.0f} mL)."  # type: ignore[union-attr]
        return stated(Outcome.PASS, message)
    details["application_ml"] = round(filed_ml, 1)
    if same_volume(label_ml, filed_ml):
        message = (
            f"The label states {found.text}, matching the application's {application.net_contents}."  # type: ignore[union-attr]
        )
        return stated(Outcome.PASS, message)
    message = (
        f"The label states {found.text} ({label_ml:.0f} mL) but the application says "
        f"{application.net_contents} ({filed_ml:.0f} mL)."
    )  # type: ignore[union-attr]
    sure = found is not None and (
        found.confidence * 100 >= HIGH_CONFIDENCE
        or (
            found.confidence * 100 >= UNREAD_CONFIDENCE
            and not could_be_misread(found.text, application.net_contents or "")
        )
    )
    if sure:
        return stated(Outcome.FAIL, message)
    details[UNSURE_FINDING] = message
    message += " The label was read with low confidence; please check it by eye."
    return stated(Outcome.REVIEW, message)
