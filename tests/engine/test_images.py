"""Uploaded bytes become an upright RGB image, or an error a person can act on."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from verifier.engine.errors import CorruptImage, ImageTooLarge, UnsupportedImage
from verifier.engine.images import load_image


def encode(image: Image.Image, image_format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


@pytest.fixture
def picture() -> Image.Image:
    image = Image.new("RGB", (60, 30), (240, 240, 240))
    image.paste((10, 10, 10), (0, 0, 20, 30))  # a dark band on the left
    return image


@pytest.mark.parametrize(
    ("image_format", "expected"),
    [("PNG", "png"), ("JPEG", "jpeg"), ("TIFF", "tiff"), ("WEBP", "webp")],
)
def test_accepted_formats_are_recognised_by_content(
    picture: Image.Image, image_format: str, expected: str
) -> None:
    data = encode(picture, image_format)
    loaded = load_image(data)
    assert loaded.format == expected
    assert loaded.image.mode == "RGB"
    assert loaded.image.size == (60, 30)
    assert loaded.size_bytes == len(data)
    assert len(loaded.sha256) == 64


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "PDF"])
def test_formats_pillow_reads_but_we_do_not_accept_are_refused(
    picture: Image.Image, image_format: str
) -> None:
    with pytest.raises(UnsupportedImage) as error:
        load_image(encode(picture, image_format))
    assert error.value.code == "unsupported_media_type"


@pytest.mark.parametrize("data", [b"", b"hello, this is a text file", b"%PDF-1.7\n"])
def test_non_images_are_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedImage):
        load_image(data)


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_truncated_image_is_corrupt(image_format: str) -> None:
    noisy = Image.effect_noise((300, 300), 80).convert("RGB")
    data = encode(noisy, image_format)
    with pytest.raises(CorruptImage) as error:
        load_image(data[: len(data) // 2])
    assert error.value.code == "corrupt_image"


def test_garbage_behind_a_valid_signature_is_corrupt() -> None:
    with pytest.raises(CorruptImage):
        load_image(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50)


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_too_large() -> None:
    with pytest.raises(ImageTooLarge) as error:
        load_image(_png_declaring(60_000, 60_000))
    assert error.value.code == "image_too_large"


def test_pixel_limit_is_the_callers(picture: Image.Image) -> None:
    data = encode(picture, "PNG")  # 60 x 30 = 1800 pixels

    with pytest.raises(ImageTooLarge) as error:
        load_image(data, max_pixels=1000)

    assert error.value.details == {"max_pixels": 1000}
    assert load_image(data, max_pixels=1800).image.size == (60, 30)


def test_exif_orientation_is_applied(picture: Image.Image) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    loaded = load_image(encode(picture, "JPEG", exif=exif))
    assert loaded.image.size == (30, 60)
    # The dark band that was on the left is now at the top.
    assert loaded.image.getpixel((15, 5))[0] < 80
    assert loaded.image.getpixel((15, 55))[0] > 160


def test_transparent_artwork_is_put_on_white() -> None:
    clear = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    loaded = load_image(encode(clear, "PNG"))
    assert loaded.image.getpixel((5, 5)) == (255, 255, 255)


def test_cmyk_jpeg_becomes_rgb() -> None:
    loaded = load_image(encode(Image.new("CMYK", (10, 10), (0, 0, 0, 0)), "JPEG"))
    assert loaded.image.mode == "RGB"


def test_dpi_comes_from_metadata(picture: Image.Image) -> None:
    assert load_image(encode(picture, "PNG", dpi=(300, 300))).dpi == pytest.approx(300, abs=0.1)
    assert load_image(encode(picture, "PNG")).dpi is None


def test_screen_default_dpi_is_not_a_scale(picture: Image.Image) -> None:
    # 72 and 96 are what screenshot tools write, whatever was photographed.
    assert load_image(encode(picture, "JPEG", dpi=(72, 72))).dpi is None
