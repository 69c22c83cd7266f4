"""Each panel is decoded straight to the working resolution OCR needs: a huge,
nearly empty image costs what a real label costs, not forty times more."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from PIL import Image, JpegImagePlugin

from labelgen import render_label, spec_for_seed
from verifier.engine import Application, Options, verify_label
from verifier.engine.images import (
    LABEL_SET_MAX_PIXELS,
    WORKING_MAX_PIXELS,
    WORKING_MAX_SIDE,
    load_image,
    working_size,
)


def encode(image: Image.Image, image_format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def within_working_bounds(size: tuple[int, int]) -> bool:
    return max(size) <= WORKING_MAX_SIDE and size[0] * size[1] <= WORKING_MAX_PIXELS


def test_a_7000_pixel_flat_png_is_read_at_the_working_size() -> None:
    """The issue's amplification: 62 KB of PNG, 49 megapixels of flat colour."""
    picture = Image.new("RGB", (7000, 7000), (236, 226, 200))
    picture.paste((20, 20, 20), (0, 0, 1000, 7000))  # a dark band on the left seventh
    data = encode(picture, "PNG")
    assert len(data) < 200_000

    loaded = load_image(data)

    assert within_working_bounds(loaded.image.size), loaded.image.size
    assert loaded.image.width == loaded.image.height  # proportions kept
    assert loaded.scale == pytest.approx(loaded.image.width / 7000)
    band_edge = round(1000 * loaded.scale)
    assert loaded.image.getpixel((band_edge - 5, 100))[0] < 40
    assert loaded.image.getpixel((band_edge + 5, 100))[0] > 200


def test_a_large_jpeg_is_decoded_at_a_reduced_scale() -> None:
    """The full-size pixels of a large JPEG are never decoded: the decoder is
    asked for a version no smaller than the working size."""
    data = encode(Image.new("RGB", (9000, 3000), (250, 250, 250)), "JPEG", quality=70)
    draft = JpegImagePlugin.JpegImageFile.draft

    with mock.patch.object(
        JpegImagePlugin.JpegImageFile, "draft", autospec=True, side_effect=draft
    ) as spied:
        loaded = load_image(data)

    assert spied.call_count == 1
    requested = spied.call_args.args[2]
    assert requested == working_size((9000, 3000))
    assert loaded.image.size == requested
    assert within_working_bounds(loaded.image.size)


def test_labels_within_the_working_size_are_read_as_they_are() -> None:
    label = render_label(spec_for_seed(3))
    original = Image.open(io.BytesIO(label.panels[0]))

    loaded = load_image(label.panels[0])

    assert loaded.image.size == original.size
    assert loaded.scale == 1.0


def test_the_dpi_of_a_shrunk_scan_is_on_the_working_scale() -> None:
    """A 600 dpi scan read at half its size has 300 working pixels per inch:
    the type size is measured on those."""
    data = encode(Image.new("L", (8000, 1500), 255), "PNG", dpi=(600, 600))

    loaded = load_image(data)

    assert loaded.image.size == (4000, 750)
    assert loaded.scale == 0.5
    assert loaded.dpi == pytest.approx(300, abs=0.1)


def test_orientation_is_applied_to_the_shrunk_picture() -> None:
    picture = Image.new("RGB", (6000, 1000), (240, 240, 240))
    picture.paste((10, 10, 10), (0, 0, 2000, 1000))  # dark on the left third
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"

    loaded = load_image(encode(picture, "JPEG", exif=exif))

    width, height = loaded.image.size
    assert height == WORKING_MAX_SIDE and width < height
    # The dark left third is now the top third.
    assert loaded.image.getpixel((width // 2, height // 6))[0] < 80
    assert loaded.image.getpixel((width // 2, height - 10))[0] > 160


def test_a_large_palette_png_keeps_its_colours() -> None:
    picture = Image.new("RGB", (5000, 5000), (200, 30, 30)).convert("P")

    loaded = load_image(encode(picture, "PNG"))

    assert within_working_bounds(loaded.image.size)
    assert loaded.image.mode == "RGB"
    red, green, blue = loaded.image.getpixel((100, 100))
    assert red > 180 and green < 60 and blue < 60


def test_a_label_set_of_many_large_panels_shares_one_pixel_budget() -> None:
    """Six 4000 x 4000 panels would be 96 megapixels, each within the per-panel
    cap at 8 MP: the set is read within LABEL_SET_MAX_PIXELS instead."""
    data = encode(Image.new("RGB", (4000, 4000), (236, 226, 200)), "PNG")
    alone = load_image(data)
    assert alone.image.width * alone.image.height == pytest.approx(WORKING_MAX_PIXELS, rel=0.01)

    result = verify_label([data] * 6, Application(), Options(backend="tesseract"))

    read = sum(image.width * image.height for image in result.images)
    assert read <= LABEL_SET_MAX_PIXELS
    assert read > LABEL_SET_MAX_PIXELS * 0.95  # shared out, not thrown away
    assert result.images[0].width < alone.image.width
