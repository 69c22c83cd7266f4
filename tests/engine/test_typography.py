"""Warning typography measured on real renderings: bold is told from regular."""

from __future__ import annotations

import io
import statistics

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from labelgen import render_label, spec_for_seed
from verifier.engine.extraction import extract_fields
from verifier.engine.glyphs import GlyphWeights, letter_weights, small_letter_coverage
from verifier.engine.images import load_image
from verifier.engine.models import Application, Box, LabelFields, WarningTypography, Word
from verifier.engine.ocr import get_backend
from verifier.engine.reading_order import reads_upward
from verifier.engine.typography import measure_warning_typography

# Stroke width per em on DejaVu and Liberation renderings: regular up to
# ~0.11, bold from ~0.115 (Liberation Bold is the lightest bold).
BETWEEN_REGULAR_AND_BOLD = 0.111


def measure(data: bytes, dpi: float | None = None) -> WarningTypography:
    loaded = load_image(data)
    reading = get_backend("tesseract").read(loaded.image, panel=0, deadline=None)
    reading.dpi = loaded.dpi
    fields = extract_fields([reading], Application())
    assert fields.warning_header is not None and fields.warning_body is not None
    return measure_warning_typography([loaded.image], [reading], fields, dpi)


@pytest.fixture(scope="module", params=["dejavu", "liberation"])
def family(request: pytest.FixtureRequest) -> str:
    return request.param


def seed_for(family: str) -> int:
    """A seed whose label is set in `family` (the generator draws the font)."""
    return next(seed for seed in range(100) if spec_for_seed(seed).font_family == family)


@pytest.fixture(scope="module")
def clean(family: str) -> WarningTypography:
    return measure(render_label(spec_for_seed(seed_for(family))).panels[0])


@pytest.fixture(scope="module")
def regular_header(family: str) -> WarningTypography:
    spec = spec_for_seed(seed_for(family), failures=("warning_header_bold",))
    return measure(render_label(spec).panels[0])


@pytest.fixture(scope="module")
def bold_body(family: str) -> WarningTypography:
    spec = spec_for_seed(seed_for(family), failures=("warning_body_not_bold",))
    return measure(render_label(spec).panels[0])


def ratio(typography: WarningTypography) -> float:
    return typography.header_stroke_px / typography.body_stroke_px


def test_bold_header_is_much_heavier_than_regular_body(clean: WarningTypography) -> None:
    assert ratio(clean) > 1.25
    assert clean.header_stroke_em > BETWEEN_REGULAR_AND_BOLD > clean.body_stroke_em


def test_regular_header_weighs_like_the_body(regular_header: WarningTypography) -> None:
    assert 0.85 < ratio(regular_header) < 1.12
    assert regular_header.header_stroke_em < BETWEEN_REGULAR_AND_BOLD


def test_bold_body_is_heavy_on_its_own_scale(bold_body: WarningTypography) -> None:
    assert bold_body.body_stroke_em > BETWEEN_REGULAR_AND_BOLD
    # Capitals have heavier stems than small letters of the same weight (1.09-1.18
    # here); the same capitals in header and body weigh the same.
    assert 0.95 < bold_body.same_glyph_ratio < 1.05


def test_same_letters_tell_a_bold_header_from_a_regular_one(
    clean: WarningTypography, regular_header: WarningTypography
) -> None:
    assert clean.same_glyph_ratio > 1.4
    assert 0.95 < regular_header.same_glyph_ratio < 1.05
    # By the share of each letter's box the ink covers, too.
    assert clean.same_glyph_coverage > 1.2
    assert 0.92 < regular_header.same_glyph_coverage < 1.08
    assert clean.header_coverage > 0.53 > 0.48 > regular_header.header_coverage


def test_letter_height_uses_the_image_dpi(family: str, clean: WarningTypography) -> None:
    spec = spec_for_seed(seed_for(family))
    assert clean.scale_source == "image_metadata"
    assert clean.letter_height_mm == pytest.approx(spec.warning_x_height_mm, abs=0.2)
    assert 8 < clean.characters_per_inch < 16


def test_tiny_warning_measures_tiny() -> None:
    spec = spec_for_seed(seed_for("dejavu"), failures=("warning_type_size",))
    typography = measure(render_label(spec).panels[0])
    assert typography.letter_height_mm == pytest.approx(1.0, abs=0.15)


def test_caller_scale_wins_over_metadata() -> None:
    spec = spec_for_seed(seed_for("dejavu"))
    typography = measure(render_label(spec).panels[0], dpi=spec.dpi * 2)
    assert typography.scale_source == "caller"
    assert typography.letter_height_mm == pytest.approx(spec.warning_x_height_mm / 2, abs=0.1)


def test_without_a_scale_there_is_no_physical_measure() -> None:
    spec = spec_for_seed(seed_for("dejavu"))
    image = Image.open(io.BytesIO(render_label(spec).panels[0]))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")  # no dpi written
    typography = measure(buffer.getvalue())
    assert typography.letter_height_mm is None
    assert typography.characters_per_inch is None
    assert typography.scale_source is None
    assert typography.header_stroke_px is not None


def test_nothing_is_measured_without_a_warning() -> None:
    image = Image.new("RGB", (50, 50), "white")
    typography = measure_warning_typography([image], [], LabelFields(), 300)
    # Only the scale the caller stated is known; no letter was measured.
    assert typography == WarningTypography(scale_source="caller")


def _word_image(text: str, font: str, *, sideways: bool) -> tuple[np.ndarray, Word]:
    face = ImageFont.truetype(f"/usr/share/fonts/truetype/dejavu/{font}", 40)
    image = Image.new("L", (40 + int(face.getlength(text)), 80), 255)
    ImageDraw.Draw(image).text((20, 15), text, font=face, fill=0)
    if sideways:
        image = image.rotate(90, expand=True)
    box = Box(10, 10, image.width - 20, image.height - 20)
    return np.asarray(image), Word(text, box=box, confidence=95.0)


def test_capitals_on_a_side_strip_are_weighed_without_naming_the_letters() -> None:
    """A side strip's box does not tell which way its letters run, so no letter is
    compared with its twin; how much of their boxes the capitals cover still shows."""
    gray, word = _word_image("GOVERNMENT", "DejaVuSansCondensed-Bold.ttf", sideways=True)
    weights = letter_weights(gray, [word])
    assert weights.coverage == {} and weights.strokes == {}
    assert statistics.median(weights.capital_blobs) > 0.53
    gray, word = _word_image("GOVERNMENT", "DejaVuSansCondensed.ttf", sideways=True)
    assert statistics.median(letter_weights(gray, [word]).capital_blobs) < 0.48


def _strip(text: str, font: str, turn: int) -> tuple[np.ndarray, list[Word]]:
    """`text` set on one line and turned `turn` degrees anticlockwise (90: it reads
    bottom to top, 270: top to bottom), with each word's box."""
    face = ImageFont.truetype(f"/usr/share/fonts/truetype/dejavu/{font}", 40)
    image = Image.new("L", (40 + int(face.getlength(text)), 80), 255)
    draw, boxes, x = ImageDraw.Draw(image), [], 20
    for token in text.split():
        left, top, right, bottom = draw.textbbox((x, 15), token, font=face)
        draw.text((x, 15), token, font=face, fill=0)
        boxes.append(Box(left, top, right - left, bottom - top))
        x += round(face.getlength(token + " "))
    width, height = image.size
    if turn == 90:
        boxes = [Box(b.top, width - b.left - b.width, b.height, b.width) for b in boxes]
    elif turn == 270:
        boxes = [Box(height - b.top - b.height, b.left, b.height, b.width) for b in boxes]
    image = image.rotate(turn, expand=True)
    words = [Word(token, 95.0, box) for token, box in zip(text.split(), boxes, strict=True)]
    return np.asarray(image), words


@pytest.mark.parametrize("turn", [90, 270])
def test_a_side_strips_letters_are_named_by_the_way_its_words_follow_each_other(
    turn: int,
) -> None:
    """One sideways word does not tell which way it reads; the next word up or down
    the strip does. Its letters are then weighed one by one as upright ones are: the
    small letters' coverage tells a regular body from a bold one, and the capitals
    are compared with their twins."""
    text = "Consumption by women may cause health problems because beverages"

    def weights(font: str, turn: int) -> GlyphWeights:
        gray, words = _strip(text, font, turn)
        return letter_weights(gray, words)

    assert reads_upward(_strip(text, "DejaVuSans.ttf", turn)[1]) is (turn == 90)
    regular, bold = weights("DejaVuSans.ttf", turn), weights("DejaVuSans-Bold.ttf", turn)
    upright = weights("DejaVuSans.ttf", 0)
    assert set(regular.coverage) == set(bold.coverage) == {"C"}
    assert regular.coverage["C"] == pytest.approx(upright.coverage["C"], abs=0.02)
    assert small_letter_coverage(regular) == pytest.approx(small_letter_coverage(upright), abs=0.02)
    assert small_letter_coverage(regular) < 0.5 < 0.52 < small_letter_coverage(bold)


def test_rules_are_taken_out_of_a_words_ink_but_letters_bars_are_not() -> None:
    """A rule across the tops of capitals joins them into one blob; without it each
    letter is its own. A letter's bar at the word's end is no rule."""
    image = Image.new("L", (520, 120), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 48)
    draw.text((40, 30), "GOVERNMENT", font=font, fill=0)
    left, top, right, bottom = draw.textbbox((40, 30), "GOVERNMENT", font=font)
    box = Box(left, top, right - left, bottom - top)
    plain = letter_weights(np.asarray(image), [Word("GOVERNMENT", 95.0, box)])
    draw.line((0, top + 1, 519, top + 1), fill=0, width=3)  # a rule along the letters' tops
    ruled = letter_weights(np.asarray(image), [Word("GOVERNMENT", 95.0, box)])
    assert set(ruled.coverage) == set(plain.coverage) == set("GOVERNMT")
    assert ruled.coverage["T"][0] == pytest.approx(plain.coverage["T"][0], abs=0.1)


@pytest.mark.parametrize("degrees", [-3.0, 3.0])
def test_a_rule_a_few_degrees_off_level_is_taken_out_too(degrees: float) -> None:
    """On a label photographed askew the rule along the capitals' tops runs a few
    degrees off level with them (studio seeds 1000070 and 1000198), and no level run
    of it is longer than the letters are high. It joined a bold header's letters into
    one blob, and the header was weighed as regular."""

    def askew(ruled: bool) -> np.ndarray:
        image = Image.new("L", (560, 160), 255)
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 48)
        draw.text((60, 50), "GOVERNMENT", font=font, fill=0)
        top = draw.textbbox((60, 50), "GOVERNMENT", font=font)[1]
        if ruled:
            draw.line((0, top + 1, 559, top + 1), fill=0, width=3)
        return np.asarray(image.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor=255))

    plain = askew(ruled=False)
    rows, columns = np.nonzero(plain < 128)
    box = Box(int(columns.min()), int(rows.min()), int(np.ptp(columns)) + 1, int(np.ptp(rows)) + 1)
    word = Word("GOVERNMENT", 95.0, box)
    weighed = letter_weights(plain, [word])
    ruled = letter_weights(askew(ruled=True), [word])
    assert set(ruled.coverage) == set(weighed.coverage) == set("GOVERNMT")
    for letter in "GOVERNMT":
        assert ruled.coverage[letter][0] == pytest.approx(weighed.coverage[letter][0], abs=0.1)


@pytest.mark.parametrize("face", ["DejaVuSans", "DejaVuSerif"])
def test_small_letters_of_a_bold_face_fill_more_of_their_boxes(face: str) -> None:
    """Their own boxes, so a narrow face weighs the same as a wide one: regular letters
    fill at most half, bold ones more (0.52 and up on the studio's fonts)."""

    def coverage(font: str, words: tuple[str, ...]) -> float | None:
        shares = []
        for text in words:
            gray, word = _word_image(text, font, sideways=False)
            shares += letter_weights(gray, [word]).small_letters
        return small_letter_coverage(GlyphWeights(small_letters=shares))

    words = ("consumption", "beverages", "women", "cause", "one")  # 28 x-height letters
    assert coverage(f"{face}.ttf", words) < 0.5
    assert coverage(f"{face}-Bold.ttf", words) > 0.52
    assert coverage(f"{face}-Bold.ttf", words[:2]) is None  # 15: too few to tell
    gray, word = _word_image("consumption", f"{face}-Bold.ttf", sideways=True)
    assert letter_weights(gray, [word]).small_letters == []  # which way it runs is not known
