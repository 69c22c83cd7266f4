"""Standards of fill: 27 CFR 5.203 (spirits), 4.72 (wine), as amended by T.D. TTB-200
(effective 10 January 2025); malt beverages have none, but 7.70 fixes their units.
"""

from __future__ import annotations

from verifier.engine.extraction.net_contents import (
    US_UNITS,
    names_us_unit,
    parse_net_contents_text,
    parse_quantities,
)
from verifier.engine.models import Application, BeverageType, Check, LabelFields, Outcome
from verifier.engine.rules.common import HIGH_CONFIDENCE, UNSURE_FINDING, beverage_type, check

STANDARD_OF_FILL_CFR = "27 CFR 4.72, 5.203"
WINE_SIZES_ML = (
    50,
    100,
    180,
    187,
    200,
    250,
    300,
    330,
    355,
    360,
    375,
    473,
    500,
    550,
    568,
    600,
    620,
    700,
    720,
    750,
    1000,
    1500,
    1800,
    2250,
    3000,
)
SPIRITS_SIZES_ML = (
    50,
    100,
    187,
    200,
    250,
    331,
    350,
    355,
    375,
    475,
    500,
    570,
    700,
    710,
    720,
    750,
    900,
    945,
    1000,
    1500,
    1750,
    1800,
    2000,
    3000,
    3750,
)
_WHOLE_US_UNITS = {16.0: "1 pint", 32.0: "1 quart", 128.0: "1 gallon"}


def _authorised(ml: float, sizes: tuple[int, ...]) -> bool:
    # US-unit statements convert to fractions of a mL (12 fl oz = 354.88 mL).
    return any(abs(ml - size) <= max(0.6, 0.002 * size) for size in sizes)


def wine_size_authorised(ml: float) -> bool:
    """27 CFR 4.72: the listed sizes, or any even number of litres from 4 L up."""
    if _authorised(ml, WINE_SIZES_ML):
        return True
    litres = ml / 1000
    return litres >= 4 and abs(litres - round(litres)) < 0.002 and round(litres) % 2 == 0


def spirits_size_authorised(ml: float) -> bool:
    """27 CFR 5.203: the listed sizes, for any container (cans included since 2025)."""
    return _authorised(ml, SPIRITS_SIZES_ML)


def _malt_units(fields: LabelFields, cfr: str) -> Check:
    """27 CFR 7.70: U.S. units, metric only in addition; exactly a pint/quart/gallon stated so."""
    found = fields.net_contents
    quantities = parse_quantities(found.text) if found else []
    if not quantities:
        message = "Malt beverages have no federal standard of fill."
        return check("standard_of_fill", Outcome.NOT_APPLICABLE, message, cfr)
    if not any(q.unit in US_UNITS for q in quantities):
        if names_us_unit(found.text):  # type: ignore[union-attr]
            message = (
                f"The label states '{found.text}': a U.S. unit whose figure could not be "
                "read. Please check by eye that the net contents are stated in U.S. units."
            )  # type: ignore[union-attr]
            return check("standard_of_fill", Outcome.REVIEW, message, cfr, found=found)
        message = (
            f"The label states '{found.text}' in metric units only; malt beverages must state "
            "U.S. units (fl oz, pint, quart, gallon)."
        )  # type: ignore[union-attr]
        return check(
            "standard_of_fill", Outcome.FAIL, message, cfr, expected="U.S. units", found=found
        )
    first = quantities[0]
    if first.unit == "fl oz" and first.value in _WHOLE_US_UNITS:
        whole = _WHOLE_US_UNITS[first.value]
        message = (
            f"The label states '{found.text}'; exactly {first.value:g} fl oz must be stated as "
            f"'{whole}'."
        )  # type: ignore[union-attr]
        return check("standard_of_fill", Outcome.FAIL, message, cfr, expected=whole, found=found)
    message = (
        "Malt beverages have no federal standard of fill; the net contents use U.S. units as "
        "7.70 requires."
    )
    return check("standard_of_fill", Outcome.NOT_APPLICABLE, message, cfr, found=found)


def standard_of_fill(fields: LabelFields, application: Application) -> Check:
    """27 CFR 5.203 / 4.72 (post-2025 lists): the container is an authorised size.

    Malt beverages: no standard of fill (not applicable), but 27 CFR 7.70's
    units rules are checked here.
    """
    kind = beverage_type(fields, application)
    if kind == BeverageType.MALT_BEVERAGE:
        return _malt_units(fields, "27 CFR 7.70")
    cfr = "27 CFR 5.203" if kind == BeverageType.DISTILLED_SPIRITS else "27 CFR 4.72"
    if kind is None:
        message = (
            "Not checked: the beverage type is not known, and the standards differ for wine and "
            "spirits."
        )
        return check("standard_of_fill", Outcome.SKIPPED, message, STANDARD_OF_FILL_CFR)
    ml = fields.net_contents_ml
    if ml is None:
        message = "Not checked: no net contents statement was read on the label."
        return check("standard_of_fill", Outcome.SKIPPED, message, cfr)
    allowed = (
        spirits_size_authorised(ml)
        if kind == BeverageType.DISTILLED_SPIRITS
        else wine_size_authorised(ml)
    )
    noun = "spirits" if kind == BeverageType.DISTILLED_SPIRITS else "wine"
    details: dict[str, object] = {"container_ml": round(ml, 1)}
    if allowed:
        message = f"{ml:.0f} mL is an authorised {noun} container size."
        return check(
            "standard_of_fill",
            Outcome.PASS,
            message,
            cfr,
            found=fields.net_contents,
            details=details,
        )
    message = f"{ml:.0f} mL is not an authorised {noun} container size under {cfr}."
    # A figure read unsurely is not in doubt when the application states the same size.
    filed = parse_net_contents_text(application.net_contents)
    as_filed = filed is not None and abs(filed - ml) <= 0.01 * ml
    if as_filed:
        message += " The application states the same size."
    read = fields.net_contents
    sure = read is not None and (read.confidence * 100 >= HIGH_CONFIDENCE or as_filed)
    if not sure:
        details[UNSURE_FINDING] = message
        message += " The net contents were read with low confidence; please check them by eye."
    return check(
        "standard_of_fill",
        Outcome.FAIL if sure else Outcome.REVIEW,
        message,
        cfr,
        found=fields.net_contents,
        details=details,
    )
