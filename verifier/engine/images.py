"""Turn uploaded bytes into a decoded, upright image, or a clear error.

The format is recognised from the bytes themselves: a file name or a
Content-Type header says nothing reliable about what was uploaded.

Each panel is decoded straight to the working resolution OCR needs and no
more (a JPEG at a reduced DCT scale, anything else shrunk right after
decoding): every later step costs time in proportion to pixels, and a
7000 x 7000 flat PNG of 62 KB must not cost more than a real label.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import ExifTags, Image, UnidentifiedImageError

from verifier.engine.errors import CorruptImage, ImageTooLarge, UnsupportedImage

# A 9000 x 5500 scan is already generous for a label; beyond this the upload
# is an absurd scan or a decompression bomb, and decoding it would eat memory.
MAX_IMAGE_PIXELS = 50_000_000

# The working resolution. Tesseract reads best with letters 20-30 px tall and
# the OCR modules scale small type up themselves (ocr/preprocessing.py), to
# 8 MP at most (ocr/tesseract.py). At 8 MP a 5 x 7 inch label is still read at
# 480 dpi, where the warning's 2 mm capitals are 38 px tall. Real label
# artwork is 400-2300 px and at most 5 MP: the caps leave it untouched.
WORKING_MAX_SIDE = 4000
WORKING_MAX_PIXELS = 8_000_000
# And for a whole label set: three panels at the full 8 MP; more panels share it.
LABEL_SET_MAX_PIXELS = 24_000_000

SUPPORTED_FORMATS = {"JPEG": "jpeg", "PNG": "png", "TIFF": "tiff", "WEBP": "webp"}

# Magic bytes of the accepted formats: checked before Pillow sees the data,
# so that a format Pillow happens to read (GIF, BMP, PDF...) is still refused.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


# EXIF orientation -> the turn that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class LoadedImage:
    """A decoded panel and what the audit trail wants to know about its file."""

    image: Image.Image  # RGB, EXIF orientation applied
    format: str  # "jpeg" | "png" | "tiff" | "webp"
    dpi: float | None  # from the file's metadata, on the working image's scale
    size_bytes: int
    sha256: str
    scale: float = 1.0  # working pixels per file pixel (below 1 when shrunk)

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


def load_image(
    data: bytes,
    *,
    max_pixels: int = MAX_IMAGE_PIXELS,
    max_side: int = WORKING_MAX_SIDE,
    working_pixels: int = WORKING_MAX_PIXELS,
) -> LoadedImage:
    """Decode `data` to at most `max_side` px a side and `working_pixels` pixels,
    apply EXIF orientation, convert to RGB.

    Raises UnsupportedImage, CorruptImage or ImageTooLarge (over `max_pixels`
    in the file, checked on its header before decoding).
    """
    sniffed = sniff_format(data)
    if sniffed is None:
        raise UnsupportedImage(
            "The file is not a JPEG, PNG, TIFF or WebP image.",
            details={"accepted": sorted(SUPPORTED_FORMATS.values())},
        )
    image, file_size, target = _decode(data, sniffed, max_pixels, max_side, working_pixels)
    dpi = _dpi_from_metadata(image)
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation)
        upright = _shrink(image, target)
        if orientation in _UPRIGHT:
            upright = upright.transpose(_UPRIGHT[orientation])
        rgb = _to_rgb(upright)
    except (OSError, ValueError, SyntaxError) as error:
        raise CorruptImage(f"The image could not be decoded: {error}") from error
    scale = target[0] / file_size[0]
    return LoadedImage(
        image=rgb,
        format=SUPPORTED_FORMATS[sniffed],
        dpi=dpi * scale if dpi is not None else None,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        scale=scale,
    )


def working_size(
    size: tuple[int, int],
    *,
    max_side: int = WORKING_MAX_SIDE,
    working_pixels: int = WORKING_MAX_PIXELS,
) -> tuple[int, int]:
    """The size a panel of `size` (width, height) is read at: the same, or
    shrunk with its proportions kept to fit both limits."""
    width, height = size
    factor = min(1.0, max_side / max(width, height), (working_pixels / (width * height)) ** 0.5)
    if factor >= 1.0:
        return size
    return max(1, int(width * factor)), max(1, int(height * factor))


def panel_pixels(panels: int) -> int:
    """The working pixel budget of each panel of a label set of `panels` panels."""
    return min(WORKING_MAX_PIXELS, LABEL_SET_MAX_PIXELS // max(1, panels))


def working_dpi(dpi: float | None, loaded: Sequence[LoadedImage]) -> float | None:
    """The DPI a caller states for the files, on the scale they are read at.
    Panels shrunk by different factors have no one DPI: None, and the type
    size is measured on each file's own DPI metadata, if any."""
    if dpi is None:
        return None
    scales = {image.scale for image in loaded}
    return dpi * scales.pop() if len(scales) == 1 else None


def _decode(
    data: bytes, sniffed: str, max_pixels: int, max_side: int, working_pixels: int
) -> tuple[Image.Image, tuple[int, int], tuple[int, int]]:
    """The decoded image (for a JPEG, already at a reduced scale when it is
    large), the file's own size and the working size to bring it to."""
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
            file_size = image.size
            if image.width * image.height > max_pixels:
                raise too_large
            target = working_size(file_size, max_side=max_side, working_pixels=working_pixels)
            if sniffed == "JPEG" and target != file_size:
                # Decode at 1/2, 1/4 or 1/8 scale, no smaller than the target:
                # the full-size pixels never exist.
                image.draft(image.mode, target)
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
    return image, file_size, target


def _shrink(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """`image` resized to `target`: a box reduction by a whole factor first
    (cheap), then Lanczos for the rest, which keeps thin strokes of small type."""
    if image.size == target:
        return image
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = _to_rgb(image)  # palette, bilevel, CMYK, 16-bit: not resampled as they are
    factor = min(image.width // target[0], image.height // target[1])
    if factor >= 2:
        image = image.reduce(factor)
    if image.size == target:
        return image
    return image.resize(target, Image.Resampling.LANCZOS)


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
