"""Name and address of the bottler or importer, and the country of origin, against the
application: §5.66–5.68 / §4.35 / §7.66; 19 CFR 134 via §5.69 / §7.69.

Every word of the filed name and address must be read (state abbreviations
equal their names); a country is compared by what the statement states
("Product of Portugal" states Portugal).
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from verifier.engine.extraction.normalize import fold, shape_fold
from verifier.engine.extraction.origin import (
    canonical_address,
    canonical_country,
    without_bottler_phrase,
)
from verifier.engine.models import Application, Check, FoundText, Outcome, PanelReading
from verifier.engine.rules.common import ReadingQuality, check, missing_statement, trace_of
from verifier.engine.rules.names import DIFFERENT_WORD, read_surely

BOTTLER_CFR = "27 CFR 5.66, 4.35, 7.66"
COUNTRY_OF_ORIGIN_CFR = "19 CFR 134.11; 27 CFR 5.69, 7.69"

_TOKEN_MATCH = 85


def _token_scores(sought: str, found: str) -> list[float]:
    found_tokens = canonical_address(found).split()
    scores = []
    for token in canonical_address(sought).split():
        if token.isdigit():
            continue  # zip codes and street numbers are often left off the label
        best = max(
            (fuzz.ratio(shape_fold(token), shape_fold(other)) for other in found_tokens),
            default=0.0,
        )
        scores.append(best)
    return scores


# Words of a name-and-address phrase: one read, however garbled, is a trace of it.
_BOTTLER_WORDS = (
    "bottled", "imported", "produced", "distilled", "vinted", "brewed", "cellared", "blended",
    "packed", "canned", "importer", "importers",
)  # fmt: skip


def bottler(
    found: FoundText | None,
    application: Application,
    quality: ReadingQuality,
    readings: Sequence[PanelReading] = (),
) -> Check:
    """27 CFR 5.66–5.68, 4.35, 7.66: the name and address of the bottler, producer or importer.

    Every word of the filed name and address must appear; state abbreviations
    ("KY") equal their names ("Kentucky").
    """
    cfr = BOTTLER_CFR
    # The label's statement is read without its "Bottled by"; so is the application's.
    sought = without_bottler_phrase(application.bottler) if application.bottler else None
    if found is None:
        names = [word for word in fold(sought or "").split() if len(word) >= 5]
        return missing_statement(
            "bottler",
            cfr,
            what="name and address statement ('Bottled by', 'Imported by' …)",
            expected=sought or "the bottler's or importer's name and address",
            quality=quality,
            trace=trace_of(readings, [*_BOTTLER_WORDS, *names]),
        )
    if not sought:
        return check(
            "bottler",
            Outcome.PASS,
            f"The label states the name and address '{found.text}'.",
            cfr,
            found=found,
        )
    scores = _token_scores(sought, found.text)
    details = {"word_scores": [round(score) for score in scores]}
    # Words run together ("ATLANTICVINEIMPORTS") hold the filed words all the same.
    run_together = fuzz.partial_ratio(
        canonical_address(sought).replace(" ", ""), canonical_address(found.text).replace(" ", "")
    )
    if all(score >= _TOKEN_MATCH for score in scores) or run_together >= _TOKEN_MATCH + 5:
        message = f"The name and address on the label, '{found.text}', match the application."
        return check(
            "bottler", Outcome.PASS, message, cfr, expected=sought, found=found, details=details
        )
    message = f"The label states '{found.text}' where the application says '{sought}'."
    different = any(score < DIFFERENT_WORD for score in scores)
    completed = _pieces_completed(sought, found.text)
    if different and completed != fold(found.text):
        # Nothing else differs once the filed words read in part are whole: doubt.
        different = any(score < DIFFERENT_WORD for score in _token_scores(sought, completed))
    if different and read_surely(found):
        return check(
            "bottler", Outcome.FAIL, message, cfr, expected=sought, found=found, details=details
        )
    message += " This may be a reading error; please check by eye."
    return check(
        "bottler", Outcome.REVIEW, message, cfr, expected=sought, found=found, details=details
    )


def _pieces_completed(sought: str, read: str) -> str:
    """`read` (folded) with each word that is an end of a filed word it does not hold,
    at least half of it, made that word: "N" where "NJ" was filed, its "J" cut off
    or lost under a mark, is no other state."""
    filed, words = fold(sought).split(), fold(read).split()

    def whole(piece: str) -> str:
        for word in filed:
            if word in words or piece == word or 2 * len(piece) < len(word):
                continue
            if word.startswith(piece) or word.endswith(piece):
                return word
        return piece

    return " ".join(whole(piece) for piece in words)


def is_import(application: Application, label_text: str) -> bool | None:
    """True/False from the application when it says; else True if the label says "Imported by"."""
    if application.is_import is not None:
        return application.is_import
    if application.country_of_origin:
        return canonical_country(application.country_of_origin) != "united states"
    return True if "imported by" in fold(label_text) else None


def country_of_origin(
    found: FoundText | None,
    application: Application,
    readings: Sequence[PanelReading],
    quality: ReadingQuality,
) -> Check:
    """19 CFR 134.11 via 27 CFR 5.69 / 7.69 (and 4.35(b)): imports state their country of origin."""
    cfr = COUNTRY_OF_ORIGIN_CFR
    imported = is_import(application, " ".join(reading.text for reading in readings))
    sought = application.country_of_origin
    if not imported:
        if found is not None:
            message = f"The label states the country of origin '{found.text}'."
            return check("country_of_origin", Outcome.PASS, message, cfr, found=found)
        reason = (
            "the application marks it domestic"
            if imported is False
            else "nothing shows the product is imported"
        )
        return check("country_of_origin", Outcome.NOT_APPLICABLE, f"Not required: {reason}.", cfr)
    expected = sought or "a country of origin statement"
    if found is None:
        return missing_statement(
            "country_of_origin",
            cfr,
            what="country of origin statement ('Product of …')",
            expected=expected,
            quality=quality,
            trace=trace_of(readings, [canonical_country(sought)]) if sought else None,
        )
    if not sought or canonical_country(sought) == canonical_country(found.text):
        message = f"The label states the country of origin: {found.text}."
        return check(
            "country_of_origin", Outcome.PASS, message, cfr, expected=expected, found=found
        )
    message = (
        f"The label states the country of origin '{found.text}' where the application says "
        f"'{sought}'."
    )
    outcome = Outcome.FAIL if read_surely(found) else Outcome.REVIEW
    return check("country_of_origin", outcome, message, cfr, expected=expected, found=found)
