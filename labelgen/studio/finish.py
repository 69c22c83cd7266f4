"""From print to file: a mild photo or scan look, then PNG, TIFF or JPEG.

Turning and tilting keep the print's scale, so a stated DPI stays true; only
a final fit into 800-1600 px resamples, and then the DPI follows it.
"""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageFilter

from labelgen.studio.look import Look

MIN_LONG_SIDE_PX = 800
MAX_LONG_SIDE_PX = 1600


def photograph(image: Image.Image, look: Look, rng: random.Random) -> Image.Image:
    """A slight turn, tilt, blur and sensor noise; never enough to hurt legibility."""
    if look.perspective:
        image = _tilt(image, look, rng)
    if look.rotation_deg:
        image = image.rotate(
            look.rotation_deg,
            resample=Image.Resampling.BICUBIC,
            expand=True,
            fillcolor=look.surround,
        )
    if look.blur_radius:
        image = image.filter(ImageFilter.GaussianBlur(look.blur_radius))
    if look.sensor_noise:
        pixels = np.asarray(image, dtype=np.float32)
        generator = np.random.default_rng(rng.getrandbits(32))
        noise = generator.normal(0, look.sensor_noise, pixels.shape)
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    return image


def _tilt(image: Image.Image, look: Look, rng: random.Random) -> Image.Image:
    """A keystone: the label seen a little off square, on a margin of surround."""
    width, height = image.size
    margin = round(max(width, height) * look.perspective * 1.5)
    framed = Image.new("RGB", (width + 2 * margin, height + 2 * margin), look.surround)
    framed.paste(image, (margin, margin))
    w, h = framed.size
    shift = max(width, height) * look.perspective
    # Where each output corner samples the input: top edge pinched, bottom spread, or so.
    corners = [
        (rng.uniform(-shift, shift), rng.uniform(-shift, shift)),
        (w + rng.uniform(-shift, shift), rng.uniform(-shift, shift)),
        (w + rng.uniform(-shift, shift), h + rng.uniform(-shift, shift)),
        (rng.uniform(-shift, shift), h + rng.uniform(-shift, shift)),
    ]
    coefficients = _perspective_coefficients([(0, 0), (w, 0), (w, h), (0, h)], corners)
    return framed.transform(
        framed.size,
        Image.Transform.PERSPECTIVE,
        coefficients,
        Image.Resampling.BICUBIC,
        fillcolor=look.surround,
    )


def _perspective_coefficients(
    output: list[tuple[float, float]], source: list[tuple[float, float]]
) -> list[float]:
    rows = []
    for (x, y), (u, v) in zip(output, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    targets = np.array([coordinate for point in source for coordinate in point], dtype=float)
    return np.linalg.solve(np.array(rows, dtype=float), targets).tolist()


def fit(image: Image.Image, dpi: float) -> tuple[Image.Image, float]:
    """Resample into 800-1600 px on the long side; the DPI scales with the pixels."""
    long_side = max(image.size)
    target = min(max(long_side, MIN_LONG_SIDE_PX), MAX_LONG_SIDE_PX)
    if target == long_side:
        return image, dpi
    factor = target / long_side
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS), dpi * factor


def encode(image: Image.Image, look: Look, dpi: float) -> bytes:
    """PNG (DPI when the look stores it), TIFF (always with DPI), JPEG (never)."""
    buffer = io.BytesIO()
    if look.image_format == "tiff":
        image.save(buffer, "TIFF", dpi=(dpi, dpi), compression="tiff_lzw")
    elif look.image_format == "jpeg":
        image.save(buffer, "JPEG", quality=look.jpeg_quality)
    elif look.store_dpi:
        image.save(buffer, "PNG", dpi=(dpi, dpi), compress_level=3)
    else:
        image.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()
