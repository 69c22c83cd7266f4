"""Pictures for the admin: list thumbnails, and panels with the evidence boxes drawn.

Boxes are in the coordinates of the upright panel (EXIF orientation applied),
as the engine read it, so the image is turned the same way before drawing.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw, ImageOps

THUMBNAIL_SIZE = (160, 160)
OVERLAY_MAX_WIDTH = 1600
OUTCOME_COLORS = {
    "pass": (22, 130, 60),
    "fail": (200, 30, 30),
    "review": (220, 140, 0),
}
OTHER_COLOR = (40, 90, 200)


def thumbnail_jpeg(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", THUMBNAIL_SIZE)
    image = (ImageOps.exif_transpose(image) or image).convert("RGB")
    image.thumbnail(THUMBNAIL_SIZE)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def evidence_png(data: bytes, boxes: list[dict[str, Any]]) -> bytes:
    """The panel with each check's evidence box outlined in its outcome's colour."""
    image = Image.open(io.BytesIO(data))
    image = (ImageOps.exif_transpose(image) or image).convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(2, round(max(image.size) / 400))
    for item in boxes:
        box = item["box"]
        try:
            left, top = int(box["left"]), int(box["top"])
            right, bottom = left + int(box["width"]), top + int(box["height"])
        except (KeyError, TypeError, ValueError):
            continue
        color = OUTCOME_COLORS.get(item.get("outcome") or "", OTHER_COLOR)
        draw.rectangle((left, top, right, bottom), outline=color, width=width)
        draw.text((left, max(0, top - 12)), str(item.get("check") or ""), fill=color)
    if image.width > OVERLAY_MAX_WIDTH:
        image.thumbnail((OVERLAY_MAX_WIDTH, OVERLAY_MAX_WIDTH * 4))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
