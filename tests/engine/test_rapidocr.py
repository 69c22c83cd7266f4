"""The second OCR engine, run for real: PP-OCRv4 on ONNX Runtime, models from the wheel."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from labelgen import render_label, spec_for_seed
from verifier.engine.ocr import get_backend
from verifier.engine.ocr.rapid import recognise_images, word_spans

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _panel(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_reads_a_whole_panel_into_words_with_boxes_and_confidences() -> None:
    label = render_label(spec_for_seed(3))
    image = _panel(label.panels[0])
    reading = get_backend("rapidocr").read(image, panel=0, deadline=None)

    text = reading.text.upper()
    assert reading.backend == "rapidocr"
    assert "GOVERNMENT" in text and "SURGEON" in text
    assert label.spec.brand.upper().replace(" ", "") in text.replace(" ", "")
    words = [word for line in reading.lines for word in line.words]
    assert all(word.box is not None and 0 <= word.confidence <= 100 for word in words)
    assert all(
        word.box.left >= 0 and word.box.left + word.box.width <= image.width + 2 for word in words
    )
    # Word boxes sit where the words are printed: "GOVERNMENT" is on the warning's line.
    government = next(w for w in words if "GOVERNMENT" in w.text.upper())
    line = next(line for line in reading.lines if government in line.words)
    assert (
        line.box.top
        <= government.box.top + government.box.height / 2
        <= (line.box.top + line.box.height)
    )


def test_keeps_the_spaces_between_words() -> None:
    label = render_label(spec_for_seed(3))
    reading = get_backend("rapidocr").read(_panel(label.panels[0]), panel=0, deadline=None)
    warning_lines = [line.text for line in reading.lines if "Surgeon" in line.text]
    assert warning_lines and len(warning_lines[0].split()) >= 4, warning_lines


def test_reads_a_side_strip_in_order() -> None:
    """Text printed bottom to top is read upright, left to right, first word first."""
    strip = Image.new("RGB", (700, 90), (250, 247, 238))
    ImageDraw.Draw(strip).text(
        (10, 20), "Product of Portugal 750 mL", font=ImageFont.truetype(FONT, 40), fill="black"
    )
    turned = strip.rotate(90, expand=True)  # now reads bottom to top
    reading = get_backend("rapidocr").read(turned, panel=0, deadline=None)

    assert "Product of Portugal" in reading.text
    words = [word for line in reading.lines for word in line.words]
    product = next(w for w in words if w.text == "Product")
    portugal = next(w for w in words if w.text.startswith("Portugal"))
    assert product.box.top > portugal.box.top  # "Product" lower down: read first


def test_recognises_cut_out_pieces() -> None:
    piece = Image.new("RGB", (240, 40), "white")
    ImageDraw.Draw(piece).text((8, 6), "(1) According", font=ImageFont.truetype(FONT, 24), fill=0)
    [(text, confidence)] = recognise_images([np.asarray(piece)])
    assert text.replace(" ", "") == "(1)According"
    assert confidence > 0.8


def test_words_run_together_after_punctuation_are_split() -> None:
    text = "GOVERNMENT:WARNING:(1) According.to.the ALC./VOL. 13.5%"
    assert [text[span.start : span.stop] for span in word_spans(text)] == [
        "GOVERNMENT:",
        "WARNING:",
        "(1)",
        "According.",
        "to.",
        "the",
        "ALC./VOL.",
        "13.5%",
    ]


def test_names_its_version() -> None:
    assert "rapidocr-onnxruntime 1.4.4" in get_backend("rapidocr").version
