"""How the warning is printed: bold header, regular body, type size (27 CFR 16.22).

Stroke widths come from `typography.py` and are estimates from pixels; a
measurement never passes a check it cannot support, it asks for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from verifier.engine.extraction.net_contents import parse_net_contents_text
from verifier.engine.models import (
    Application,
    Check,
    FoundText,
    LabelFields,
    Outcome,
    WarningTypography,
)
from verifier.engine.rules.common import check
from verifier.engine.typography import CAP_HEIGHT_EM, X_HEIGHT_EM

# Header stroke / body stroke: bold type is visibly heavier than regular.
_BOLDER = 1.2
# Stroke width as a fraction of the type size (typography's *_stroke_em):
# regular type measures about 0.09, bold about 0.14.
_REGULAR_EM = 0.115
_BOLD_EM = 0.13
# Bold faces measure from 0.114 per em (Liberation Bold); regular body type
# on generated and approved labels stays under 0.10 unless it is bold.
_LIGHTEST_BOLD_EM = 0.11
_SAME_AS_HEADER = 1.1  # header stroke / body stroke: the same weight
# That finer distinction (0.11 against 0.09 per em) needs wider strokes: on a
# 2.8 px JPEG a regular serif body measured 0.12 (approved label).
_FINE_STROKE_PX = 3.0
# Without an em measure: stroke / word box height (box includes ascenders).
_REGULAR_BOX = 0.13
_BOLD_BOX = 0.15
_SIZE_MARGIN = 0.9  # letter heights this close below the minimum may be measurement error
# Digits stand as tall as capitals: on common faces 0.72 / 0.53 of the
# x-height, so a 2 mm x-height sets 2.7 mm digits.
_DIGIT_TO_X_HEIGHT = CAP_HEIGHT_EM / X_HEIGHT_EM
# Strokes thinner than this (low-resolution screenshots: 1.5-2 px) cannot be
# told regular from bold: a pixel of blur or anti-aliasing is 50% of the width.
MEASURABLE_STROKE_PX = 2.5
# A header this light per em is regular type whatever the font (regular faces
# measure 0.08-0.11, the lightest bold 0.115).
_CLEARLY_REGULAR_EM = 0.105


@dataclass(frozen=True)
class _Weight:
    """How heavy a run of text is, on a scale where regular and bold are known."""

    value: float
    regular: float  # at or below: regular weight
    bold: float  # at or above: bold weight

    @property
    def is_regular(self) -> bool:
        return self.value <= self.regular

    @property
    def is_bold(self) -> bool:
        return self.value >= self.bold


def _median_height(found: FoundText | None) -> float | None:
    heights = [word.box.height for word in (found.words if found else []) if word.box is not None]
    return median(heights) if heights else None


def _weight(em: float | None, stroke_px: float | None, found: FoundText | None) -> _Weight | None:
    if em is not None:
        return _Weight(em, _REGULAR_EM, _BOLD_EM)
    height = _median_height(found)
    if stroke_px is None or not height:
        return None
    return _Weight(stroke_px / height, _REGULAR_BOX, _BOLD_BOX)


def _stroke_ratio(typography: WarningTypography) -> float | None:
    header_px, body_px = typography.header_stroke_px, typography.body_stroke_px
    if header_px is None or not body_px:
        return None
    return header_px / body_px


def _details(typography: WarningTypography) -> dict[str, float | None]:
    return {
        "header_stroke_px": typography.header_stroke_px,
        "body_stroke_px": typography.body_stroke_px,
        "header_stroke_em": typography.header_stroke_em,
        "body_stroke_em": typography.body_stroke_em,
    }


def warning_header_bold(fields: LabelFields, typography: WarningTypography) -> Check:
    """27 CFR 16.22(a)(2): "GOVERNMENT WARNING" is in bold type.

    Bold when its strokes are clearly thicker than the body's, or heavy in
    their own right (the whole statement may be bold, which the body check
    reports). Fails only when the strokes are wide enough to measure
    (MEASURABLE_STROKE_PX) and the header is clearly regular on its own scale
    (stroke per em at most 0.105) and not heavier than the body. Thin strokes,
    in-between weights, or nothing to measure (no boxes, header or body not
    found) are "review", never "pass".
    """
    cfr = "27 CFR 16.22(a)(2)"
    expected = "header in bold type"
    header = fields.warning_header
    details = _details(typography)
    ratio = _stroke_ratio(typography)
    header_weight = _weight(typography.header_stroke_em, typography.header_stroke_px, header)
    if ratio is None and header_weight is None:
        what = "header" if typography.header_stroke_px is None else "body"
        message = (
            "Could not tell whether 'GOVERNMENT WARNING' is bold: "
            f"the {what} stroke width could not be measured. Please check by eye."
        )
        return check("warning_header_bold", Outcome.REVIEW, message, cfr, expected=expected,
                     found=header, confidence=0.0, details=details)  # fmt: skip
    if ratio is not None:
        details["ratio"] = round(ratio, 2)
    if (ratio is not None and ratio >= _BOLDER) or (
        header_weight is not None and header_weight.is_bold
    ):
        message = "The 'GOVERNMENT WARNING' header is bold."
        if ratio is not None:
            message = f"The header is bold: its strokes are {ratio:.1f}× as thick as the body's."
        return check("warning_header_bold", Outcome.PASS, message, cfr, expected=expected,
                     found=header, details=details)  # fmt: skip
    measurable = (
        typography.header_stroke_px is not None
        and typography.header_stroke_px >= MEASURABLE_STROKE_PX
    )
    clearly_regular = (
        typography.header_stroke_em is not None
        and typography.header_stroke_em <= _CLEARLY_REGULAR_EM
    )
    if measurable and clearly_regular and (ratio is None or ratio < _BOLDER):
        message = "The 'GOVERNMENT WARNING' header is not bold: it is printed in regular weight."
        return check("warning_header_bold", Outcome.FAIL, message, cfr, expected=expected,
                     found=header, details=details)  # fmt: skip
    message = (
        "The header is not clearly heavier than the body; please check by eye that it is bold."
    )
    if not measurable:
        message = (
            "Could not tell whether 'GOVERNMENT WARNING' is bold: its strokes are "
            f"{typography.header_stroke_px:.1f} px wide, too thin to measure at this "
            "resolution. Please check by eye."
        )
    return check("warning_header_bold", Outcome.REVIEW, message, cfr, expected=expected,
                 found=header, details=details)  # fmt: skip


def warning_body_not_bold(fields: LabelFields, typography: WarningTypography) -> Check:
    """27 CFR 16.22(a)(2): the rest of the statement may not be in bold type.

    Judged by the body's stroke relative to its type size: bold on its own
    scale, or heavier than regular type (Liberation Bold measures only
    0.114-0.12 per em) and as heavy as a header that is bold itself, which
    is a statement set wholly in bold (this finer call needs strokes of 3 px
    or more). Fails only on strokes wide enough to measure
    (MEASURABLE_STROKE_PX); unmeasurable or in between: review.
    """
    cfr = "27 CFR 16.22(a)(2)"
    expected = "body not in bold type"
    body = fields.warning_body
    details = _details(typography)
    weight = _weight(typography.body_stroke_em, typography.body_stroke_px, body)
    if weight is None:
        message = (
            "Could not tell whether the warning text is bold: "
            "its stroke width could not be measured. Please check by eye."
        )
        return check("warning_body_not_bold", Outcome.REVIEW, message, cfr, expected=expected,
                     found=body, confidence=0.0, details=details)  # fmt: skip
    details["body_weight"] = round(weight.value, 3)
    if weight.is_regular:
        message = "The warning text after the header is not bold."
        return check("warning_body_not_bold", Outcome.PASS, message, cfr, expected=expected,
                     found=body, details=details)  # fmt: skip
    measurable = (
        typography.body_stroke_px is not None and typography.body_stroke_px >= MEASURABLE_STROKE_PX
    )
    ratio = _stroke_ratio(typography)
    as_heavy_as_bold_header = (
        typography.body_stroke_px is not None
        and typography.body_stroke_px >= _FINE_STROKE_PX
        and typography.body_stroke_em is not None
        and typography.body_stroke_em >= _LIGHTEST_BOLD_EM
        and typography.header_stroke_em is not None
        and typography.header_stroke_em >= _REGULAR_EM
        and ratio is not None
        and ratio <= _SAME_AS_HEADER
    )
    if (weight.is_bold or as_heavy_as_bold_header) and measurable:
        message = (
            "The warning text after the header appears bold; only 'GOVERNMENT WARNING' may be."
        )
        return check("warning_body_not_bold", Outcome.FAIL, message, cfr, expected=expected,
                     found=body, details=details)  # fmt: skip
    message = (
        "The warning text looks heavier than regular type; please check by eye that it is not bold."
    )
    return check("warning_body_not_bold", Outcome.REVIEW, message, cfr, expected=expected,
                 found=body, details=details)  # fmt: skip


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
    cfr = "27 CFR 16.22(b)"
    height = typography.letter_height_mm
    if height is None:
        message = (
            "Type size not checked: the image's physical scale (DPI) is not known."
            if typography.scale_source is None
            else "Type size not checked: the warning's letters could not be measured "
            "(the reading gave no letter positions)."
        )
        return check("warning_type_size", Outcome.SKIPPED, message, cfr, found=fields.warning_body)
    container = fields.net_contents_ml or parse_net_contents_text(application.net_contents)
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
            message = (
                f"The warning letters measure {height:.1f} mm against the {minimum:g} mm "
                "minimum, but only by the image's DPI metadata, which the rest of the label "
                "does not bear out (screenshots carry arbitrary values). Please measure the "
                "printed label."
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
                f"The warning is squeezed: {cpi:.0f} characters per inch, more than the "
                f"{limit:.0f} allowed at this size."
            )
            return measured(Outcome.REVIEW, message, "27 CFR 16.22(a)(4)")
    message = f"The warning letters are {height:.1f} mm high, at least the {minimum:g} mm required."
    return measured(Outcome.PASS, message)
