"""Field extraction from text readings: what the rules get to judge."""

from __future__ import annotations

import pytest

from tests.engine.text_readings import SPIRITS_LABEL, readings, warning_lines
from verifier.engine.extraction import extract_fields
from verifier.engine.extraction.warning_alignment import WARNING_TEXT, align, pieces_from_words
from verifier.engine.models import Application, BeverageType, Box, Word


def _fields(*panels, application: Application | None = None, **options):
    return extract_fields(readings(*panels, **options), application or Application())


def test_full_spirits_label_fields():
    fields = _fields([*SPIRITS_LABEL, "Product of Scotland", *warning_lines()])
    assert fields.brand_name.text == "STONE'S THROW"
    assert fields.class_type.text == "Kentucky Straight Bourbon Whiskey"
    assert (fields.abv, fields.proof) == (45.0, 90.0)
    assert fields.net_contents_ml == 750.0
    assert fields.bottler.text == "Stone's Throw Distilling Co. Louisville, KY"
    assert fields.country_of_origin.text == "Scotland"
    assert fields.beverage_type == BeverageType.DISTILLED_SPIRITS
    assert [word.text for word in fields.warning_header.words] == ["GOVERNMENT", "WARNING:"]
    assert fields.warning_body.text.startswith("(1) According")
    assert fields.warning_body.text.endswith("health problems.")


def test_found_text_carries_panel_box_and_confidence():
    fields = _fields(["front"], [("STONE'S THROW", 80), "Vodka"], confidences={"THROW": 60})
    assert fields.brand_name.panel == 1
    assert fields.brand_name.box() is not None and fields.brand_name.box().height == 80
    assert fields.brand_name.confidence == pytest.approx((95 + 60) / 200)


def test_brand_located_fuzzily_with_application_rather_than_tallest_line():
    fields = _fields(
        [("RESERVE", 90), ("Stone's Throw", 40), "Red Wine"],
        application=Application(brand_name="STONE'S THROW"),
    )
    assert fields.brand_name.text == "Stone's Throw"


def test_a_designation_stacked_one_word_a_line_is_found_whole():
    """ "KENTUCKY / STRAIGHT / BOURBON / WHISKEY" in display capitals: a span of three
    lines stopped at BOURBON, and "Whiskey" was "read elsewhere" (14000106)."""
    stacked = [
        ("Ironbound", 90),
        *[(word, 60) for word in ("KENTUCKY", "STRAIGHT", "BOURBON", "WHISKEY")],
    ]
    fields = _fields(
        stacked, application=Application(class_type="Kentucky Straight Bourbon Whiskey")
    )
    assert fields.class_type.text == "KENTUCKY STRAIGHT BOURBON WHISKEY"


def test_brand_without_application_is_tallest_non_designation_line():
    fields = _fields(["Napa Valley", ("Cabernet Sauvignon", 60), ("AFFLICTED", 50), "Red Wine"])
    assert fields.brand_name.text == "AFFLICTED"


@pytest.mark.parametrize(
    ("line", "abv", "proof"),
    [
        ("Alcohol 45% by volume", 45.0, None),
        ("45% alc/vol", 45.0, None),
        ("ALC. 13.5% BY VOL.", 13.5, None),
        ("45% ABV", 45.0, None),
        ("Alcohol by volume 12 percent", 12.0, None),
        ("90 Proof", None, 90.0),
        ("45 % Alc./Vol. (90 Proof)", 45.0, 90.0),
        ("ALC. 13,5% by vol.", 13.5, None),
        ("13.5%", 13.5, None),
        # A dot of a dotted ground above the point (studio seeds 8000058, 10000130).
        ("Alcohol 13:5% by volume", 13.5, None),
        ("ALC. 8;5% BY VOL.", 8.5, None),
        # The slash of ALC/VOL read as a letter: still the alcohol statement.
        ("7.2% ALCIVOL", 7.2, None),
        ("45% ALC.IVOL. (90 PROOF)", 45.0, 90.0),
        # A space read as a colon, O's read as zeros: the proof is still stated (a
        # label whose 76 proof contradicts its 43% was passed without it).
        ("ALC. 43% BY VOL: (76:PROOF)", 43.0, 76.0),
        ("ALC.43%BY:V0L: (76 PR00F)", 43.0, 76.0),
        # The second engine runs a line's words together (15000036).
        ("ALC12%BYVOL·750ML", 12.0, None),
    ],
)
def test_alcohol_forms(line, abv, proof):
    fields = _fields([line])
    assert (fields.abv, fields.proof) == (abv, proof)


def test_alcohol_statement_split_over_two_lines():
    fields = _fields(["ALC. 14.1%", "BY VOL."])
    assert fields.abv == 14.1


@pytest.mark.parametrize("line", ["ALC 4S% BY VOL", "WHITE WINE ALCI2%BY VOL"])
def test_garbled_alcohol_number_is_found_but_not_repaired(line):
    """ "ALCI2%" is 12% with the 1 read as I, or 2% after a misread slash: not a number."""
    fields = _fields([line])
    assert fields.alcohol_content is not None
    assert fields.abv is None


def test_a_full_stop_read_as_a_colon_after_alc_leaves_the_figure() -> None:
    """Studio seed 12000170: "ALC:13.5% BY VOL" on a dotted ground; the colon was taken
    for a digit glued to the figure, and no alcohol statement was found."""
    assert _fields(["ALC:13.5% BY VOL"]).abv == 13.5
    assert _fields(["ALCI3.5% BY VOL"]).abv is None  # a letter that may be a digit still is


def test_a_dot_of_the_ground_read_as_a_colon_after_the_full_stop_leaves_the_figure() -> None:
    """Studio seed 23000098 (compliant): "ALC. 12% BY VOL." on a dot grid read
    "ALC.:12%": a dot between the words, read as a colon glued to the figure."""
    assert _fields(["ALC.:12% BY VOL:"]).abv == 12
    assert _fields(["ALC.I2% BY VOL"]).abv is None


def test_garbled_alcohol_statement_outranks_a_stray_percentage():
    fields = _fields(["ALCI2%BY VOL", "Aged 5%"])
    assert fields.alcohol_content.text == "ALCI2%BY VOL"
    assert fields.abv is None


def test_percentage_before_a_word_is_a_blend_not_alcohol():
    assert _fields(["85% Merlot"]).alcohol_content is None


@pytest.mark.parametrize(
    ("line", "ml"),
    [
        ("750ML", 750),
        ("75 cl", 750),
        ("1.75 LITERS", 1750),
        ("1 PINT (16 FL OZ)", 473.18),
        # The EU estimated sign after the figure, and a tight setting read run together
        # (an approved label's "Net cont.750ml ℮" was called absent).
        ("Net cont. 750 ml \u212e", 750),
        ("Netcont750mle", 750),
    ],
)
def test_net_contents_forms(line, ml):
    assert _fields([line]).net_contents_ml == pytest.approx(ml, abs=0.01)


def test_net_contents_statement_wins_over_a_stray_figure():
    fields = _fields(["Aged in 200 L barrels", "NET CONTENTS 750 mL"])
    assert fields.net_contents_ml == 750


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Imported by Vinos SA", "Miami, FL"], "Vinos SA Miami, FL"),
        (["Vinted and bottled by Red Brick Winery, Napa, CA"], "Red Brick Winery, Napa, CA"),
        (
            ["Brewed & canned by", "Hop Valley Brewing", "Eugene, Oregon"],
            "Hop Valley Brewing Eugene, Oregon",
        ),
        # A line read across into the warning beside it (studio seed 3000014).
        (
            ["Brewed by Tall Pines Brewery,", "Asheville, NG GOVERNMENT WARNING: (1)"],
            "Tall Pines Brewery, Asheville, NG",
        ),
        # The "y" of a "by" ending its line lost (studio seed 12000062).
        (
            ["Cellared and bottled b", "Harrow & Finch Wine Co.", "Dundee, OR"],
            "Harrow & Finch Wine Co. Dundee, OR",
        ),
        # Marks a dotted ground leaves between the phrase's words (studio seed 11000182).
        (
            ["Vinted:and bottled ‘by: Harrow", "& Finch Wine:Co., Napa, CA"],
            "Harrow & Finch Wine:Co., Napa, CA",
        ),
    ],
)
def test_bottler_statement_may_span_lines(lines, expected):
    assert _fields(lines).bottler.text == expected


@pytest.mark.parametrize(
    ("line", "country"),
    [
        ("Product of France", "France"),
        ("MADE IN MEXICO", "Mexico"),
        ("Imported from Italy", "Italy"),
    ],
)
def test_country_of_origin_forms(line, country):
    assert _fields([line]).country_of_origin.text == country


def test_the_filed_country_is_found_read_with_a_glyph_that_looks_the_same():
    """Both readers saw 'lreland': an l for the capital I, the same mark in print."""
    filed = Application(country_of_origin="Ireland")
    assert _fields(["Dublin, lreland"], application=filed).country_of_origin.text == "Ireland"
    assert _fields(["Dublin, lceland"], application=filed).country_of_origin is None


def test_warning_gathered_across_hyphenation_and_panels():
    lines = warning_lines()
    rest = " ".join(lines[2:]).split()[1:]
    fields = _fields([*lines[:2], "preg-"], ["nancy " + " ".join(rest)])
    assert fields.warning_header.panel == 0
    assert "preg-" in [word.text for word in fields.warning_body.words]
    assert "nancy" in [word.text for word in fields.warning_body.words]


def test_warning_with_unreadable_header_is_still_gathered_from_its_body():
    lines = warning_lines()
    fields = _fields(["~~~ ###", *[" ".join(lines).split("WARNING: ")[1]]])
    assert fields.warning_header is None
    assert fields.warning_body.text.startswith("(1) According")


def test_noisy_header_is_found():
    fields = _fields(warning_lines(WARNING_NOISY))
    assert [word.text for word in fields.warning_header.words] == ["GOVERNMENT", "WARNlNG:"]


WARNING_NOISY = " ".join(warning_lines()).replace("WARNING:", "WARNlNG:")


@pytest.mark.parametrize(
    ("lines", "kind"),
    [
        (["Straight Rye Whiskey"], BeverageType.DISTILLED_SPIRITS),
        (["Chardonnay", "Contains sulfites"], BeverageType.WINE),
        (["India Pale Ale"], BeverageType.MALT_BEVERAGE),
        (["Brewed in Portland"], BeverageType.MALT_BEVERAGE),
        (["Nothing telling"], None),
    ],
)
def test_beverage_type_inferred_from_label(lines, kind):
    assert _fields(lines).beverage_type == kind


def test_a_designation_stacked_on_three_lines_is_found_whole() -> None:
    """Studio seed 8000059 sets "KENTUCKY / STRAIGHT / BOURBON WHISKEY" on three lines;
    both engines read all of it, but a span of words crossing one line break found only
    "STRAIGHT BOURBON WHISKEY", and 'Kentucky' was failed as not on the label."""
    lines = [("MARROW & VINE", 70), ("KENTUCKY", 45), ("STRAIGHT", 45), ("BOURBON WHISKEY", 45),
             "50% Alcohol by Volume", "375 ML"]  # fmt: skip
    fields = extract_fields(
        readings(lines), Application(class_type="Kentucky Straight Bourbon Whiskey")
    )
    assert fields.class_type is not None
    assert fields.class_type.text == "KENTUCKY STRAIGHT BOURBON WHISKEY"


def test_a_designation_word_in_the_bottlers_name_is_no_designation() -> None:
    """Studio seed 11000184: a rule through "Lager Beer" kept both engines from reading
    it, and "Wine" of "IMPORTED BY Meridian Wine & Spirits" was taken for the label's
    designation, failing the filed "Lager Beer" on a compliant label."""
    lines = [("El Viejo Cerro", 70), "Alc. 6.8% by Vol. 11.2 FL OZ",
             "IMPORTED BY Meridian Wine & Spirits", "New York, NY"]  # fmt: skip
    fields = extract_fields(readings(lines), Application(class_type="Lager Beer"))
    assert fields.class_type is None
    assert fields.bottler is not None and "Wine" in fields.bottler.text
    # Nor does the name pass a filed "Wine" where no designation was read.
    assert extract_fields(readings(lines), Application(class_type="Wine")).class_type is None
    fields = extract_fields(readings([*lines, "Red Wine"]), Application(class_type="Red Wine"))
    assert fields.class_type is not None and fields.class_type.text == "Red Wine"


def test_a_warning_aligned_again_points_at_the_words_of_its_own_reading() -> None:
    """One panel's warning is aligned several times, and the work is kept by the words'
    text; each alignment still hands back the words of the reading it was given (their
    boxes are where a difference is shown)."""
    text = WARNING_TEXT.replace("women", "woman") + " Bottled by"
    first, second = (
        [Word(token, 90.0, Box(index, row, 10, 10)) for index, token in enumerate(text.split())]
        for row in (0, 50)
    )
    for words in (first, second):
        alignment = align(pieces_from_words(words))
        changed = next(step for step in alignment.steps if step.op == "replace")
        assert changed.found_words == [words[text.split().index("woman")]]
        assert [word for piece in alignment.trailing for word in piece.words] == words[-2:]
