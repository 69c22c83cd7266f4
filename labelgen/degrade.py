"""Make a clean rendering look like what applicants actually upload."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageFilter

LOW_RESOLUTION_WIDTH = 640  # COLA registry images are often 700-900 px, some less


def degrade_panel(
    panel: Image.Image, degradations: tuple[str, ...], dpi: float, rng: random.Random
) -> tuple[Image.Image, float]:
    """Apply the pixel-level degradations; return the image and its true DPI.

    Layout degradations (side strip, multi-panel) happen while rendering; JPEG
    compression happens while encoding.
    """
    image = panel
    if "low_resolution" in degradations and image.width > LOW_RESOLUTION_WIDTH:
        factor = LOW_RESOLUTION_WIDTH / image.width
        size = (LOW_RESOLUTION_WIDTH, round(image.height * factor))
        image = image.resize(size, Image.Resampling.LANCZOS)
        dpi = dpi * factor
    if "rotate" in degradations:
        angle = rng.choice((-1, 1)) * rng.uniform(1.5, 4.0)
        image = image.rotate(
            angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255)
        )
    if "blur" in degradations:
        image = image.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.7, 1.1)))
    if "noise" in degradations:
        seed = rng.randrange(2**32)
        pixels = np.asarray(image, dtype=np.float32)
        noise = np.random.default_rng(seed).normal(0, 14, pixels.shape)
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    return image, dpi
