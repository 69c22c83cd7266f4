"""Turn uploaded bytes into a decoded, upright image, or a clear error.

The format is recognised from the bytes themselves: a file name or a
Content-Type header says nothing reliable about what was uploaded.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from verifier.engine.errors import CorruptImage, ImageTooLarge, UnsupportedImage

# A 9000 x 5500 scan is already generous for a label; beyond this the upload
# is an absurd scan or a decompression bomb, and decoding it would eat memory.
MAX_IMAGE_PIXELS = 50_000_000

SUPPORTED_FORMATS = {"JPEG": "jpeg", "PNG": "png", "TIFF": "tiff", "WEBP": "webp"}

# Magic bytes of the accepted formats: checked before Pillow sees the data,
# so that a format Pillow happens to read (GIF, BMP, PDF...) is still refused.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


@dataclass(frozen=True)
class LoadedImage:
    """A decoded panel and what the audit trail wants to know about its file."""

    image: Image.Image  # RGB, EXIF orientation applied
    format: str  # "jpeg" | "png" | "tiff" | "webp"
    dpi: float | None  # from the file's metadata, when it states a plausible one
    size_bytes: int
    sha256: str

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


def sniff_format(data: bytes) -> str | None:
    """The Pillow format name the bytes start with, or None."""
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def load_image(data: bytes, *, max_pixels: int = MAX_IMAGE_PIXELS) -> LoadedImage:
    """Decode `data` fully, apply EXIF orientation, convert to RGB.

    Raises UnsupportedImage, CorruptImage or ImageTooLarge (over `max_pixels`).
    """
    sniffed = sniff_format(data)
    if sniffed is None:
        raise UnsupportedImage(
            "The file is not a JPEG, PNG, TIFF or WebP image.",
            details={"accepted": sorted(SUPPORTED_FORMATS.values())},
        )
    image = _decode(data, sniffed, max_pixels)
    dpi = _dpi_from_metadata(image)
    try:
        upright = ImageOps.exif_transpose(image) or image
        rgb = _to_rgb(upright)
    except (OSError, ValueError, SyntaxError) as error:
        raise CorruptImage(f"The image could not be decoded: {error}") from error
    return LoadedImage(
        image=rgb,
        format=SUPPORTED_FORMATS[sniffed],
        dpi=dpi,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _decode(data: bytes, sniffed: str, max_pixels: int) -> Image.Image:
    too_large = ImageTooLarge(
        f"The image has more than {max_pixels:,} pixels.",
        details={"max_pixels": max_pixels},
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; make that an
            # error too. Our limit is checked on the header, before any decoding
            # (Pillow's is a process-wide global, not ours to change per call).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[sniffed])
            if image.width * image.height > max_pixels:
                raise too_large
            # open() only reads the header: load() decodes every pixel, so
            # a truncated file fails here and not deep inside OCR.
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_large from error
    except UnidentifiedImageError as error:
        raise CorruptImage(
            f"The file starts like a {sniffed} image but could not be read."
        ) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise CorruptImage(f"The {sniffed} image is truncated or damaged: {error}") from error
    return image


def _dpi_from_metadata(image: Image.Image) -> float | None:
    """The horizontal DPI the file states, if it is plausible for a label scan.

    72 and 96 are what screenshot tools and browsers write by default: they
    say nothing about the printed size, so they are not a scale.
    """
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0] if isinstance(dpi, tuple) else dpi)
    except (TypeError, ValueError):
        return None
    if value < 100 or value > 4800 or round(value) in (72, 96):
        return None
    return value


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB on a white ground: transparent label artwork is printed on white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        ground = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(ground, rgba).convert("RGB")
    if image.mode == "I;16" or image.mode.startswith("I;16"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")
