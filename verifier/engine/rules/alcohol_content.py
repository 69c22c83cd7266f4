"""Alcohol content: 27 CFR 5.65 (spirits), 4.36 (wine), 7.65 (malt beverages)."""

from __future__ import annotations

import re

from verifier.engine.extraction.alcohol import AlcoholStatement, parse_alcohol_text
from verifier.engine.models import Application, BeverageType, Check, LabelFields, Outcome
from verifier.engine.rules.common import HIGH_CONFIDENCE, UNSURE_FINDING, beverage_type, check

_CFR = {
    BeverageType.DISTILLED_SPIRITS: "27 CFR 5.65",
    BeverageType.WINE: "27 CFR 4.36",
    BeverageType.MALT_BEVERAGE: "27 CFR 7.65",
}
ALCOHOL_CONTENT_CFR = "27 CFR 4.36, 5.65, 7.65"
_SAME = 0.051  # label and application agree within rounding
_PROOF_SLACK = 1.0  # proof rounded to a whole number: 45.3% may read "91 Proof"
_WINE_TAX_CLASSES = (14.0, 21.0, 24.0)  # 26 U.S.C. 5041(b) boundaries cited in 4.36
# Digits OCR confuses in small print; a figure differing only in these may be a misread.
_CONFUSABLE_DIGITS = {frozenset(pair) for pair in ("38", "56", "68", "17", "08", "89", "35")}
_TABLE_WINE = re.compile(r"\b(table|light)\s+wine\b", re.IGNORECASE)


def tolerance(kind: BeverageType | None, abv: float) -> float | None:
    """Percentage points the labelled figure may differ from the actual content.

    Spirits ±0.3 (5.65(c)); wine ±1.5 at 14% or less, ±1.0 above (4.36(c));
    malt beverages ±0.3 (7.65(c)).
    """
    if kind == BeverageType.WINE:
        return 1.5 if abv <= 14 else 1.0
    if kind in (BeverageType.DISTILLED_SPIRITS, BeverageType.MALT_BEVERAGE):
        return 0.3
    return None


def wine_tax_class(abv: float) -> int:
    """0: not over 14%, 1: over 14 to 21, 2: over 21 to 24, 3: over 24."""
    return sum(abv > boundary for boundary in _WINE_TAX_CLASSES)


def misread_digits(label: float, filed: float) -> bool:
    """True when the two figures differ only in digits OCR confuses ("13.8" for "13.3")."""
    left, right = f"{label:g}", f"{filed:g}"
    if len(left) != len(right):
        return False
    pairs = [frozenset((a, b)) for a, b in zip(left, right, strict=True) if a != b]
    return bool(pairs) and all(pair in _CONFUSABLE_DIGITS for pair in pairs)


def _filed_abv(filed: AlcoholStatement) -> float | None:
    if filed.abv is not None:
        return filed.abv
    return filed.proof / 2 if filed.proof is not None else None


def _label_proof_problem(fields: LabelFields) -> str | None:
    if fields.abv is None or fields.proof is None:
        return None
    if abs(fields.proof - 2 * fields.abv) <= _PROOF_SLACK:
        return None
    return (
        f"The label states {fields.abv:g}% alcohol and {fields.proof:g} proof; "
        f"proof must be twice the percentage ({2 * fields.abv:g} proof)."
    )


def _not_found(
    fields: LabelFields, kind: BeverageType | None, filed_abv: float | None, cfr: str
) -> Check:
    # Never a failure: alcohol statements are often printed sideways or in a
    # thin strip OCR misses, and a missing figure on an approved label is far
    # likelier to be unread than absent.
    expected = (
        f"{filed_abv:g}% alcohol by volume"
        if filed_abv is not None
        else "an alcohol content statement"
    )
    found = fields.alcohol_content
    if found is not None:
        message = (
            f"An alcohol statement was found ('{found.text}') but its number could not be read; "
            "please check it by eye."
        )
        return check(
            "alcohol_content",
            Outcome.REVIEW,
            message,
            cfr,
            expected=expected,
            found=found,
            confidence=0.0,
        )
    if kind == BeverageType.MALT_BEVERAGE and filed_abv is None:
        message = (
            "No alcohol statement found; malt beverages need one only when flavours add alcohol "
            "(7.63(a)(3))."
        )
        return check("alcohol_content", Outcome.NOT_APPLICABLE, message, cfr)
    message = (
        "No alcohol content statement was found on the label; please check it by eye (it may be "
        "printed sideways)."
    )
    return check("alcohol_content", Outcome.REVIEW, message, cfr, expected=expected, confidence=0.0)


def alcohol_content(
    fields: LabelFields, application: Application, table_wine_on_label: bool
) -> Check:
    """27 CFR 5.65 / 4.36 / 7.65: the label states the alcohol content the application filed.

    Exact match (within rounding) passes. A difference within the beverage's
    tolerance (spirits ±0.3, wine ±1.5 / ±1.0, malt ±0.3) is "review": the
    tolerance is between label and bottle, label and application should
    agree. Beyond it fails, as does proof other than twice the ABV, or a wine
    figure in a different tax class (14/21/24%) from the application's.
    Wine at 14% or less may omit the figure when "table wine" appears (4.36(a)).
    """
    kind = beverage_type(fields, application)
    cfr = _CFR.get(kind, ALCOHOL_CONTENT_CFR) if kind else ALCOHOL_CONTENT_CFR
    filed = parse_alcohol_text(application.alcohol_content)
    filed_abv = _filed_abv(filed) if filed else None
    found = fields.alcohol_content
    label_abv = (
        fields.abv if fields.abv is not None else (fields.proof / 2 if fields.proof else None)
    )
    if label_abv is None:
        if (
            kind == BeverageType.WINE
            and table_wine_on_label
            and (filed_abv is None or filed_abv <= 14)
        ):
            message = (
                "No alcohol figure on the label, which 4.36(a) allows for 'table wine' of 14% or "
                "less."
            )
            return check(
                "alcohol_content",
                Outcome.PASS,
                message,
                cfr,
                expected="alcohol statement or 'table wine'",
            )
        return _not_found(fields, kind, filed_abv, cfr)
    sure = found is None or found.confidence * 100 >= HIGH_CONFIDENCE
    # What the label gets wrong: a failure when read clearly, else review.
    wrong = Outcome.FAIL if sure else Outcome.REVIEW
    proof_problem = _label_proof_problem(fields)
    details: dict[str, object] = {"label_abv": label_abv, "label_proof": fields.proof}

    def wrongly(message: str, expected: str) -> Check:
        """What the label gets wrong; read unsurely, kept for another reading to
        confirm (`UNSURE_FINDING`)."""
        if not sure:
            details[UNSURE_FINDING] = message
        return check("alcohol_content", wrong, message, cfr, expected=expected, found=found,
                     details=details)  # fmt: skip

    if proof_problem:
        return wrongly(proof_problem, f"{2 * label_abv:g} proof")
    if kind == BeverageType.DISTILLED_SPIRITS and fields.abv is None:
        message = (
            f"The label states only proof ({fields.proof:g}); spirits must state alcohol by volume."
        )
        return check("alcohol_content", wrong, message, cfr, found=found)
    if filed_abv is None:
        message = f"The label states {label_abv:g}% alcohol by volume."
        return check(
            "alcohol_content",
            Outcome.PASS,
            message,
            cfr,
            expected="an alcohol content statement",
            found=found,
        )
    expected = application.alcohol_content or f"{filed_abv:g}%"
    details["application_abv"] = filed_abv
    difference = abs(label_abv - filed_abv)

    def compared(outcome: Outcome, message: str) -> Check:
        """The label's figure set against the application's."""
        return check(
            "alcohol_content",
            outcome,
            message,
            cfr,
            expected=expected,
            found=found,
            details=details,
        )

    if (
        filed
        and filed.proof is not None
        and fields.proof is not None
        and abs(filed.proof - fields.proof) > 0.5
    ):
        message = (
            f"The label states {fields.proof:g} proof; the application says {filed.proof:g} proof."
        )
        return wrongly(message, expected)
    if kind == BeverageType.WINE and wine_tax_class(label_abv) != wine_tax_class(filed_abv):
        message = (
            f"The label states {label_abv:g}% and the application {filed_abv:g}%: "
            "they fall in different wine tax classes (boundaries 14%, 21%, 24%)."
        )
        return wrongly(message, expected)
    if difference <= _SAME:
        message = f"The label states {label_abv:g}% alcohol by volume, as in the application."
        return compared(Outcome.PASS, message)
    allowed = tolerance(kind, label_abv)
    if allowed is not None and difference <= allowed + 1e-9:
        details["tolerance"] = allowed
        message = (
            f"The label states {label_abv:g}% but the application says {filed_abv:g}%. "
            f"The difference is within the ±{allowed:g} point tolerance of {cfr}, "
            "but label and application should match; please review."
        )
        return compared(Outcome.REVIEW, message)
    message = f"The label states {label_abv:g}% alcohol but the application says {filed_abv:g}%."
    if sure and not misread_digits(label_abv, filed_abv):
        return compared(Outcome.FAIL, message)
    details[UNSURE_FINDING] = message
    message += " The figure was read with low confidence; please check it by eye."
    return compared(Outcome.REVIEW, message)


def mentions_table_wine(text: str) -> bool:
    return bool(_TABLE_WINE.search(text))
