"""The uploaded pictures, shown on the result page without being stored.

Each panel is decoded the way the engine decodes it (EXIF orientation applied,
so the evidence boxes line up), shrunk for the screen and embedded in the page
as a `data:` URL. The boxes are drawn in an SVG whose coordinate system is the
panel's full size, so they scale with the picture.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field

from verifier.engine.errors import EngineError
from verifier.engine.images import load_image
from web.presenters import BoxMark, CheckRow

DISPLAY_MAX_SIDE = 1600


# Drawn last, so on top: a failure is never hidden under a pass.
OUTCOME_WEIGHT = {"fail": 3, "review": 2, "pass": 1}


@dataclass
class PlaceMark:
    """One box on the picture, and every check that points at it."""

    number: int
    left: int
    top: int
    width: int
    height: int
    checks: list[BoxMark]
    label_x: int = 0  # where its number is drawn, set by `PanelView.place_numbers()`
    label_y: int = 0

    @property
    def outcome(self) -> str:
        return max((mark.outcome for mark in self.checks), key=lambda o: OUTCOME_WEIGHT.get(o, 0))


def place_marks(boxes: list[BoxMark]) -> list[PlaceMark]:
    places: dict[int, PlaceMark] = {}
    for box in boxes:
        place = places.get(box.number)
        if place is None:
            place = places[box.number] = PlaceMark(
                box.number, box.left, box.top, box.width, box.height, []
            )
        place.checks.append(box)
    return sorted(places.values(), key=lambda p: (OUTCOME_WEIGHT.get(p.outcome, 0), p.number))


@dataclass
class PanelView:
    number: int  # 1-based, as people count
    src: str | None  # data: or https: URL; None when the picture was not kept
    width: int  # the coordinate system of the boxes: the upright panel's pixels
    height: int
    boxes: list[PlaceMark] = field(default_factory=list)
    font_size: int = 12  # of the box numbers, in panel pixels: about 1/30 of the panel

    @property
    def halo(self) -> float:
        return round(self.font_size / 5, 1)

    @property
    def places_by_number(self) -> list[PlaceMark]:
        return sorted(self.boxes, key=lambda place: place.number)

    def place_numbers(self) -> None:
        """Each box's number goes just above it (below when it touches the top),
        moved right when another number already sits there."""
        size = self.font_size = max(12, round(max(self.width, self.height) / 30))
        taken: list[tuple[int, int, int]] = []  # x, y, width of the numbers placed
        for place in self.places_by_number:
            above = place.top - size // 5
            y = above if above >= size else place.top + place.height + size
            x = place.left
            width = round(size * 0.65 * len(str(place.number)))
            for other_x, other_y, other_width in sorted(taken):
                if abs(other_y - y) < size and x < other_x + other_width and other_x < x + width:
                    x = other_x + other_width + size // 3
            taken.append((x, y, width))
            place.label_x, place.label_y = x, y


def data_url(data: bytes) -> tuple[str, int, int] | None:
    """A JPEG data: URL of the upright panel, no wider or taller than the screen needs."""
    try:
        loaded = load_image(data)
    except EngineError:
        return None
    width, height = loaded.width, loaded.height
    image = loaded.image.copy()
    image.thumbnail((DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/jpeg;base64,{encoded}", width, height


def panel_views(
    *, images: list[bytes] | None, facts: list[dict], rows: list[CheckRow]
) -> list[PanelView]:
    """One view per panel: the picture when we have it, and the boxes found on it."""
    count = max(len(images or []), len(facts))
    panels: list[PanelView] = []
    for index in range(count):
        fact = facts[index] if index < len(facts) else {}
        src, width, height = None, fact.get("width") or 0, fact.get("height") or 0
        if images and index < len(images):
            shown = data_url(images[index])
            if shown:
                src, width, height = shown
        boxes = [box for row in rows for box in row.boxes if box.panel == index]
        panel = PanelView(index + 1, src, int(width), int(height), place_marks(boxes))
        panel.place_numbers()
        panels.append(panel)
    return panels
