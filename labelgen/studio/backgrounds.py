"""Label stock: flat colour, gradients, paper and linen textures, dot screens.

Everything stays within a fraction of the way from the paper colour to the
ink, so the print keeps the contrast §16.22(a)(1) asks of the warning.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw

from labelgen.studio.look import RGB, Look


def mix(a: RGB, b: RGB, amount: float) -> RGB:
    """`amount` of the way from colour `a` to colour `b`."""
    return (
        round(a[0] + (b[0] - a[0]) * amount),
        round(a[1] + (b[1] - a[1]) * amount),
        round(a[2] + (b[2] - a[2]) * amount),
    )


def shade(colour: RGB, amount: float) -> RGB:
    """Darker for amount > 0, lighter for amount < 0."""
    return mix(colour, (0, 0, 0), amount) if amount > 0 else mix(colour, (255, 255, 255), -amount)


def paint_stock(size: tuple[int, int], look: Look, rng: random.Random, dpi: float) -> Image.Image:
    """The printed background of one panel, before any text or ornament."""
    width, height = size
    paper = np.array(look.palette.paper, dtype=np.float32)
    noise_rng = np.random.default_rng(rng.getrandbits(32))
    if look.base == "flat":
        pixels = np.broadcast_to(paper, (height, width, 3)).copy()
    else:
        pixels = _gradient(width, height, paper, look, rng)
    if look.texture == "paper":
        grain = noise_rng.normal(0, 4.0, (height, width, 1)).astype(np.float32)
        pixels += grain
    elif look.texture == "linen":
        pixels += _linen(width, height, dpi, noise_rng)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if look.texture == "paper":
        _fibres(image, look, rng, dpi)
    if look.dots == "grid":
        _dot_grid(image, look, rng, dpi)
    elif look.dots == "halftone":
        _halftone(image, look, rng, dpi)
    return image


def _gradient(
    width: int, height: int, paper: np.ndarray, look: Look, rng: random.Random
) -> np.ndarray:
    """Paper colour darkening (or lightening) towards one side or the edges."""
    depth = rng.uniform(0.12, 0.25) * (1 if sum(look.palette.paper) > 300 else -1.4)
    far = np.array(shade(look.palette.paper, depth), dtype=np.float32)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    if look.base == "linear":
        angle = rng.uniform(0, 2 * math.pi)
        projection = xs * math.cos(angle) + ys * math.sin(angle)
        low, high = projection.min(), projection.max()
        t = (projection - low) / max(high - low, 1.0)
    else:
        cx, cy = width * rng.uniform(0.4, 0.6), height * rng.uniform(0.3, 0.5)
        t = np.hypot(xs - cx, ys - cy) / math.hypot(width, height) * 1.6
    t = np.clip(t, 0, 1)[..., None]
    return paper * (1 - t) + far * t


def _linen(width: int, height: int, dpi: float, noise_rng: np.random.Generator) -> np.ndarray:
    """A woven look: fine threads both ways, each a little lighter or darker."""
    pitch = max(2, round(dpi / 90))
    rows = noise_rng.normal(0, 3.5, (height // pitch + 1, 1)).repeat(pitch, 0)[:height]
    cols = noise_rng.normal(0, 3.5, (1, width // pitch + 1)).repeat(pitch, 1)[:, :width]
    weave = (rows + cols).astype(np.float32)
    return weave[..., None] + noise_rng.normal(0, 1.5, (height, width, 1)).astype(np.float32)


def _fibres(image: Image.Image, look: Look, rng: random.Random, dpi: float) -> None:
    """Short curled threads in the paper, as in cotton or laid stock."""
    draw = ImageDraw.Draw(image)
    palette = look.palette
    count = round(image.width * image.height / 9000)
    reach = dpi / 12
    for _ in range(count):
        x, y = rng.uniform(0, image.width), rng.uniform(0, image.height)
        heading = rng.uniform(0, 2 * math.pi)
        points = [(x, y)]
        for _ in range(4):
            heading += rng.uniform(-0.7, 0.7)
            x += math.cos(heading) * reach / 4
            y += math.sin(heading) * reach / 4
            points.append((x, y))
        colour = mix(palette.paper, rng.choice((palette.ink, shade(palette.paper, -0.5))), 0.14)
        draw.line(points, fill=colour, width=1)


def _dot_grid(image: Image.Image, look: Look, rng: random.Random, dpi: float) -> None:
    """An even screen of small dots over the whole stock."""
    draw = ImageDraw.Draw(image)
    pitch = dpi / 25.4 * rng.uniform(1.2, 2.2)
    radius = pitch * rng.uniform(0.12, 0.2)
    colour = mix(look.palette.paper, look.palette.ink, rng.uniform(0.15, 0.24))
    y = pitch / 2
    while y < image.height:
        x = pitch / 2
        while x < image.width:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
            x += pitch
        y += pitch


def _halftone(image: Image.Image, look: Look, rng: random.Random, dpi: float) -> None:
    """A 45-degree halftone screen whose dots swell towards one corner."""
    draw = ImageDraw.Draw(image)
    pitch = dpi / 25.4 * rng.uniform(1.0, 1.6)
    colour = mix(look.palette.paper, look.palette.ink, rng.uniform(0.16, 0.26))
    corner_x = rng.choice((0, image.width))
    corner_y = rng.choice((0, image.height))
    diagonal = math.hypot(image.width, image.height)
    row = 0
    y = 0.0
    while y < image.height + pitch:
        x = (pitch / 2) * (row % 2)
        while x < image.width + pitch:
            closeness = max(0.0, 1 - math.hypot(x - corner_x, y - corner_y) / diagonal)
            radius = pitch * 0.42 * closeness**1.5
            if radius > 0.6:
                draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
            x += pitch
        y += pitch / 2
        row += 1
