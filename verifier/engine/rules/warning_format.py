"""How large the warning is printed: letter height and density (27 CFR 16.22(a)(4), (b)).

Letter heights come from `typography.py` and are estimates from pixels; a
measurement never passes a check it cannot support, it asks for review.
"""

from __future__ import annotations

from verifier.engine.extraction.net_contents import parse_net_contents_text
from verifier.engine.models import (
    Application,
    Check,
    LabelFields,
    Outcome,
    WarningTypography,
)
from verifier.engine.rules.common import check
from verifier.engine.typography import CAP_HEIGHT_EM, X_HEIGHT_EM

TYPE_SIZE_CFR = "27 CFR 16.22(b)"
_SIZE_MARGIN = 0.9  # letter heights this close below the minimum may be measurement error
# Digits stand as tall as capitals: on common faces 0.72 / 0.53 of the
# x-height, so a 2 mm x-height sets 2.7 mm digits.
_DIGIT_TO_X_HEIGHT = CAP_HEIGHT_EM / X_HEIGHT_EM
# Marks a measure under a metadata scale that no alcohol statement was read to check.
SCALE_UNCHECKED = "scale_unchecked"


def minimum_warning_mm(container_ml: float) -> float:
    """27 CFR 16.22(b): 1 mm up to 237 mL, 2 mm up to 3 L, 3 mm above."""
    if container_ml <= 237:
        return 1.0
    if container_ml <= 3000:
        return 2.0
    return 3.0


def _max_characters_per_inch(letter_mm: float) -> float:
    """27 CFR 16.22(a)(4): 40 at 1 mm, 25 at 2 mm, 12 at 3 mm type."""
    if letter_mm >= 3:
        return 12.0
    if letter_mm >= 2:
        return 25.0
    return 40.0


def minimum_mandatory_mm(container_ml: float) -> float:
    """27 CFR 4.38(b), 5.53, 7.53: mandatory information at least 2 mm high, 1 mm on
    small containers (187 mL wine, 200 mL spirits, half a pint of malt beverage)."""
    return 1.0 if container_ml <= 200 else 2.0


def scale_is_corroborated(typography: WarningTypography, container_ml: float) -> bool:
    """Whether a scale from image metadata holds up against the label itself.

    On an approved label's true scale the alcohol statement, mandatory
    information, is at least its minimum height, and its digits stand as tall
    as capitals (about 1.35 x-heights). A screenshot's DPI metadata says
    nothing about print size: under it those digits measure too small too.
    """
    figure = typography.alcohol_figure_height_mm
    if figure is None:
        return False
    return figure >= minimum_mandatory_mm(container_ml) * _DIGIT_TO_X_HEIGHT


def warning_type_size(
    fields: LabelFields, application: Application, typography: WarningTypography
) -> Check:
    """27 CFR 16.22(b) minimum letter height by container size; 16.22(a)(4) characters per inch.

    Needs a physical scale; without one the check is skipped, saying why.
    Letters under 90% of the minimum fail when the caller stated the scale
    (`Options.dpi`). A scale taken from the image's DPI metadata is often a
    screenshot's and says nothing about print size (approved labels measure
    at 40-80% of the minimum under it), so there a too-small measure fails
    only when the same scale gives the alcohol statement a plausible printed
    size (`scale_is_corroborated`); otherwise it is "review". How far below
    the minimum does not decide it: an approved label measured 42% under its
    metadata.
    """
    cfr = TYPE_SIZE_CFR
    height = typography.letter_height_mm
    if height is None:
        if fields.warning_body is None and fields.warning_header is None:
            message = "Type size not checked: no warning statement was read to measure."
        elif typography.scale_source is None:
            message = "Type size not checked: the image's physical scale (DPI) is not known."
        else:
            message = (
                "Type size not checked: the warning's letters could not be measured "
                "(the reading gave no letter positions)."
            )
        return check("warning_type_size", Outcome.SKIPPED, message, cfr, found=fields.warning_body)
    filed = parse_net_contents_text(application.net_contents)
    container = fields.net_contents_ml or filed
    if container is None:
        message = (
            "Type size not checked: the container size is not known (letters measure "
            f"{height:.1f} mm)."
        )
        return check("warning_type_size", Outcome.SKIPPED, message, cfr, found=fields.warning_body)
    minimum = minimum_warning_mm(container)
    details = {
        "letter_height_mm": round(height, 2),
        "minimum_mm": minimum,
        "container_ml": round(container, 1),
        "scale_source": typography.scale_source,
    }
    expected = f"at least {minimum:g} mm"
    trusted = typography.scale_source == "caller" or scale_is_corroborated(typography, container)
    if typography.alcohol_figure_height_mm is not None:
        details["alcohol_figure_height_mm"] = round(typography.alcohol_figure_height_mm, 2)

    def measured(outcome: Outcome, message: str, section: str = cfr) -> Check:
        return check(
            "warning_type_size",
            outcome,
            message,
            section,
            expected=expected,
            found=fields.warning_body,
            details=details,
        )

    if height < minimum * _SIZE_MARGIN:
        if not trusted:
            if typography.alcohol_figure_height_mm is None:
                # Another reading that reads the alcohol statement may bear it out.
                details[SCALE_UNCHECKED] = True
                why = "the alcohol statement, whose size would bear it out, was not read"
            else:
                why = "which the rest of the label does not bear out"
            message = (
                f"The warning letters measure {height:.1f} mm against the {minimum:g} mm "
                f"minimum, but only by the image's DPI metadata, {why} (screenshots carry "
                "arbitrary values). Please measure the printed label."
            )
            return measured(Outcome.REVIEW, message)
        if filed is not None and height >= minimum_warning_mm(filed) * _SIZE_MARGIN:
            # Too small only for the size read off the label, which may be misread
            # ("15L" for "1.5 L"); net_contents reports the two sizes differing.
            message = (
                f"The warning letters are {height:.1f} mm high: enough for the {filed:.0f} mL "
                f"the application states, not for the {container:.0f} mL read on the label. "
                "Please check the container size by eye."
            )
            return measured(Outcome.REVIEW, message)
        message = (
            f"The warning letters are {height:.1f} mm high; a {container:.0f} mL container needs "
            f"at least {minimum:g} mm."
        )
        return measured(Outcome.FAIL, message)
    if height < minimum:
        message = (
            f"The warning letters measure {height:.2f} mm, just under the {minimum:g} mm minimum; "
            "please measure by hand."
        )
        return measured(Outcome.REVIEW, message)
    cpi = typography.characters_per_inch
    if cpi is not None:
        limit = _max_characters_per_inch(height)
        details["characters_per_inch"] = round(cpi, 1)
        if cpi > limit:
            message = (
                f"The warning is squeezed: {cpi:.1f} characters per inch, more than the "
                f"{limit:.0f} allowed at this size."
            )
            return measured(Outcome.REVIEW, message, "27 CFR 16.22(a)(4)")
    message = f"The warning letters are {height:.1f} mm high, at least the {minimum:g} mm required."
    return measured(Outcome.PASS, message)
