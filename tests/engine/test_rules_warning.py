"""The health warning: presence, wording, capitals, bold, type size (27 CFR 16.21-16.22)."""

from __future__ import annotations

import dataclasses

from tests.engine.text_readings import WARNING, check_results, readings, warning_lines
from verifier.engine.models import Application, Box, Outcome, WarningTypography


def _warning_checks(text: str = WARNING, typography: WarningTypography | None = None, **options):
    return check_results(readings(warning_lines(text), **options), typography=typography)


def _body_weight(typography: WarningTypography) -> Outcome:
    """The body-not-bold outcome for these measures of the standard warning."""
    return _warning_checks(typography=typography)["warning_body_not_bold"].outcome


def test_exact_warning_passes_presence_wording_and_caps():
    checks = _warning_checks()
    assert checks["warning_present"].outcome == Outcome.PASS
    assert checks["warning_text"].outcome == Outcome.PASS
    assert checks["warning_header_caps"].outcome == Outcome.PASS


def test_warning_split_across_panels_and_hyphenated_line_breaks_passes():
    lines = warning_lines(
        WARNING.replace("pregnancy", "preg- nancy").replace("machinery", "machin- ery")
    )
    checks = check_results(readings(["Brand on the front", *lines[:3]], lines[3:]))
    assert checks["warning_text"].outcome == Outcome.PASS, checks["warning_text"].message


def test_woman_for_women_read_clearly_fails_and_names_both_words():
    result = _warning_checks(WARNING.replace("women", "woman"))["warning_text"]
    assert result.outcome == Outcome.FAIL
    assert "'woman'" in result.message and "'women'" in result.message
    assert {"op": "replace", "expected": "women", "found": "woman"}.items() <= result.details[
        "diff"
    ][0].items()


def test_woman_for_women_read_with_low_confidence_is_review_not_pass():
    result = _warning_checks(WARNING.replace("women", "woman"), confidences={"woman": 55})[
        "warning_text"
    ]
    assert result.outcome == Outcome.REVIEW
    assert "woman" in result.message


def test_machines_for_machinery_fails():
    result = _warning_checks(WARNING.replace("machinery,", "machines,"))["warning_text"]
    assert result.outcome == Outcome.FAIL
    assert "'machines,'" in result.message and "'machinery,'" in result.message


def test_confusable_glyphs_are_noise_for_review_even_at_high_confidence():
    result = _warning_checks(WARNING.replace("WARNING:", "WARNlNG:").replace("drink", "drlnk"))[
        "warning_text"
    ]
    assert result.outcome == Outcome.REVIEW
    assert "WARNlNG:" in result.message and "reading error" in result.message


def test_missing_numeral_fails():
    result = _warning_checks(WARNING.replace("(1) ", ""))["warning_text"]
    assert result.outcome == Outcome.FAIL
    assert "'(1)' is missing" in result.message


# The image was examined around the statement and no unread ink is left.
EXAMINED = WarningTypography(unread_ink=())


def test_dropped_clause_fails_and_names_the_words():
    dropped = WARNING.replace(", and may cause health problems.", ".")
    result = _warning_checks(dropped, typography=EXAMINED)["warning_text"]
    assert result.outcome == Outcome.FAIL
    assert "'and may cause health problems.' is missing" in result.message


def test_a_dropped_clause_beside_a_word_read_as_required_less_surely_fails() -> None:
    """Studio seed 11000053: "pregnancy" read at 81 on a dotted ground, before a
    dropped "because of the risk of birth defects.": the word is the required one, so
    its box places the gap, where no ink is. A short word read so ("of") could be any
    "of", and a word read otherwise is no landmark: those stay in doubt."""
    dropped = WARNING.replace(" because of the risk of birth defects.", "")
    result = _warning_checks(dropped, typography=EXAMINED, confidences={"pregnancy": 81})
    assert result["warning_text"].outcome == Outcome.FAIL
    assert "'because of the risk of birth defects.' is missing" in result["warning_text"].message
    misread = dropped.replace("pregnancy", "program")
    result = _warning_checks(misread, typography=EXAMINED, confidences={"program": 81})
    assert result["warning_text"].outcome == Outcome.REVIEW
    assert "is missing" not in result["warning_text"].message
    short = WARNING.replace(" the risk of birth defects.", "")
    result = _warning_checks(short, typography=EXAMINED, confidences={"of": 81})
    assert result["warning_text"].outcome == Outcome.REVIEW


def test_statement_that_stops_short_is_review_when_nothing_shows_it_ends_there():
    """The last words may go on where OCR did not read: without the image examined for
    unread ink after the last word read, a missing tail is a doubt, not a finding."""
    dropped = WARNING.replace(", and may cause health problems.", ".")
    result = _warning_checks(dropped)["warning_text"]
    assert result.outcome == Outcome.REVIEW
    assert "'and may cause health problems.' could not be read" in result.message


def test_missing_words_beside_unread_ink_are_review():
    dropped = WARNING.replace(", and may cause health problems.", ".")
    ink_after = WarningTypography(unread_ink=(Box(0, 0, 10_000, 10_000),))
    assert _warning_checks(dropped, typography=ink_after)["warning_text"].outcome == (
        Outcome.REVIEW
    )


def test_added_word_fails():
    result = _warning_checks(WARNING.replace("should not drink", "should never drink"))[
        "warning_text"
    ]
    assert result.outcome == Outcome.FAIL
    assert "never" in result.message


def test_words_run_together_by_ocr_still_pass():
    result = _warning_checks(WARNING.replace("should not", "shouldnot"))["warning_text"]
    assert result.outcome == Outcome.PASS


def test_title_case_header_fails_caps():
    checks = _warning_checks(WARNING.replace("GOVERNMENT WARNING", "Government Warning"))
    assert checks["warning_header_caps"].outcome == Outcome.FAIL
    assert "Government Warning" in checks["warning_header_caps"].message
    assert checks["warning_text"].outcome == Outcome.PASS  # the wording itself is right


def test_one_stray_small_letter_in_header_is_review():
    checks = _warning_checks(WARNING.replace("GOVERNMENT", "GOVERNMEnT"))
    assert checks["warning_header_caps"].outcome == Outcome.REVIEW


def test_no_warning_on_a_well_read_label_fails():
    text = "Some long label copy that reads well. " * 6
    checks = check_results(readings([text]))
    assert checks["warning_present"].outcome == Outcome.FAIL
    assert checks["warning_text"].outcome == Outcome.SKIPPED


def test_no_warning_on_a_poorly_read_label_is_review():
    checks = check_results(readings(["ST0NE", "xx"], confidence=40))
    assert checks["warning_present"].outcome == Outcome.REVIEW


def test_mostly_unreadable_body_is_review_not_fail():
    text = "GOVERNMENT WARNING: (1) According to the Surgeon"
    checks = check_results(readings([text]))
    assert checks["warning_text"].outcome == Outcome.REVIEW
    assert "required warning words could be read" in checks["warning_text"].message


def test_header_bold_passes_when_header_strokes_are_heavier():
    result = _warning_checks(typography=WarningTypography(header_stroke_px=4.0, body_stroke_px=2.5))
    assert result["warning_header_bold"].outcome == Outcome.PASS


def test_header_same_weight_as_regular_body_fails_bold():
    typography = WarningTypography(
        header_stroke_px=3.0,
        body_stroke_px=3.0,
        header_stroke_em=0.08,
        body_stroke_em=0.08,
        same_glyph_ratio=1.0,
    )
    result = _warning_checks(typography=typography)
    assert result["warning_header_bold"].outcome == Outcome.FAIL
    assert result["warning_body_not_bold"].outcome == Outcome.PASS


def test_a_sans_header_over_a_serif_body_is_not_bold_by_coverage_alone():
    """A regular sans header's G and A cover 1.28x the box of a serif body's G and A:
    a different design, not a heavier weight. Its own letters cover a regular face's
    share of their boxes (0.34), so it is not passed as bold."""
    typography = WarningTypography(
        header_stroke_px=3.5,
        body_stroke_px=3.2,
        header_stroke_em=0.068,
        body_stroke_em=0.075,
        same_glyph_ratio=1.13,
        same_glyph_coverage=1.28,
        header_coverage=0.34,
    )
    assert _warning_checks(typography=typography)["warning_header_bold"].outcome != Outcome.PASS
    bold = dataclasses.replace(typography, header_coverage=0.58)
    assert _warning_checks(typography=bold)["warning_header_bold"].outcome == Outcome.PASS


def test_a_light_bold_body_is_not_passed_as_regular():
    """A Palatino-like bold body measures only 0.10-0.107 per em, inside the range of
    regular faces: under a bold header only 1.1x heavier, it is a doubt, never a pass
    (it was passed, and a bold body came out COMPLIANT). Nor under a header 1.33x
    heavier (studio seed 1000025 measured so), when its letters fill their boxes as
    bold letters do. A body that light whose letters fill no more than a regular
    face's is regular."""

    light_bold = WarningTypography(
        header_stroke_px=3.1, body_stroke_px=2.71, header_stroke_em=0.131, body_stroke_em=0.103
    )
    assert _body_weight(light_bold) == Outcome.REVIEW
    under_heavier = dataclasses.replace(light_bold, body_stroke_px=2.33, body_coverage=0.527)
    assert _body_weight(under_heavier) == Outcome.REVIEW
    regular = dataclasses.replace(light_bold, body_stroke_em=0.101, body_coverage=0.47)
    assert _body_weight(regular) == Outcome.PASS
    # Letters not weighed (a side strip) or filled by blur: a header far heavier stands in.
    for letters in (None, 0.55):
        unweighed = dataclasses.replace(regular, body_stroke_px=2.33, body_coverage=letters)
        assert _body_weight(unweighed) == Outcome.REVIEW
        assert _body_weight(dataclasses.replace(unweighed, body_stroke_px=2.0)) == Outcome.PASS


def test_a_header_far_heavier_does_not_lighten_letters_that_fill_a_bold_faces_share():
    """Studio seed 19000013: a bold condensed body (0.103 per em, its small letters
    filling 0.61 of their boxes, its capitals as heavy as the header's) under a black
    header 1.45x wider in stroke was passed as regular, and the label called COMPLIANT."""
    typography = WarningTypography(
        header_stroke_px=5.36, body_stroke_px=3.69, header_stroke_em=0.151,
        body_stroke_em=0.103, same_glyph_ratio=1.42, same_glyph_coverage=1.01,
        header_coverage=0.622, body_coverage=0.614,
    )  # fmt: skip
    assert _body_weight(typography) == Outcome.REVIEW
    # Letters blur filled as far as regular ones fill, on fine strokes, under that
    # header: regular.
    blurred = dataclasses.replace(typography, body_coverage=0.55, body_stroke_px=2.8)
    assert _body_weight(blurred) == Outcome.PASS


def test_a_header_far_heavier_does_not_lighten_letters_on_strokes_wide_enough_to_weigh():
    """Studio seed 14000052: a bold Termes body, only 0.097 per em, its small letters
    filling 0.53 of their boxes (a light bold face's share) on 4.4 px strokes, under a
    header 1.46x heavier, was passed as regular. Blur fills letters that much only on
    fine strokes; on these the header stands in for nothing."""
    typography = WarningTypography(
        header_stroke_px=6.44, body_stroke_px=4.40, body_stroke_em=0.097,
        same_glyph_ratio=1.88, same_glyph_coverage=1.64, header_coverage=0.636,
        body_coverage=0.532,
    )  # fmt: skip
    assert _body_weight(typography) == Outcome.REVIEW
    assert _body_weight(dataclasses.replace(typography, body_coverage=None)) == Outcome.PASS
    assert _body_weight(dataclasses.replace(typography, body_coverage=0.49)) == Outcome.PASS


def test_header_not_bold_needs_the_same_letters_compared_to_fail():
    """The issue's heavy condensed header measured lighter per em than its body: without
    comparing the same capitals (G of GOVERNMENT, G of General), "not bold" is a doubt."""
    typography = WarningTypography(
        header_stroke_px=3.33, body_stroke_px=3.61, header_stroke_em=0.09, body_stroke_em=0.09
    )
    assert _warning_checks(typography=typography)["warning_header_bold"].outcome == (Outcome.REVIEW)


def test_a_header_as_light_as_a_body_whose_letters_fill_a_bold_faces_share_is_no_fail():
    """Studio seed 19000161, the whole statement bold: the same capitals in header and
    body weighed alike (1.04x), and the body's small letters filled 0.60 of their boxes.
    Both readings then failed the header as "not bold" and the body as bold, on one
    weight. Beside a body that heavy, a header as light as it is a doubt."""
    typography = WarningTypography(
        header_stroke_px=5.52, body_stroke_px=5.32, body_stroke_em=0.109,
        same_glyph_ratio=1.02, same_glyph_coverage=1.04, body_coverage=0.60,
    )  # fmt: skip
    checks = _warning_checks(typography=typography)
    assert checks["warning_header_bold"].outcome == Outcome.REVIEW
    assert checks["warning_body_not_bold"].outcome == Outcome.FAIL
    regular_body = dataclasses.replace(typography, body_stroke_em=0.08, body_coverage=0.45)
    assert _warning_checks(typography=regular_body)["warning_header_bold"].outcome == Outcome.FAIL


def test_a_header_no_heavier_than_the_body_in_letters_a_regular_face_fills_is_not_bold():
    """No capital measured in both (the second engine's boxes split the header's
    letters differently): header strokes no wider than the body's, and its own
    capitals filling a regular face's share of their boxes (studio seed 1000099,
    its header set in the body's regular face) is not bold. Letters that
    fill a bold face's share, or strokes wider than the body's, are no such fail."""

    def header(typography: WarningTypography):
        return _warning_checks(typography=typography)["warning_header_bold"]

    typography = WarningTypography(
        header_stroke_px=2.52,
        body_stroke_px=2.83,
        header_stroke_em=0.057,
        body_stroke_em=0.078,
        header_coverage=0.29,
    )
    result = header(typography)
    assert result.outcome == Outcome.FAIL
    assert "strokes 0.89× as thick as the text's after it" in result.message
    assert header(dataclasses.replace(typography, header_coverage=0.50)).outcome == Outcome.REVIEW
    assert header(dataclasses.replace(typography, header_stroke_px=3.5)).outcome == Outcome.REVIEW
    # Studio seed 5000043: strokes 1.09x the body's, capitals filling 0.42 of their boxes.
    a_little_wider = dataclasses.replace(typography, header_stroke_px=3.08, header_coverage=0.42)
    assert header(a_little_wider).outcome == Outcome.FAIL


def test_header_heavier_than_the_same_letters_in_the_body_is_bold():
    typography = WarningTypography(
        header_stroke_px=3.33,
        body_stroke_px=3.61,
        header_stroke_em=0.09,
        body_stroke_em=0.09,
        same_glyph_ratio=1.6,
    )
    assert _warning_checks(typography=typography)["warning_header_bold"].outcome == Outcome.PASS


def test_regular_looking_header_in_thin_strokes_is_review_not_fail():
    """Screenshots: 1.5-2 px strokes cannot tell regular from bold."""
    typography = WarningTypography(
        header_stroke_px=1.8, body_stroke_px=1.8, header_stroke_em=0.09, body_stroke_em=0.09
    )
    result = _warning_checks(typography=typography)["warning_header_bold"]
    assert result.outcome == Outcome.REVIEW
    assert "too thin to measure" in result.message


def test_regular_header_in_strokes_just_too_thin_fails_when_no_wider_than_the_body():
    """Blur widens the header's strokes and the body's alike: a header in 2-2.5 px
    strokes no wider than the body's beside it, its letters as light as the body's
    same letters, is regular (studio seed 8000091). A little wider: review."""
    typography = WarningTypography(
        header_stroke_px=2.45,
        body_stroke_px=2.75,
        header_stroke_em=0.053,
        body_stroke_em=0.066,
        same_glyph_ratio=0.93,
        same_glyph_coverage=0.98,
        header_coverage=0.27,
    )
    header = _warning_checks(typography=typography)["warning_header_bold"]
    assert header.outcome == Outcome.FAIL
    wider = dataclasses.replace(typography, body_stroke_px=2.3)
    header = _warning_checks(typography=wider)["warning_header_bold"]
    assert header.outcome == Outcome.REVIEW
    assert "too thin to measure" in header.message


def test_header_between_regular_and_bold_is_review():
    typography = WarningTypography(
        header_stroke_px=3.0, body_stroke_px=3.0, header_stroke_em=0.11, body_stroke_em=0.09
    )
    assert _warning_checks(typography=typography)["warning_header_bold"].outcome == Outcome.REVIEW


def test_bold_not_measurable_is_review_with_reason():
    result = _warning_checks(typography=WarningTypography())
    assert result["warning_header_bold"].outcome == Outcome.REVIEW
    assert "could not be measured" in result["warning_header_bold"].message
    assert result["warning_body_not_bold"].outcome == Outcome.REVIEW


def test_bold_body_fails():
    typography = WarningTypography(
        header_stroke_px=3.0, body_stroke_px=3.0, header_stroke_em=0.15, body_stroke_em=0.15
    )
    result = _warning_checks(typography=typography)
    assert result["warning_body_not_bold"].outcome == Outcome.FAIL
    assert result["warning_header_bold"].outcome == Outcome.PASS


def test_bold_looking_body_in_thin_strokes_is_review_not_fail():
    typography = WarningTypography(
        header_stroke_px=1.6, body_stroke_px=1.5, header_stroke_em=0.16, body_stroke_em=0.15
    )
    assert _warning_checks(typography=typography)["warning_body_not_bold"].outcome == Outcome.REVIEW


def test_type_size_skipped_without_scale():
    result = _warning_checks()["warning_type_size"]
    assert result.outcome == Outcome.SKIPPED
    assert "scale" in result.message


def test_type_size_skipped_when_letters_cannot_be_measured_says_so():
    """A vision model's reading has no letter positions: the scale is not what is missing."""
    lines = ["750 mL", *warning_lines()]
    typography = WarningTypography(letter_height_mm=None, scale_source="caller")

    result = check_results(readings(lines), typography=typography)["warning_type_size"]

    assert result.outcome == Outcome.SKIPPED
    assert "could not be measured" in result.message
    assert "DPI" not in result.message


def test_type_size_by_container():
    lines = ["750 mL", *warning_lines()]
    small = WarningTypography(letter_height_mm=1.2, scale_source="caller")
    large = WarningTypography(letter_height_mm=2.3, scale_source="caller")
    assert (
        check_results(readings(lines), typography=small)["warning_type_size"].outcome
        == Outcome.FAIL
    )
    assert (
        check_results(readings(lines), typography=large)["warning_type_size"].outcome
        == Outcome.PASS
    )
    cans = ["200 mL", *warning_lines()]
    assert (
        check_results(readings(cans), typography=small)["warning_type_size"].outcome == Outcome.PASS
    )


def test_type_size_too_small_only_for_a_container_size_read_unlike_the_filed_one_is_review():
    """Studio seed 9000136: "1.5 L" read "15L"; 2.5 mm letters are enough for the filed
    1500 mL, not for 15 L. Too small for both sizes: a failure."""
    lines = ["15L", *warning_lines()]
    typography = WarningTypography(letter_height_mm=2.46, scale_source="caller")
    result = check_results(readings(lines), Application(net_contents="1500ml"), typography)
    assert result["warning_type_size"].outcome == Outcome.REVIEW
    assert "1500 mL the application states" in result["warning_type_size"].message
    small = dataclasses.replace(typography, letter_height_mm=1.2)
    result = check_results(readings(lines), Application(net_contents="1500ml"), small)
    assert result["warning_type_size"].outcome == Outcome.FAIL


def test_small_type_by_image_metadata_alone_is_review():
    """A screenshot's DPI says nothing about print size: its alcohol digits measure small too."""
    lines = ["13.5% ALC/VOL", "750 mL", *warning_lines()]
    typography = WarningTypography(
        letter_height_mm=1.05, scale_source="image_metadata", alcohol_figure_height_mm=1.8
    )
    result = check_results(readings(lines), typography=typography)["warning_type_size"]
    assert result.outcome == Outcome.REVIEW
    assert "metadata" in result.message


def test_small_type_fails_when_the_label_bears_out_the_metadata_scale():
    lines = ["13.5% ALC/VOL", "750 mL", *warning_lines()]
    typography = WarningTypography(
        letter_height_mm=1.05, scale_source="image_metadata", alcohol_figure_height_mm=3.5
    )
    result = check_results(readings(lines), typography=typography)["warning_type_size"]
    assert result.outcome == Outcome.FAIL


SHORT_LABEL = [
    ("OLD HARBOR", 60),
    "India Pale Ale",
    "7.2% ALC/VOL",
    "12 FL OZ",
    "Brewed and bottled by Old Harbor Brewing Co.",
    "Asheville, NC",
]


def test_missing_warning_on_a_short_clearly_read_label_fails():
    """About 17 words at 95%: too few for a 'good' reading, yet plainly no warning."""
    result = check_results(readings(SHORT_LABEL))["warning_present"]
    assert result.outcome == Outcome.FAIL
    assert "read completely" in result.message


def test_missing_warning_beside_unread_places_too_small_to_hold_it_fails():
    """Studio seed 9000037: the only place a text detector found and no engine read was
    a row of five stars (125 x 37 px). It could not hold the warning's 290 characters;
    a block the size of a back label's warning could."""
    stars = dataclasses.replace(readings(SHORT_LABEL)[0], unread=(Box(325, 393, 125, 37),))
    result = check_results([stars])["warning_present"]
    assert result.outcome == Outcome.FAIL
    assert "read completely" in result.message
    block = dataclasses.replace(stars, unread=(Box(40, 700, 600, 90),))
    result = check_results([block])["warning_present"]
    assert result.outcome == Outcome.REVIEW
    assert result.evidence[0].box == Box(40, 700, 600, 90)


def test_missing_warning_with_a_garbled_trace_of_it_is_review():
    lines = [*SHORT_LABEL, "durlng pregnancv"]
    result = check_results(readings(lines, confidences={"pregnancv": 40}))["warning_present"]
    assert result.outcome == Outcome.REVIEW
    assert "pregnancv" in result.message


def test_alcohol_and_malt_beverage_statements_are_no_trace_of_the_warning():
    """'Alcohol' (6.5% Alcohol by Volume) and 'Beverage' (Malt Beverage) look like the
    warning's 'alcoholic' and 'beverages' garbled: they made every label without a
    warning a doubt (studio seed 3000061)."""
    lines = [*SHORT_LABEL, "Malt Beverage", "6.5% Alcohol by Volume"]
    result = check_results(readings(lines))["warning_present"]
    assert result.outcome == Outcome.FAIL, result.message


def test_missing_warning_beside_unreadable_text_is_review():
    lines = [*SHORT_LABEL, "~a ,e oo rn ii"]
    junk = {word: 20 for word in ["~a", ",e", "oo", "rn", "ii"]}
    result = check_results(readings(lines, confidences=junk))["warning_present"]
    assert result.outcome == Outcome.REVIEW


def test_title_case_header_fails_on_its_clearly_read_word():
    """'Government' read at 96 shows title case although 'Warning:' was read at 43."""
    text = WARNING.replace("GOVERNMENT WARNING:", "Government Warning:")
    result = _warning_checks(text, confidences={"Warning:": 43})["warning_header_caps"]
    assert result.outcome == Outcome.FAIL


def test_a_light_body_whose_letters_fill_as_much_as_a_light_bold_face_is_a_doubt():
    """Studio seeds 11000074, 12000080, 12000130: regular bodies at 0.096-0.099 per em,
    3.4-3.5 px strokes, whose small letters fill 0.50-0.54 of their boxes. A bold body
    in a Palatino-like face measured the same (0.098 per em, 0.536, 3.5 px: studio seed
    18000169, passed as regular and called COMPLIANT); the lightest such bold bodies
    fill 0.528. Measures that both weights give are a doubt; letters no bold face
    filled so little of are regular."""
    measured = WarningTypography(
        header_stroke_px=3.81, body_stroke_px=3.52, header_stroke_em=0.11,
        body_stroke_em=0.098, body_coverage=0.536,
    )  # fmt: skip
    assert _body_weight(measured) == Outcome.REVIEW
    assert _body_weight(dataclasses.replace(measured, body_coverage=0.58)) == Outcome.REVIEW
    assert _body_weight(dataclasses.replace(measured, body_coverage=0.51)) == Outcome.PASS
    thin = dataclasses.replace(
        measured, body_coverage=0.51, header_stroke_px=2.9, body_stroke_px=2.6
    )
    assert _body_weight(thin) == Outcome.REVIEW
    assert _body_weight(dataclasses.replace(measured, body_stroke_em=0.09)) == Outcome.PASS
    heavier = dataclasses.replace(measured, body_coverage=0.51, body_stroke_em=0.109)
    assert _body_weight(heavier) == Outcome.REVIEW


def test_a_header_set_smaller_but_heavier_for_its_size_is_not_as_light_as_the_body():
    """Studio seed 12000100: a bold header (0.135 per em) in smaller capitals over a
    regular body (0.097 per em), both 3.5 px: strokes as wide are no same weight, and
    the body was failed as bold on one reading. The header per em tells."""
    typography = WarningTypography(
        header_stroke_px=3.56, body_stroke_px=3.48, header_stroke_em=0.135,
        body_stroke_em=0.097, body_coverage=0.498, header_coverage=0.579,
    )  # fmt: skip
    assert _body_weight(typography) == Outcome.PASS
    # A body as heavy for its size as the header is still the header's weight.
    bold = dataclasses.replace(typography, body_stroke_em=0.124, body_coverage=0.592)
    assert _body_weight(bold) == Outcome.FAIL


def test_body_as_heavy_as_a_bold_header_fails():
    """Liberation Bold is light (0.114-0.12 per em); its capitals as heavy as the same
    capitals of a bold header: the whole statement is bold."""
    typography = WarningTypography(
        header_stroke_px=3.8,
        body_stroke_px=3.7,
        header_stroke_em=0.125,
        body_stroke_em=0.118,
        same_glyph_ratio=1.0,
    )
    assert _warning_checks(typography=typography)["warning_body_not_bold"].outcome == Outcome.FAIL


def test_semibold_body_under_a_black_header_is_review():
    """Approved labels: a black header over a semibold body measure 1.07-1.09 on the same
    letters; that is not the header's weight, nor plainly regular."""
    typography = WarningTypography(
        header_stroke_px=3.88,
        body_stroke_px=3.59,
        header_stroke_em=0.127,
        body_stroke_em=0.117,
        same_glyph_ratio=1.09,
    )
    result = _warning_checks(typography=typography)["warning_body_not_bold"]
    assert result.outcome == Outcome.REVIEW


def test_body_between_weights_beside_a_regular_header_is_review():
    typography = WarningTypography(
        header_stroke_px=3.6, body_stroke_px=3.6, header_stroke_em=0.09, body_stroke_em=0.118
    )
    result = _warning_checks(typography=typography)["warning_body_not_bold"]
    assert result.outcome == Outcome.REVIEW


def test_body_between_weights_in_strokes_under_3_px_is_review():
    """An approved label's regular serif body measured 0.12 per em at 2.8 px."""
    typography = WarningTypography(
        header_stroke_px=3.05, body_stroke_px=2.84, header_stroke_em=0.116, body_stroke_em=0.12
    )
    result = _warning_checks(typography=typography)["warning_body_not_bold"]
    assert result.outcome == Outcome.REVIEW


def test_bold_is_not_weighed_when_no_warning_was_read():
    """No statement: warning_present reports it; the weight checks have nothing to weigh."""
    checks = check_results(readings("Brand on the front\n750 mL\n13% alc. by vol."))
    assert checks["warning_present"].outcome in (Outcome.FAIL, Outcome.REVIEW)
    for check_id in ("warning_header_bold", "warning_body_not_bold"):
        assert checks[check_id].outcome == Outcome.SKIPPED, checks[check_id].message


def test_a_numeral_read_as_the_letter_it_looks_like_is_the_numeral() -> None:
    """'(I)' and '(l)' are how '(1)' prints in many faces: no reader can tell them apart,
    so the wording passes. Other shapes OCR confuses stay doubts."""
    for enumerator in ("(I)", "(l)"):
        result = _warning_checks(WARNING.replace("(1)", enumerator))["warning_text"]
        assert result.outcome == Outcome.PASS, result.message
    result = _warning_checks(WARNING.replace("(2)", "(Z)"))["warning_text"]
    assert result.outcome == Outcome.REVIEW


def test_a_numbered_marker_read_as_a_letter_is_a_reading_error() -> None:
    """'(2)' read clearly as 'i' (studio seed 5000038: Tesseract ran '(2)' into the word
    before and set a stray 'i' in its place) is a doubt; another figure is a change."""
    result = _warning_checks(WARNING.replace("(2)", "i"))["warning_text"]
    assert result.outcome == Outcome.REVIEW, result.message
    result = _warning_checks(WARNING.replace("(2)", "(3)"))["warning_text"]
    assert result.outcome == Outcome.FAIL, result.message


def test_a_body_bold_on_its_own_measures_fails_where_the_header_was_not_weighed() -> None:
    """Studio seed 4000023: a light bold body (0.113 per em) whose small letters fill
    0.62 of their boxes, under a header with strokes no wider, whose own weight could
    not be measured. Each measure alone is in between; together they are bold. The
    same body under a header far heavier, or in letters a regular face fills, or with
    the header's capitals clearly heavier than its own, stays a doubt."""
    typography = WarningTypography(
        header_stroke_px=5.49,
        body_stroke_px=5.48,
        body_stroke_em=0.113,
        body_coverage=0.617,
        same_glyph_ratio=1.03,
    )

    assert _body_weight(typography) == Outcome.FAIL
    assert _body_weight(dataclasses.replace(typography, header_stroke_px=6.3)) == Outcome.REVIEW
    assert _body_weight(dataclasses.replace(typography, body_coverage=0.51)) == Outcome.REVIEW
    assert _body_weight(dataclasses.replace(typography, same_glyph_ratio=1.4)) == Outcome.REVIEW
    assert _body_weight(dataclasses.replace(typography, body_stroke_em=0.100)) == Outcome.REVIEW


def test_a_short_word_inside_a_word_of_the_warning_is_no_trace_of_it():
    """'Pairs with grilled fish' resembles 'impairs' by fuzzy ratio (83), yet it is a word
    of its own: it kept a label plainly without a warning in review (studio seed 6000015)."""
    lines = [*SHORT_LABEL, "Pairs with grilled fish"]
    result = check_results(readings(lines))["warning_present"]
    assert result.outcome == Outcome.FAIL, result.message


def test_type_size_without_a_warning_read_says_so_not_that_the_scale_is_unknown():
    """A reading that found no warning has nothing to measure; the skip said the DPI
    was not known, on a TIFF that carries it (studio seed 8000121)."""
    result = check_results(readings(SHORT_LABEL))["warning_type_size"]
    assert result.outcome == Outcome.SKIPPED
    assert "no warning statement was read" in result.message
