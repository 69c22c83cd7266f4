"""Prepare a panel for OCR, and remember how to map boxes back.

Every step runs only when it pays: a clean, upright, well-sized label goes to
Tesseract as a grayscale copy and nothing more. Each geometric step is an
affine map kept in a `PanelTransform`, so a box Tesseract reports on the
prepared image is mapped back to the panel the user uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from verifier.engine.models import Box

# Tesseract reads best when capitals are 20-40 px tall; labels rendered for
# the COLA registry (700-900 px wide) often carry 10-14 px text.
TARGET_TEXT_HEIGHT_PX = 22.0
MIN_TEXT_HEIGHT_PX = 14.0
MAX_UPSCALE = 3.0
MIN_SKEW_DEGREES = 0.6
MAX_SKEW_DEGREES = 6.0
LOW_CONTRAST_RANGE = 110  # grey levels between the 1st and 99th percentile
DARK_GROUND = 100  # median grey level below which the ground is dark
# More blobs than this of one height, no taller than this: a printed pattern.
PATTERN_BLOBS = 300
PATTERN_SIZE_PX = 8
# A panel is read as two halves at once (two cores) where a blank band at least a
# letter's height tall runs across it, between 30 % and 70 % of the way down: a gap
# between blocks, not between the lines of one.
CUT_BAND_LETTERS = 1.0
CUT_WINDOW = (0.3, 0.7)


@dataclass(frozen=True)
class PanelTransform:
    """An affine map from original panel pixels to prepared-image pixels."""

    matrix: np.ndarray  # 2 x 3
    width: int  # of the prepared image
    height: int

    @classmethod
    def identity(cls, width: int, height: int) -> PanelTransform:
        return cls(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), width, height)

    def then(self, step: np.ndarray, width: int, height: int) -> PanelTransform:
        """This map followed by `step` (2 x 3), giving an image of width x height."""
        combined = _as3x3(step) @ _as3x3(self.matrix)
        return PanelTransform(combined[:2], width, height)

    def cropped(self, left: int, top: int, width: int, height: int) -> PanelTransform:
        """This map followed by cutting width x height pixels out at (left, top)."""
        return self.then(np.array([[1.0, 0.0, -left], [0.0, 1.0, -top]]), width, height)

    def box_to_original(self, left: int, top: int, width: int, height: int) -> Box:
        """The upright bounding box, in original pixels, of a prepared-image box."""
        inverse = np.linalg.inv(_as3x3(self.matrix))[:2]
        corners = np.array(
            [
                [left, top, 1.0],
                [left + width, top, 1.0],
                [left, top + height, 1.0],
                [left + width, top + height, 1.0],
            ]
        )
        mapped = corners @ inverse.T
        x0, y0 = np.floor(mapped.min(axis=0)).astype(int)
        x1, y1 = np.ceil(mapped.max(axis=0)).astype(int)
        return Box(int(x0), int(y0), int(x1 - x0), int(y1 - y0))

    def box_to_prepared(self, box: Box) -> Box:
        """The bounding box, in prepared-image pixels, of an original-panel box."""
        corners = np.array(
            [
                [box.left, box.top, 1.0],
                [box.left + box.width, box.top, 1.0],
                [box.left, box.top + box.height, 1.0],
                [box.left + box.width, box.top + box.height, 1.0],
            ]
        )
        mapped = corners @ self.matrix.T
        x0, y0 = np.floor(mapped.min(axis=0)).astype(int)
        x1, y1 = np.ceil(mapped.max(axis=0)).astype(int)
        return Box(int(x0), int(y0), int(x1 - x0), int(y1 - y0))


def _as3x3(matrix: np.ndarray) -> np.ndarray:
    return np.vstack([matrix, [0.0, 0.0, 1.0]])


def to_gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def dark_on_light(gray: np.ndarray) -> np.ndarray:
    """Light print on a dark ground (navy, black, forest labels) turned dark on light,
    which is what Tesseract's page segmentation expects."""
    return 255 - gray if float(np.median(gray)) < DARK_GROUND else gray


def stretch_contrast(gray: np.ndarray) -> np.ndarray:
    """Spread a washed-out panel over the full grey range; others untouched."""
    low, high = np.percentile(gray, (1, 99))
    if high - low >= LOW_CONTRAST_RANGE or high - low < 8:
        return gray
    stretched = (gray.astype(np.float32) - low) * (255.0 / (high - low))
    return np.clip(stretched, 0, 255).astype(np.uint8)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Binary ink (255) on background (0), whichever of dark/light is the ink."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Ink is the minority: on a dark label the letters are the light pixels.
    if np.count_nonzero(binary) < binary.size / 2:
        return binary
    return cv2.bitwise_not(binary)


def estimate_text_height(gray: np.ndarray) -> float | None:
    """Median height of letter-sized blobs, or None when there are too few."""
    mask = ink_mask(gray)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    limit = gray.shape[0] * 0.15
    # Letter-shaped: not barcode bars or rules (thin), not borders (huge).
    shaped = (widths >= heights * 0.15) & (widths <= heights * 1.6)
    letters = heights[(heights >= 4) & (heights <= limit) & shaped]
    if letters.size < 12:
        return None
    # A dotted or halftone ground prints thousands of blobs of one small size:
    # that size is a pattern, not the type. Leave it out when it dominates.
    sizes, counts = np.unique(letters, return_counts=True)
    commonest = sizes[np.argmax(counts)]
    if counts.max() > max(PATTERN_BLOBS, 0.4 * letters.size) and commonest <= PATTERN_SIZE_PX:
        letters = letters[letters > commonest + 1]
        if letters.size < 12:
            return None
    # The upper part of the distribution: capitals and ascenders, not dots.
    return float(np.percentile(letters, 60))


def upscale_factor(text_height: float | None) -> float:
    if text_height is None or text_height >= MIN_TEXT_HEIGHT_PX:
        return 1.0
    return min(MAX_UPSCALE, TARGET_TEXT_HEIGHT_PX / text_height)


def blank_band_cut(gray: np.ndarray, letter_px: float | None) -> int | None:
    """The row nearest the middle of a blank band across the whole image, at least a
    letter's height tall (`CUT_BAND_LETTERS`) and within `CUT_WINDOW` of its height;
    None when there is none (a patterned ground leaves no row blank)."""
    if not letter_px:
        return None
    blank = np.count_nonzero(ink_mask(gray), axis=1) == 0
    height = blank.size
    edges = np.flatnonzero(np.diff(np.concatenate(([0], blank.view(np.int8), [0]))))
    middles = [
        (start + end) // 2
        for start, end in zip(edges[::2], edges[1::2], strict=True)
        if start > 0 and end < height and end - start >= CUT_BAND_LETTERS * letter_px
    ]
    low, high = (round(share * height) for share in CUT_WINDOW)
    inside = [row for row in middles if low <= row <= high]
    return min(inside, key=lambda row: abs(row - height / 2), default=None)


def estimate_skew(gray: np.ndarray) -> float:
    """Degrees to turn the panel (counter-clockwise positive) to level its text.

    Projection profile: rows of a level text block alternate between ink and
    gap, so the variance of the row sums peaks at the right angle. Done on a
    small copy, it costs a few milliseconds.
    """
    mask = ink_mask(gray)
    scale = min(1.0, 500.0 / max(mask.shape))
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = small.shape
    centre = (width / 2, height / 2)

    def score(angle: float) -> float:
        rotation = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, rotation, (width, height), flags=cv2.INTER_NEAREST)
        rows = turned.sum(axis=1, dtype=np.float64)
        return float(np.var(np.diff(rows)))

    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 1.0)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.75, best + 0.76, 0.25)
    best = max(fine, key=score)
    return float(best) if abs(best) >= MIN_SKEW_DEGREES else 0.0


def prepare(
    gray: np.ndarray, *, rotation: int = 0, skew: float = 0.0, scale: float = 1.0
) -> tuple[np.ndarray, PanelTransform]:
    """Turn by `rotation` (0/90/180/270, clockwise), then by `skew` degrees
    counter-clockwise, and scale by `scale`.

    One warp for the lot keeps it fast; the transform maps boxes back.
    """
    height, width = gray.shape
    transform = PanelTransform.identity(width, height)
    image = gray
    if rotation % 360:
        codes = {
            90: cv2.ROTATE_90_CLOCKWISE,
            180: cv2.ROTATE_180,
            270: cv2.ROTATE_90_COUNTERCLOCKWISE,
        }
        image = cv2.rotate(image, codes[rotation % 360])
        new_height, new_width = image.shape
        step = {
            90: np.array([[0.0, -1.0, height - 1.0], [1.0, 0.0, 0.0]]),
            180: np.array([[-1.0, 0.0, width - 1.0], [0.0, -1.0, height - 1.0]]),
            270: np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, width - 1.0]]),
        }[rotation % 360]
        transform = transform.then(step, new_width, new_height)
    if skew or scale != 1.0:
        height, width = image.shape
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew, scale)
        # Grow the canvas so the turned corners are not cut off.
        cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
        new_width = round(height * sin + width * cos)
        new_height = round(height * cos + width * sin)
        matrix[0, 2] += new_width / 2 - width / 2
        matrix[1, 2] += new_height / 2 - height / 2
        image = cv2.warpAffine(
            image,
            matrix,
            (new_width, new_height),
            flags=cv2.INTER_CUBIC,
            borderMode=cv2.BORDER_REPLICATE,
        )
        transform = transform.then(matrix, new_width, new_height)
    return image, transform
