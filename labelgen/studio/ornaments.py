"""Printed decoration: frames, seals, ribbons, rules, small drawings, a barcode.

All drawn with plain shapes in the palette's ink and accent, at sizes given
in millimetres so they scale with the label like the type does.
"""

from __future__ import annotations

import math
import random

from PIL import ImageDraw

from labelgen.studio.backgrounds import mix, shade
from labelgen.studio.fonts import mm_to_px
from labelgen.studio.look import RGB, Look
from labelgen.studio.typeset import DrawnLine, Span


def frame(draw: ImageDraw.ImageDraw, size: tuple[int, int], look: Look, dpi: float) -> None:
    """A border inset from the edge of the label."""
    if look.frame == "none":
        return
    width, height = size
    inset = mm_to_px(2.5, dpi)
    stroke = max(1, round(mm_to_px(0.35, dpi)))
    ink = look.palette.accent if look.frame in ("double", "corners") else look.palette.ink
    box = (inset, inset, width - inset, height - inset)
    if look.frame == "single":
        draw.rectangle(box, outline=ink, width=stroke)
    elif look.frame == "double":
        draw.rectangle(box, outline=ink, width=stroke * 2)
        gap = mm_to_px(1.2, dpi)
        inner = (box[0] + gap, box[1] + gap, box[2] - gap, box[3] - gap)
        draw.rectangle(inner, outline=ink, width=max(1, stroke // 2))
    elif look.frame == "rounded":
        draw.rounded_rectangle(box, radius=mm_to_px(4, dpi), outline=ink, width=stroke)
    elif look.frame == "corners":
        draw.rectangle(box, outline=look.palette.ink, width=max(1, stroke // 2))
        reach = mm_to_px(3, dpi)
        for cx, cy in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
            diamond = [(cx, cy - reach), (cx + reach, cy), (cx, cy + reach), (cx - reach, cy)]
            draw.polygon(diamond, fill=ink)
    elif look.frame == "dashed":
        dash, skip = mm_to_px(2, dpi), mm_to_px(1.2, dpi)
        for start, end in (
            ((box[0], box[1]), (box[2], box[1])),
            ((box[2], box[1]), (box[2], box[3])),
            ((box[2], box[3]), (box[0], box[3])),
            ((box[0], box[3]), (box[0], box[1])),
        ):
            _dashed(draw, start, end, dash, skip, ink, stroke)


def frame_inset_mm(look: Look) -> float:
    """How far text keeps from the edge: clear of the frame, if there is one."""
    return 4.0 if look.frame == "none" else 6.0


def _dashed(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    dash: float,
    skip: float,
    fill: RGB,
    stroke: int,
) -> None:
    length = math.dist(start, end)
    ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    travelled = 0.0
    while travelled < length:
        stop = min(travelled + dash, length)
        a = (start[0] + ux * travelled, start[1] + uy * travelled)
        b = (start[0] + ux * stop, start[1] + uy * stop)
        draw.line((a, b), fill=fill, width=stroke)
        travelled = stop + skip


def seal(
    draw: ImageDraw.ImageDraw,
    centre: tuple[float, float],
    radius: float,
    look: Look,
    lines: list[Span],
) -> None:
    """A round medallion: a scalloped rim, two rings and a line or two of text."""
    cx, cy = centre
    palette = look.palette
    rim = []
    bumps = 28
    for step in range(bumps * 2):
        angle = math.pi * step / bumps
        reach = radius if step % 2 == 0 else radius * 0.93
        rim.append((cx + reach * math.cos(angle), cy + reach * math.sin(angle)))
    draw.polygon(rim, fill=palette.accent)
    for ring, width in ((0.84, 2), (0.74, 1)):
        r = radius * ring
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=palette.on_accent, width=width)
    heights = [span.cap_px for span in lines]
    gap = radius * 0.08
    y = cy - (sum(heights) + gap * (len(lines) - 1)) / 2
    for span, height in zip(lines, heights, strict=True):
        x = cx - span.width_of(span.text) / 2
        draw.text((x, y + height), span.text, font=span.font, fill=span.fill, anchor="ls")
        y += height + gap


def ribbon(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], look: Look, dpi: float
) -> None:
    """A banner behind the brand: a band with folded, notched tails dropping behind it."""
    left, top, right, bottom = box
    tail = min((bottom - top) * 0.8, mm_to_px(9, dpi))
    drop = min((bottom - top) * 0.3, mm_to_px(3, dpi))
    fold = shade(look.palette.accent, 0.35)
    for side in (-1, 1):
        edge = left + tail * 0.3 if side < 0 else right - tail * 0.3
        outer = (left if side < 0 else right) + side * tail
        notch = outer - side * tail * 0.4
        middle = (top + bottom) / 2 + drop
        draw.polygon(
            [
                (edge, top + drop),
                (outer, top + drop),
                (notch, middle),
                (outer, bottom + drop),
                (edge, bottom + drop),
            ],
            fill=fold,
        )
    draw.rectangle(box, fill=look.palette.accent)


def band(draw: ImageDraw.ImageDraw, top: float, bottom: float, width: int, look: Look) -> None:
    """A stripe right across the label behind the brand, with thin lines at its edges."""
    draw.rectangle((0, top, width, bottom), fill=look.palette.accent)
    edge = mix(look.palette.accent, look.palette.on_accent, 0.6)
    draw.line((0, top + 3, width, top + 3), fill=edge, width=1)
    draw.line((0, bottom - 3, width, bottom - 3), fill=edge, width=1)


def section_rule(
    draw: ImageDraw.ImageDraw, y: float, left: float, right: float, look: Look
) -> None:
    """A thin rule with a small diamond at its centre."""
    ink = look.palette.ink
    middle = (left + right) / 2
    reach = (right - left) * 0.3
    size = max(3.0, (right - left) / 90)
    draw.line((middle - reach, y, middle - size * 2, y), fill=ink, width=1)
    draw.line((middle + size * 2, y, middle + reach, y), fill=ink, width=1)
    diamond = [(middle, y - size), (middle + size, y), (middle, y + size), (middle - size, y)]
    draw.polygon(diamond, fill=ink)


def line_through(
    draw: ImageDraw.ImageDraw, line: DrawnLine, left: float, right: float, look: Look
) -> None:
    """A hairline running through the middle of a line of text, edge to edge."""
    y = line.baseline - line.x_px * 0.55
    draw.line((left, y, right, y), fill=look.palette.accent, width=1)


def rule_touching(
    draw: ImageDraw.ImageDraw, line: DrawnLine, left: float, right: float, look: Look, dpi: float
) -> None:
    """A rule whose lower edge touches the capitals of the first line below it."""
    thickness = max(2, round(mm_to_px(0.4, dpi)))
    bottom = line.baseline - line.cap_px
    draw.rectangle((left, bottom - thickness, right, bottom), fill=look.palette.ink)


def vignette(
    draw: ImageDraw.ImageDraw, centre: tuple[float, float], size: float, look: Look
) -> None:
    """A small drawing in the accent colour: grapes, wheat, stars, a hop, a sprig, a sun."""
    cx, cy = centre
    fill = look.palette.accent if look.palette.accent != look.palette.paper else look.palette.ink
    r = size / 2
    if look.vignette == "grapes":
        berry = r * 0.2
        for row, count in enumerate((4, 3, 2, 1)):
            for i in range(count):
                x = cx + (i - (count - 1) / 2) * berry * 2
                y = cy - r * 0.4 + row * berry * 1.8
                draw.ellipse((x - berry, y - berry, x + berry, y + berry), fill=fill)
        draw.line((cx, cy - r * 0.55, cx + r * 0.2, cy - r), fill=fill, width=2)
        draw.ellipse((cx + r * 0.1, cy - r, cx + r * 0.6, cy - r * 0.7), fill=fill)
    elif look.vignette == "wheat":
        for side in (-1, 1):
            draw.line((cx, cy + r, cx + side * r * 0.3, cy - r), fill=fill, width=2)
            for k in range(5):
                y = cy - r + k * r * 0.3
                x = cx + side * r * (0.3 - k * 0.06)
                draw.ellipse((x - r * 0.12, y - r * 0.08, x + r * 0.12, y + r * 0.08), fill=fill)
    elif look.vignette == "stars":
        for i in range(5):
            _star(draw, (cx + (i - 2) * r * 0.55, cy), r * (0.25 if i % 2 else 0.18), fill)
    elif look.vignette == "hop":
        # Overlapping bracts, each edged in the paper colour so the cone reads as one.
        edge = look.palette.paper
        for row in range(5):
            y = cy - r * 0.55 + row * r * 0.26
            half = r * (0.34 - abs(row - 1.5) * 0.07)
            for offset in (-half * 0.5, half * 0.5) if row < 4 else (0.0,):
                x = cx + offset
                draw.ellipse(
                    (x - half * 0.6, y - r * 0.2, x + half * 0.6, y + r * 0.2),
                    fill=fill,
                    outline=edge,
                    width=2,
                )
        draw.line((cx, cy - r, cx, cy - r * 0.72), fill=fill, width=2)
        draw.ellipse((cx + r * 0.05, cy - r * 0.95, cx + r * 0.55, cy - r * 0.7), fill=fill)
    elif look.vignette == "sprig":
        draw.arc((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), 200, 340, fill=fill, width=2)
        for k in range(-2, 3):
            x = cx + k * r * 0.35
            y = cy - r * 0.5 + abs(k) * r * 0.08
            draw.ellipse((x - r * 0.1, y - r * 0.22, x + r * 0.1, y + r * 0.05), fill=fill)
    elif look.vignette == "sun":
        core = r * 0.35
        draw.ellipse((cx - core, cy - core, cx + core, cy + core), fill=fill)
        for k in range(12):
            angle = k * math.pi / 6
            inner, outer = r * 0.5, r * (0.9 if k % 2 else 0.75)
            draw.line(
                (
                    cx + inner * math.cos(angle),
                    cy + inner * math.sin(angle),
                    cx + outer * math.cos(angle),
                    cy + outer * math.sin(angle),
                ),
                fill=fill,
                width=2,
            )


def _star(draw: ImageDraw.ImageDraw, centre: tuple[float, float], r: float, fill: RGB) -> None:
    points = []
    for k in range(10):
        reach = r if k % 2 == 0 else r * 0.45
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((centre[0] + reach * math.cos(angle), centre[1] + reach * math.sin(angle)))
    draw.polygon(points, fill=fill)


def barcode(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    rng: random.Random,
    digits: Span,
) -> None:
    """A UPC-like block of bars on a white patch, with its digits underneath."""
    left, top, right, bottom = box
    draw.rectangle(box, fill=(255, 255, 255))
    pad = (right - left) * 0.06
    text_height = digits.cap_px * 1.5
    x = left + pad
    module = (right - left - 2 * pad) / 95
    for _ in range(60):
        bar = module * rng.choice((1, 1, 2, 3))
        if x + bar > right - pad:
            break
        draw.rectangle((x, top + pad, x + bar - 1, bottom - text_height), fill=(0, 0, 0))
        x += bar + module * rng.choice((1, 1, 2))
    number = digits.text
    x = (left + right - digits.width_of(number)) / 2
    draw.text((x, bottom - pad * 0.3), number, font=digits.font, fill=digits.fill, anchor="ls")
