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
        """Each box's number goes just above its top-left corner; when that spot is
        taken or off the picture, the next free one of: above further right,
        below, inside the box, then lower rows. Numbers never overlap."""
        size = self.font_size = max(12, round(max(self.width, self.height) / 30))
        gap = max(2, size // 5)
        taken: list[NumberSpot] = []
        for place in self.places_by_number:
            width = round(size * 0.65 * len(str(place.number))) + 2 * gap
            spot = next(
                (
                    candidate
                    for candidate in self._spots(place, size, width, gap)
                    if not any(candidate.overlaps(other) for other in taken)
                ),
                None,
            )
            if spot is None:  # everything near is taken: the first free place, row by row
                spot = NumberSpot(0, size, width, size)
                while any(spot.overlaps(other) for other in taken):
                    if spot.x + 2 * width <= self.width:
                        spot = NumberSpot(spot.x + width, spot.baseline, width, size)
                    else:
                        spot = NumberSpot(0, spot.baseline + size, width, size)
            taken.append(spot)
            place.label_x, place.label_y = spot.x + gap, spot.baseline

    def _spots(self, place: PlaceMark, size: int, width: int, gap: int) -> list[NumberSpot]:
        above = place.top - gap
        below = place.top + place.height + size
        inside = place.top + size
        rows = [above, below, inside] + [above - size * step for step in range(1, 4)]
        spots = []
        for baseline in rows:
            for step in range(0, 6):
                x = place.left + step * width
                spot = NumberSpot(x, baseline, width, size)
                if spot.top >= 0 and baseline <= self.height and x + width <= self.width:
                    spots.append(spot)
        return spots


@dataclass(frozen=True)
class NumberSpot:
    """Where a box number is drawn: `baseline` is the text's y, `size` its height."""

    x: int
    baseline: int
    width: int
    size: int

    @property
    def top(self) -> int:
        return self.baseline - self.size

    def overlaps(self, other: NumberSpot) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.top < other.baseline
            and other.top < self.baseline
        )


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
