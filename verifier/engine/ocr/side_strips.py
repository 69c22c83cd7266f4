"""Text lines of a side strip, found with the strip turned upright.

The second engine's detector finds horizontal lines well and sideways ones
badly: down a side strip it breaks each line into pieces ("women shou",
"GOVER", "of the-risk of"), each recognised on its own, and the warning they
hold is never read whole (studio seeds 12000174, 10000010). Turned a quarter
(either way: the detector does not mind text upside down) the strip's lines
lie level and are found whole. Their boxes are given back in panel pixels as
upright boxes, so recognition turns them the right way up as it does any
sideways line (its orientation classifier decides which way).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verifier.engine.models import Box, Line, centre_in, union_of
from verifier.engine.ocr import rapid
from verifier.engine.ocr.passes import is_vertical
from verifier.engine.ocr.rapid import DetectedLine

# A detected line this many times taller than wide runs down a side strip.
_SIDEWAYS = 1.5
# Room around the strip, in its lines' widths: a header or a last short line the
# first reading missed.
_MARGIN = 1.5


def side_strip(lines: Sequence[Line]) -> Box | None:
    """Where the first reading read sideways text, with room around it; None where it
    read none."""
    boxes = [line.box for line in lines if line.box is not None and is_vertical(line)]
    strip = union_of(boxes)
    if strip is None:
        return None
    margin = int(_MARGIN * float(np.median([min(box.width, box.height) for box in boxes])))
    return Box(strip.left - margin, strip.top - margin,
               strip.width + 2 * margin, strip.height + 2 * margin)  # fmt: skip


def detect_turned(
    rgb: np.ndarray, region: Box, *, deadline: float | None = None
) -> list[DetectedLine]:
    """The text lines in `region` of the panel, detected with it turned a quarter."""
    left, top = max(0, region.left), max(0, region.top)
    crop = rgb[top : region.top + region.height, left : region.left + region.width]
    if crop.size == 0:
        return []
    width = crop.shape[1]
    # Counter-clockwise: the turned image's (x, y) is the crop's (width - 1 - y, x).
    found = []
    for line in rapid.detect(np.ascontiguousarray(np.rot90(crop)), deadline=deadline):
        xs = left + (width - 1 - line.quad[:, 1])
        ys = top + line.quad[:, 0]
        x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
        box = Box(int(x0), int(y0), round(x1 - x0), round(y1 - y0))
        found.append(DetectedLine(quad, box))
    return found


def with_side_strip_turned(
    rgb: np.ndarray,
    lines: Sequence[Line],
    detected: Sequence[DetectedLine],
    *,
    deadline: float | None = None,
) -> list[DetectedLine]:
    """`detected` with the sideways lines on a side strip the first reading (`lines`)
    read found again with the strip turned. Level lines stay as they were found."""
    strip = side_strip(lines)
    if strip is None:
        return list(detected)
    turned = [line for line in detect_turned(rgb, strip, deadline=deadline) if _sideways(line)]
    if not turned:
        return list(detected)
    kept = [line for line in detected if not (_sideways(line) and centre_in(line.box, strip))]
    return sorted([*kept, *turned], key=lambda line: (round(line.box.top / 8), line.box.left))


def _sideways(line: DetectedLine) -> bool:
    return line.box.height > _SIDEWAYS * line.box.width
