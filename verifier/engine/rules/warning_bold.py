"""Bold header, regular body: 27 CFR 16.22(a)(2).

Three measures from `typography.py`, all from pixels:

- stroke per em: the stroke width over the type size, comparable across
  sizes (regular faces 0.06-0.11, bold 0.115-0.17; condensed faces and
  Palatino-like bolds lighter, from 0.099);
- the stroke ratio: header strokes over body strokes, capitals against
  mostly small letters (a bold header over a regular body: 1.3-2.0);
- the same-glyph ratios: the header's capitals against the same capitals in
  the body ("G" of GOVERNMENT against "G" of General), like with like, so
  1.0 means the same weight whatever the case, shape or size; by stroke width
  and by the share of each letter's box its ink covers (weight relative to
  the letter's own height and width, which a heavy condensed face keeps);
- the header capitals' own coverage (regular 0.3-0.47, bold 0.55-0.65), and
  the body's small letters' (regular 0.39-0.50, bold 0.52-0.77).

A "not bold" or "bold body" finding fails only when the measures agree;
thin strokes (low resolution), in-between weights or nothing to measure are
"review", never "pass".
"""

from __future__ import annotations

from statistics import median

from verifier.engine.models import Check, FoundText, LabelFields, Outcome, WarningTypography
from verifier.engine.rules.common import check

BOLD_CFR = "27 CFR 16.22(a)(2)"
# Header stroke over body stroke: a bold header is visibly heavier.
_BOLDER = 1.2
# Per em: at or below regular, at or above bold, in between undecided.
_REGULAR_EM = 0.115
_BOLD_EM = 0.13
# Same glyphs, same weight: within measurement error of 1.0 (regular on
# regular 0.98-1.02). A black header over a semibold body measures 1.07-1.09;
# bold over regular 1.4-2.0.
_SAME_WEIGHT = 1.05
# Without the same capitals compared: header strokes over the body's, for a
# header whose capitals fill no more of their boxes than a regular face's
# (the same weight measures about 1.2x, bold 1.3x and over; bold capitals fill
# 0.54 of their boxes and more).
_NO_HEAVIER = 1.10
# Same glyphs by ink coverage: regular on regular 0.86-1.06, bold on regular
# 1.23-2.2 (narrow bold faces included, whose strokes alone measure 1.05-1.2).
_SAME_COVERAGE = 1.08
# ...when the stroke measure does not contradict it by much.
_SAME_WEIGHT_STROKES = 1.15
# Header capitals' own coverage: at most regular, at least bold.
_REGULAR_COVERAGE = 0.48
_BOLD_COVERAGE = 0.53
# A body passes as regular only when it is clearly lighter than any bold face:
# the lightest bold bodies (Palatino-like serifs, narrow grotesques) measure
# 0.098-0.107 per em, against 0.063-0.101 for regular ones (0.106 blurred).
# Up to _LIGHT_EM it passes when its small letters also fill no more of their
# boxes than regular ones do (regular 0.39-0.50, bold 0.52-0.77). The header's
# stroke over the body's tells them apart only far apart: bold headers measured
# up to 1.44x over light bold bodies, and from 1.13x over regular ones.
# On strokes of 3 px and more, Palatino-like bold bodies fill only 0.528-0.542 of their
# boxes at 0.097-0.105 per em (studio seeds 18000169, 11000160 ...), and regular bodies
# at that weight 0.50-0.544 (11000074, 12000080, 12000130): below _LIGHTEST_BOLD_SHARE
# is regular, above it a doubt.
_CLEARLY_REGULAR_EM = 0.092
_LIGHT_EM = 0.105
_REGULAR_BODY_COVERAGE = 0.50
_LIGHTEST_BOLD_SHARE = 0.52
# Blur fills small letters (regular bodies blurred: 0.52-0.57), and a side strip's
# cannot be weighed one by one: a header far heavier than the body stands in for
# them. Bold headers over light bold bodies measured up to 1.46x (1.33x up to
# _LIGHT_EM); over blurred regular ones 1.28-1.87x.
_FAR_LIGHTER = 1.45
# ...on strokes under _FINE_STROKE_PX, where a pixel of blur fills much of a letter,
# and for letters that fill less of their boxes than blur makes regular ones fill. On
# wider strokes a bold Termes body filled 0.53 at 0.097 per em under a header 1.46x
# heavier (studio seed 14000052), a bold condensed sans 0.61 under one 1.45x heavier
# (19000013): both were passed as regular, and the labels called COMPLIANT.
_BLURRED_REGULAR_SHARE = 0.58
# A body bold on its own measures: light-bold strokes per em (from _LIGHT_EM),
# small letters that fill a bold face's share of their boxes (light bold bodies from
# _LIGHT_EM 0.58-0.62 measured; regular ones up to 0.544 on strokes of 3 px or more), and a
# header whose strokes are no wider than the body's (regular bodies under bold
# headers measured down to 1.06x, all of them at 0.100 per em or lighter).
_BOLD_BODY_COVERAGE = 0.55
_SAME_STROKES = 1.10
# Strokes thinner than this (low-resolution screenshots: 1.5-2 px) cannot be
# told regular from bold: a pixel of blur or anti-aliasing is 50% of the width.
MEASURABLE_STROKE_PX = 2.5
# Down to this, a header whose strokes are no wider than the body's beside it can
# still be told regular: blur widens both alike, and a bold header's strokes
# measure a pixel or more wider than a regular body's at any resolution.
_THIN_BUT_NO_WIDER_PX = 2.0
# Telling a bold body from an in-between weight needs wider strokes still:
# on a 2.8 px JPEG a regular serif body measured 0.12 per em (approved label).
_FINE_STROKE_PX = 3.0
# Without an em measure: stroke over word box height (box includes ascenders).
_REGULAR_BOX = 0.13
_BOLD_BOX = 0.15


def _details(typography: WarningTypography) -> dict[str, float | None]:
    return {
        "header_stroke_px": typography.header_stroke_px,
        "body_stroke_px": typography.body_stroke_px,
        "header_stroke_em": typography.header_stroke_em,
        "body_stroke_em": typography.body_stroke_em,
        "same_glyph_ratio": typography.same_glyph_ratio,
        "same_glyph_coverage": typography.same_glyph_coverage,
        "header_coverage": typography.header_coverage,
        "body_coverage": typography.body_coverage,
    }


def _stroke_ratio(typography: WarningTypography) -> float | None:
    header_px, body_px = typography.header_stroke_px, typography.body_stroke_px
    if header_px is None or not body_px:
        return None
    return header_px / body_px


def _per_box(stroke_px: float | None, found: FoundText | None) -> float | None:
    """Stroke over the median word box height: a rougher weight without letter heights."""
    heights = [word.box.height for word in (found.words if found else []) if word.box is not None]
    if stroke_px is None or not heights:
        return None
    return stroke_px / median(heights)


def _no_warning(check_id: str, expected: str) -> Check:
    """Nothing to weigh when no part of the statement was read (warning_present reports it)."""
    message = "Not checked: no warning statement was found."
    return check(check_id, Outcome.SKIPPED, message, BOLD_CFR, expected=expected)


def _measurable(stroke_px: float | None, minimum: float = MEASURABLE_STROKE_PX) -> bool:
    return stroke_px is not None and stroke_px >= minimum


def _same_weight(typography: WarningTypography) -> bool:
    """Header and body capitals of one weight, like with like: by coverage where it
    was measured (with strokes not contradicting it), else by stroke width."""
    strokes, coverage = typography.same_glyph_ratio, typography.same_glyph_coverage
    if coverage is not None:
        return coverage <= _SAME_COVERAGE and (strokes is None or strokes <= _SAME_WEIGHT_STROKES)
    return strokes is not None and strokes <= _SAME_WEIGHT


def _as_light_as_body(typography: WarningTypography) -> bool:
    """Header and body of one weight: the same capitals (`_same_weight`), or, where
    no capital was measured in both, header strokes no wider than the body's, which
    a header's capitals are by 1.2x at the same weight and by 1.3x or more in bold;
    unless the header is set smaller, and heavier for its size (`_BOLDER` per em:
    studio seed 12000100, a bold header at 0.135 per em on a regular body at 0.097,
    both 3.5 px)."""
    if typography.same_glyph_ratio is not None or typography.same_glyph_coverage is not None:
        return _same_weight(typography)
    ratio = _stroke_ratio(typography)
    if ratio is None or ratio > _SAME_WEIGHT:
        return False
    header_em, body_em = typography.header_stroke_em, typography.body_stroke_em
    return header_em is None or not body_em or header_em < _BOLDER * body_em


def _heavy_header(typography: WarningTypography) -> bool:
    """Header capitals that cover a bold face's share of their boxes, on strokes wide
    enough for the share to be measured."""
    coverage = typography.header_coverage
    return (
        coverage is not None
        and coverage >= _BOLD_COVERAGE
        and _measurable(typography.header_stroke_px)
    )


def warning_header_bold(fields: LabelFields, typography: WarningTypography) -> Check:
    """27 CFR 16.22(a)(2): "GOVERNMENT WARNING" is in bold type.

    Bold when its capitals carry clearly more ink than the same capitals in
    the body (coverage ratio at least 1.2), cover a bold face's share of their
    own boxes, are heavy per em, or have clearly thicker strokes than the
    body's (same-glyph stroke ratio at least 1.2; without it, the stroke ratio)
    while covering more of their boxes than a regular face does. The whole
    statement may be bold, which the body check reports. Not bold (a fail)
    only on strokes wide enough to measure, with capitals of the same weight
    as the same capitals of a regular body, by coverage and by strokes.
    """
    expected = "header in bold type"
    header = fields.warning_header
    if header is None and fields.warning_body is None:
        return _no_warning("warning_header_bold", expected)
    details = _details(typography)
    ratio, glyphs = _stroke_ratio(typography), typography.same_glyph_ratio
    em = typography.header_stroke_em

    def result(outcome: Outcome, message: str, **extra: float) -> Check:
        return check("warning_header_bold", outcome, message, BOLD_CFR, expected=expected,
                     found=header, details=details, **extra)  # fmt: skip

    if ratio is None and em is None and glyphs is None:
        what = "header" if typography.header_stroke_px is None else "body"
        message = (
            "Could not tell whether 'GOVERNMENT WARNING' is bold: "
            f"the {what} stroke width could not be measured. Please check by eye."
        )
        return result(Outcome.REVIEW, message, confidence=0.0)
    if ratio is not None:
        details["ratio"] = round(ratio, 2)
    # Like with like when the same capitals were measured; else capitals against the
    # body's mostly small letters (which alone reads a regular header 1.2x heavier).
    heavier = glyphs if glyphs is not None else ratio
    coverage, own = typography.same_glyph_coverage, typography.header_coverage
    # Neither the same capitals' coverage nor strokes make a header bold whose own
    # letters cover no more of their boxes than a regular face's: a sans header
    # over a serif body carries 1.2-1.3x the ink of the body's capitals at the
    # same weight, and a wider face has wider strokes.
    regular_own = own is not None and own <= _REGULAR_COVERAGE
    by_coverage = coverage is not None and coverage >= _BOLDER and not regular_own
    by_strokes = heavier is not None and heavier >= _BOLDER
    coverage_same = (coverage is not None and coverage <= _SAME_COVERAGE) or regular_own
    if (
        by_coverage
        or _heavy_header(typography)
        or (em is not None and em >= _BOLD_EM)
        or (by_strokes and not coverage_same)
    ):
        if by_coverage:
            message = (
                f"The header is bold: its letters carry {coverage:.1f}× the ink of the same "
                "letters in the text after it."
            )
        elif by_strokes:
            message = f"The header is bold: its strokes are {heavier:.1f}× as thick as the body's."
        else:
            message = "The 'GOVERNMENT WARNING' header is bold."
        return result(Outcome.PASS, message)
    no_wider = ratio is not None and ratio <= 1.0
    floor = _THIN_BUT_NO_WIDER_PX if no_wider else MEASURABLE_STROKE_PX
    if not _measurable(typography.header_stroke_px, floor):
        message = (
            "Could not tell whether 'GOVERNMENT WARNING' is bold: its strokes are "
            f"{typography.header_stroke_px:.1f} px wide, too thin to measure at this "
            "resolution. Please check by eye."
        )
        return result(Outcome.REVIEW, message)
    # A header as light as its body is not bold only beside a regular body: as light as a
    # body whose small letters fill a bold face's share of their boxes, the whole
    # statement may be bold (studio seed 19000161 failed both checks on one weight).
    body_coverage = typography.body_coverage
    body_regular = (
        typography.body_stroke_em is None or typography.body_stroke_em <= _REGULAR_EM
    ) and (body_coverage is None or body_coverage < _BOLD_BODY_COVERAGE)
    header_light = (em is None or em < _BOLD_EM) and (own is None or regular_own)
    # Without the same capitals compared, strokes no wider than the body's say "not
    # bold" only of letters that fill no more of their boxes than a regular face's:
    # a heavy condensed header has strokes thinner than a wide regular body's.
    same_letters = coverage if coverage is not None else glyphs
    compared = same_letters is not None or own is not None
    # Capitals a regular face fills need not be quite as light: at the same weight
    # a header's capitals measure 1.2x the body's mostly small letters.
    no_heavier = _as_light_as_body(typography) or (
        same_letters is None and regular_own and ratio is not None and ratio <= _NO_HEAVIER
    )
    if no_heavier and body_regular and header_light and compared:
        if same_letters is not None:
            like = (
                f"its letters as light as the same letters in the text after it "
                f"({same_letters:.2f}×)"
            )
        else:
            like = (
                f"its strokes {ratio:.2f}× as thick as the text's after it "
                "(bold capitals measure 1.3× and more)"
            )
        message = (
            f"The 'GOVERNMENT WARNING' header is not bold: it is printed in regular weight, {like}."
        )
        return result(Outcome.FAIL, message)
    message = (
        "The header is not clearly heavier than the body; please check by eye that it is bold."
    )
    return result(Outcome.REVIEW, message)


def warning_body_not_bold(fields: LabelFields, typography: WarningTypography) -> Check:
    """27 CFR 16.22(a)(2): the rest of the statement may not be in bold type.

    Clearly regular passes: well below the lightest bold faces per em, or
    light per em with small letters that fill less of their boxes than any
    bold face's (`glyphs.small_letter_coverage`), or under a header far
    heavier than it where its letters were not weighed, or, on fine strokes,
    blur filled them.
    Bold on its own scale (0.13 per em or more) fails on strokes wide enough
    to measure.
    In between (light bold faces measure 0.099-0.12 per em; so does a
    semibold body), it fails only when the body is as heavy as a bold header:
    the same capitals of the same weight (by coverage and strokes), or,
    without shared capitals, body strokes as wide as the header's capitals'
    (which a regular body's small letters never are: 1.2x thinner at least);
    or when it is bold on its own measures, light-bold per em with small
    letters that fill a bold face's share of their boxes, under a header whose
    strokes are no wider (a header whose weight could not be measured cannot
    stand in for it). The statement is then set wholly in bold. Otherwise, or
    unmeasurable: review.
    """
    expected = "body not in bold type"
    body = fields.warning_body
    if body is None and fields.warning_header is None:
        return _no_warning("warning_body_not_bold", expected)
    details = _details(typography)
    em = typography.body_stroke_em

    def result(outcome: Outcome, message: str, **extra: float) -> Check:
        return check("warning_body_not_bold", outcome, message, BOLD_CFR, expected=expected,
                     found=body, details=details, **extra)  # fmt: skip

    header_bold = (
        typography.header_stroke_em is not None and typography.header_stroke_em >= _REGULAR_EM
    ) or _heavy_header(typography)
    ratio = _stroke_ratio(typography)
    bold_body = "The warning text after the header appears bold; only 'GOVERNMENT WARNING' may be."
    glyphs = typography.same_glyph_ratio
    coverage = typography.body_coverage
    wide = _measurable(typography.body_stroke_px, _FINE_STROKE_PX)
    # In between weights, bold by measure on strokes wide enough to tell: as heavy as
    # a bold header, or bold on its own measures under a header with strokes no wider.
    bold_measured = wide and (
        (header_bold and _as_light_as_body(typography))
        or (
            em is not None
            and em >= _LIGHT_EM
            and coverage is not None
            and coverage >= _BOLD_BODY_COVERAGE
            and ratio is not None
            and ratio <= _SAME_STROKES
            and (glyphs is None or glyphs <= _SAME_WEIGHT)
        )
    )
    # On strokes wide enough to tell, small letters short of the lightest bold face's
    # share of their boxes are regular ones.
    regular_share = _LIGHTEST_BOLD_SHARE if wide else _REGULAR_BODY_COVERAGE
    # A header far heavier stands in for small letters not weighed, or filled by blur on
    # fine strokes; never for letters that fill a bold face's share of their boxes.
    light_letters = (coverage is not None and coverage < regular_share) or (
        ratio is not None
        and ratio >= _FAR_LIGHTER
        and (coverage is None or (not wide and coverage < _BLURRED_REGULAR_SHARE))
    )
    weight, bold = em, _BOLD_EM
    clearly_regular = weight is not None and (
        weight <= _CLEARLY_REGULAR_EM or (weight <= _LIGHT_EM and light_letters)
    )
    if weight is None:
        weight, bold = _per_box(typography.body_stroke_px, body), _BOLD_BOX
        clearly_regular = weight is not None and weight <= _REGULAR_BOX and light_letters
    if weight is None:
        if bold_measured:
            return result(Outcome.FAIL, bold_body)
        message = (
            "Could not tell whether the warning text is bold: "
            "its stroke width could not be measured. Please check by eye."
        )
        return result(Outcome.REVIEW, message, confidence=0.0)
    details["body_weight"] = round(weight, 3)
    if clearly_regular and not bold_measured:
        return result(Outcome.PASS, "The warning text after the header is not bold.")
    if _measurable(typography.body_stroke_px) and (weight >= bold or bold_measured):
        return result(Outcome.FAIL, bold_body)
    message = (
        "The warning text looks heavier than regular type; please check by eye that it is not bold."
    )
    return result(Outcome.REVIEW, message)
