"""Real Tesseract reads labels the project renders, boxes in the panel's pixels."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from labelgen import render_label, spec_for_seed
from labelgen.studio import studio_label
from verifier.engine.errors import BackendTimeout, BackendUnavailable
from verifier.engine.images import load_image
from verifier.engine.models import BeverageType, Box, Line, PanelReading, Word
from verifier.engine.ocr import get_backend
from verifier.engine.ocr.passes import best_lines, merge_readings
from verifier.engine.ocr.preprocessing import PanelTransform, blank_band_cut
from verifier.engine.ocr.tesseract import (
    lines_from_data,
    read_page,
    read_region,
    tesseract_version,
)
from verifier.engine.ocr.tesseract_api import _Pool, image_to_data, tessdata_dir

pytestmark = pytest.mark.skipif(tesseract_version() is None, reason="Tesseract not installed")


def read(data: bytes) -> tuple[Image.Image, PanelReading]:
    image = load_image(data).image
    return image, get_backend("tesseract").read(image, panel=0, deadline=None)


def word_box(reading: PanelReading, text: str):
    return next(word.box for line in reading.lines for word in line.words if word.text == text)


def ink_share(image: Image.Image, box) -> float:
    """Share of dark pixels inside `box`: high when the box really covers letters."""
    crop = image.convert("L").crop((box.left, box.top, box.left + box.width, box.top + box.height))
    return float((np.asarray(crop) < 128).mean())


@pytest.fixture(scope="module")
def clean_label():
    spec = spec_for_seed(3, beverage_type=BeverageType.DISTILLED_SPIRITS)
    return spec, *read(render_label(spec).panels[0])


def test_reads_a_rendered_label(clean_label) -> None:
    spec, _, reading = clean_label
    text = reading.text
    assert spec.brand in text
    assert "GOVERNMENT WARNING:" in text
    assert "Surgeon General" in text
    assert reading.backend == "tesseract"
    assert all(0 <= word.confidence <= 100 for line in reading.lines for word in line.words)


def test_boxes_cover_the_words_they_name(clean_label) -> None:
    _, image, reading = clean_label
    box = word_box(reading, "GOVERNMENT")
    assert box.left >= 0 and box.top >= 0
    assert box.left + box.width <= image.width and box.top + box.height <= image.height
    assert ink_share(image, box) > 0.15


def test_boxes_are_in_original_coordinates_after_upscaling() -> None:
    """A half-size copy is upscaled to be read; its boxes stay in its own pixels."""
    spec = spec_for_seed(3, beverage_type=BeverageType.DISTILLED_SPIRITS)
    full = Image.open(io.BytesIO(render_label(spec).panels[0]))
    small = full.resize((full.width // 2, full.height // 2), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, "PNG")
    image, reading = read(buffer.getvalue())
    _, full_reading = read(render_label(spec).panels[0])
    small_box, full_box = word_box(reading, "GOVERNMENT"), word_box(full_reading, "GOVERNMENT")
    assert small_box.left == pytest.approx(full_box.left / 2, abs=4)
    assert small_box.top == pytest.approx(full_box.top / 2, abs=4)
    assert small_box.width == pytest.approx(full_box.width / 2, abs=5)
    assert ink_share(image, small_box) > 0.15


def test_skewed_label_is_read_with_boxes_on_the_words() -> None:
    spec = spec_for_seed(11, degradations=("rotate",))
    image, reading = read(render_label(spec).panels[0])
    assert "GOVERNMENT WARNING:" in reading.text
    assert ink_share(image, word_box(reading, "GOVERNMENT")) > 0.1


def test_warning_on_a_vertical_side_strip_is_read() -> None:
    spec = spec_for_seed(5, degradations=("side_strip",))
    image, reading = read(render_label(spec).panels[0])
    assert "GOVERNMENT" in reading.text
    assert "Surgeon General" in reading.text
    assert spec.brand in reading.text
    box = word_box(reading, "GOVERNMENT")
    # Printed bottom-to-top: tall and narrow, on the strip at the right.
    assert box.height > 3 * box.width
    assert box.left > spec.width_in * spec.dpi * 0.9
    assert ink_share(image, box) > 0.15


def test_a_side_strip_photographed_askew_is_levelled_when_turned() -> None:
    """Studio seed 19000180: the label photographed 2.9 degrees off level, its warning
    down a side strip. Turned a quarter, the strip is as far off level as the front:
    levelled by the same angle, its lines are read whole ("According to the Sur" /
    "geon General" and no header, read unlevelled)."""
    _, reading = read(studio_label(19000180).panels[0])
    assert reading.rotation == 90
    assert "GOVERNMENT WARNING:" in reading.text
    assert "According to the Surgeon General, women" in reading.text


def test_light_print_on_a_mid_tone_label_photographed_on_black_is_read() -> None:
    """Studio seed 18000034: cream print on a red label, on a black surround. One
    threshold for the whole page falls between the surround and the red, and the
    print drowns in it: Tesseract read not one word. Thresholded locally, it reads."""
    _, reading = read(studio_label(18000034).panels[0])
    assert "According to the Surgeon General" in reading.text
    assert "Larkspur Distilling" in reading.text


def test_past_deadline_is_a_timeout(clean_label) -> None:
    _, image, _ = clean_label
    with pytest.raises(BackendTimeout):
        get_backend("tesseract").read(image, panel=0, deadline=0.0)


def test_a_deadline_that_passes_while_tesseract_reads_stops_it(clean_label) -> None:
    """Tesseract runs in this process: the deadline reaches into its recognition."""
    _, image, _ = clean_label
    gray = np.asarray(image.convert("L"))
    with pytest.raises(BackendTimeout):
        image_to_data(gray, psm=3, deadline=time.monotonic() + 0.02)


def test_missing_language_data_is_named(monkeypatch, tmp_path, clean_label) -> None:
    """Before any work, and by any engine the pool would load."""
    _, image, _ = clean_label
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    tessdata_dir.cache_clear()
    try:
        with pytest.raises(BackendUnavailable, match=f"not in {tmp_path}.*TESSDATA_PREFIX"):
            get_backend("tesseract").read(image, panel=0, deadline=None)
        with pytest.raises(BackendUnavailable, match="TESSDATA_PREFIX"), _Pool().engine():
            pass
    finally:
        monkeypatch.undo()
        tessdata_dir.cache_clear()
    assert tessdata_dir() is not None


def test_unknown_backend_is_unavailable() -> None:
    with pytest.raises(BackendUnavailable):
        get_backend("no-such-ocr")


def test_version_is_reported() -> None:
    assert tesseract_version().split(".")[0].isdigit()


def test_two_passes_merged_keep_each_line_once() -> None:
    """Tall line boxes overlap their neighbours: a neighbour's more confident twins
    brought in the second pass's copy of a line the first pass's copy was already
    kept for, and the warning read 'drink alcoholic Surgeon General, ...' twice over
    (both readings then 'added' words to a compliant label)."""

    def line(text: str, top: int, confidence: float) -> Line:
        box = Box(120, top, 1030, 88)
        return Line((Word(text, confidence, box),), box)

    first = [line("header", 961, 84), line("surgeon", 1023, 95), line("beverages", 1083, 85)]
    second = [line("surgeon", 1024, 95), line("beverages", 1083, 93), line("birth", 1145, 90)]
    texts = [merged.text for merged in best_lines(first, second)]
    assert texts.count("surgeon") == 1
    assert texts[:3] == ["header", "surgeon", "beverages"]


def test_junk_the_upright_pass_read_across_a_side_strip_gives_way_to_its_lines() -> None:
    """Studio seed 23000021 leaves out the country of origin. The upright pass read the
    side strip's letters as rows of junk ("Oey oe ear"), each row across several of the
    strip's lines and less than a third inside any one: 32 words of text nobody could
    read, so the panels were never 'read completely' and the absence stayed in doubt."""

    def line(text: str, confidence: float, box: Box) -> Line:
        return Line((Word(text, confidence, box),), box)

    strip = [line(f"line {index}", 92, Box(100 + 45 * index, 50, 40, 900)) for index in range(6)]
    junk = line("Oey oe ear", 25, Box(110, 150, 250, 30))
    beside = line("Tenuta San Lucio", 95, Box(500, 60, 400, 90))
    merged = merge_readings([junk, beside], strip)
    assert junk not in merged
    assert beside in merged and all(strip_line in merged for strip_line in strip)
    surer = line("Oey oe ear", 97, Box(110, 150, 250, 30))
    assert surer in merge_readings([surer, beside], strip)


def test_a_line_read_whole_beats_a_confident_fragment_of_it() -> None:
    """The first pass read only 'ccording to the' of the warning's first line (94 % sure);
    the larger pass read all of it, 'GOVERNMENT WARNING: (1) According to the', at 92.7 %.
    Mean confidence alone kept the fragment, and with it lost the header."""

    def line(words: list[tuple[str, float]], left: int, width: int) -> Line:
        box = Box(left, 966, width, 79)
        return Line(tuple(Word(text, confidence, box) for text, confidence in words), box)

    fragment = line([("ccording", 88.4), ("to", 96.9), ("the", 96.9)], 824, 295)
    whole_words = [("GOVERNMENT", 96), ("WARNING:", 96), ("(1)", 83), ("According", 94)]
    whole = line([*whole_words, ("to", 94), ("the", 95)], 150, 968)
    assert [merged.text for merged in best_lines([fragment], [whole])] == [whole.text]
    # ...but not a much less sure one, nor a fragment over a whole line.
    unsure = line([(text, 70.0) for text, _ in whole_words], 150, 968)
    assert [merged.text for merged in best_lines([fragment], [unsure])] == [fragment.text]
    assert [merged.text for merged in best_lines([whole], [fragment])] == [whole.text]


def test_a_word_boxed_with_a_rule_touching_it_is_cut_back_to_its_own_place() -> None:
    """A rule touching the tops of 'GOVERNMENT' joins its letters to the rule, and
    Tesseract boxes the word with the whole rule, over 'WARNING:' and beyond. The
    weight of the header is then measured on the wrong pixels; each word's box
    ends where its neighbour begins."""
    data = {
        "text": ["GOVERNMENT", "WARNING:", "(1)"],
        "conf": [95, 96, 91],
        "block_num": [1, 1, 1],
        "par_num": [1, 1, 1],
        "line_num": [1, 1, 1],
        "left": [133, 384, 560],
        "top": [1076, 1084, 1092],
        "width": [729, 164, 40],
        "height": [78, 60, 40],
    }
    (line,) = lines_from_data(data, PanelTransform.identity(1000, 1400))
    boxes = [word.box for word in line.words]
    assert boxes[0] == Box(133, 1076, 384 - 133, 78)
    assert boxes[1:] == [Box(384, 1084, 164, 60), Box(560, 1092, 40, 40)]


def test_a_region_of_short_words_read_again_keeps_them() -> None:
    """The third look reads a doubtful place again: "12 FL. OZ." has no word of
    three letters, so it scores nothing as a reading, and it must still be kept."""
    image = Image.new("RGB", (420, 120), (168, 48, 40))
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf", 56)
    ImageDraw.Draw(image).text((20, 25), "12 FL. OZ.", font=font, fill=(250, 235, 210))
    lines = read_region(np.asarray(image), Box(0, 0, 420, 120))
    assert [word.text for line in lines for word in line.words] == ["12", "FL.", "OZ."]


def test_a_rule_struck_through_a_line_read_again_is_taken_out() -> None:
    """A thin rule run through the middle of a line's letters (the studio draws them
    across text): read again, the rule is taken out and the strokes it crossed kept.
    With the rule in, Tesseract read "isk-of birth defects (2) ;"."""
    image = Image.new("RGB", (700, 110), (20, 20, 24))
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    draw = ImageDraw.Draw(image)
    draw.text((20, 40), "risk of birth defects. (2) Consumption", font=font, fill=(225, 190, 110))
    draw.line((0, 60, 700, 61), fill=(225, 190, 110), width=2)  # a pixel off level along the line
    lines = read_region(np.asarray(image), Box(0, 0, 700, 110))
    assert [line.text for line in lines] == ["risk of birth defects. (2) Consumption"]


def _two_blocks(gap: int, *, frame: bool = False) -> np.ndarray:
    """Two lines at 40 and 80 px, two more at 160 + `gap` and 200 + `gap` (at `gap` -40
    the four are one block, 40 px apart): dark print on white."""
    image = Image.new("L", (640, 400 + gap), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 26)
    draw = ImageDraw.Draw(image)
    for row, text in enumerate(("Stone's Throw Distilling", "Straight Bourbon Whiskey")):
        draw.text((30, 40 + 40 * row), text, font=font, fill=0)
    for row, text in enumerate(("Bottled by Old Harbor", "Louisville, Kentucky")):
        draw.text((30, 160 + gap + 40 * row), text, font=font, fill=0)
    if frame:
        draw.rectangle((4, 4, image.width - 5, image.height - 5), outline=0, width=3)
    return np.asarray(image)


def test_a_panel_parted_by_a_blank_band_is_read_in_halves_upper_lines_first() -> None:
    """Two blocks a wide gap apart are read at once, one per core: the cut falls in the
    gap, the lower half's boxes come back in the panel's pixels, on its words."""
    pixels = _two_blocks(gap=120)
    cut = blank_band_cut(pixels, letter_px=20)
    assert cut is not None and 130 < cut < 270  # between the blocks
    identity = PanelTransform.identity(pixels.shape[1], pixels.shape[0])
    lines = read_page(pixels, identity, letter_px=20, deadline=None)
    assert [line.text for line in lines] == [
        "Stone's Throw Distilling",
        "Straight Bourbon Whiskey",
        "Bottled by Old Harbor",
        "Louisville, Kentucky",
    ]
    below = lines[3].words[0].box
    assert below.top == pytest.approx(160 + 120 + 40, abs=6)
    crop = pixels[below.top : below.top + below.height, below.left : below.left + below.width]
    assert float((crop < 128).mean()) > 0.15


def test_lines_of_one_block_or_a_frame_round_the_panel_leave_it_whole() -> None:
    """Lines of one block are never parted (no band a letter tall between them), and a
    frame inks every row: the panel is read in one piece."""
    assert blank_band_cut(_two_blocks(gap=-40), letter_px=20) is None
    assert blank_band_cut(_two_blocks(gap=120, frame=True), letter_px=20) is None
    assert blank_band_cut(_two_blocks(gap=120), letter_px=None) is None
