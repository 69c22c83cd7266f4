"""The pieces a panel is stacked from: each a measured height and a painter.

A block is set at a given DPI and width, so it knows its height before the
panel exists; painting happens once the panel's size is settled.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from labelgen.studio import ornaments
from labelgen.studio.content import SPIRITS, WINE, LabelContent
from labelgen.studio.fonts import FAMILIES, font_for_x_height, mm_to_px
from labelgen.studio.look import RGB, Look
from labelgen.studio.typeset import DrawnLine, SetLine, Span, TextBlock, balanced_wrap, wrap


@dataclass
class Canvas:
    image: Image.Image
    draw: ImageDraw.ImageDraw
    look: Look
    dpi: float
    landed: dict[str, list[DrawnLine]] = field(default_factory=dict)


Painter = Callable[[Canvas, float, float, float], None]  # canvas, left, top, width


@dataclass
class Block:
    role: str
    height: int
    paint: Painter


class Setter:
    """Makes spans and text blocks for one label at one DPI."""

    def __init__(self, look: Look, dpi: float) -> None:
        self.look = look
        self.dpi = dpi

    def span(
        self,
        text: str,
        family: str,
        bold: bool,
        x_height_mm: float,
        fill: RGB | None = None,
        tracking_em: float = 0.0,
    ) -> Span:
        face = font_for_x_height(family, bold, x_height_mm, self.dpi)
        colour = fill if fill is not None else self.look.palette.ink
        return Span(text, face, colour, tracking_em * face.size)

    def text(self, text: str, x_height_mm: float, bold: bool = False, caps: bool = False) -> Span:
        """A span in the label's text face; capitals get the look's letter spacing."""
        tracking = self.look.tracking_em if caps else 0.0
        return self.span(
            text.upper() if caps else text,
            self.look.text_family,
            bold,
            x_height_mm,
            tracking_em=tracking,
        )


def text_block(
    role: str,
    statements: list[list[Span]],
    width: float,
    align: str = "centre",
    leading: float = 1.15,
) -> Block:
    """Each statement starts a new line and wraps within `width`."""
    lines: list[SetLine] = []
    for spans in statements:
        lines.extend(balanced_wrap(spans, width) if align == "centre" else wrap(spans, width))
    block = TextBlock(lines, align, leading)

    def paint(canvas: Canvas, left: float, top: float, block_width: float) -> None:
        canvas.landed[role] = block.draw(canvas.draw, left, top, block_width)

    return Block(role, block.height, paint)


def brand_block(content: LabelContent, look: Look, setter: Setter, width: float) -> Block:
    """The brand, largest on the label, on a ribbon or band when the look has one."""
    palette = look.palette
    family = look.brand_family
    bold = FAMILIES[family].bold is not None
    fill = palette.accent if look.brand_colour == "accent" else palette.ink
    if look.ribbon != "none":
        fill = palette.on_accent
    # A ribbon holds one line between its tails; elsewhere a long name may take two.
    room = width * (0.7 if look.ribbon == "ribbon" else 0.94)
    most_lines = 1 if look.ribbon == "ribbon" else 2
    x_mm = look.brand_x_mm
    while True:
        span = setter.span(content.brand_printed, family, bold, x_mm, fill)
        lines = balanced_wrap([span], room)
        fits = len(lines) <= most_lines and max(line.width for line in lines) <= room
        if fits or x_mm < 3.5:
            break
        x_mm *= 0.92
    text = TextBlock(lines, "centre", 1.0)
    pad = mm_to_px(2.2, setter.dpi) if look.ribbon != "none" else 0.0
    drop = mm_to_px(3, setter.dpi) if look.ribbon == "ribbon" else 0.0

    def paint(canvas: Canvas, left: float, top: float, block_width: float) -> None:
        if look.ribbon == "ribbon":
            middle = left + block_width / 2
            half = text.width / 2 + pad * 2
            box = (middle - half, top, middle + half, top + text.height + 2 * pad)
            ornaments.ribbon(canvas.draw, box, look, canvas.dpi)
        elif look.ribbon == "band":
            bottom = top + text.height + 2 * pad
            ornaments.band(canvas.draw, top, bottom, canvas.image.width, look)
        canvas.landed["brand"] = text.draw(canvas.draw, left, top + pad, block_width)

    return Block("brand", round(text.height + 2 * pad + drop), paint)


def seal_block(look: Look, setter: Setter, width: float, rng: random.Random) -> Block:
    radius = min(width * 0.14, mm_to_px(rng.uniform(7.0, 9.5), setter.dpi))
    words = rng.choice((("EST.", "1887"), ("SINCE", "1921"), ("No.", "7"), ("SMALL", "BATCH")))
    on_accent = look.palette.on_accent
    spans = [setter.span(word, look.text_family, True, 1.7, on_accent) for word in words]

    def paint(canvas: Canvas, left: float, top: float, block_width: float) -> None:
        x = {
            "left": left + radius,
            "centre": left + block_width / 2,
            "right": left + block_width - radius,
        }
        centre = (x[look.seal], top + radius)
        ornaments.seal(canvas.draw, centre, radius, look, spans)

    return Block("seal", round(radius * 2), paint)


def designation_block(content: LabelContent, look: Look, setter: Setter, width: float) -> Block:
    """Class/type with its appellation, age or standard-designation lines."""
    caps = look.text_caps
    class_line = [setter.text(content.class_type, look.class_x_mm, bold=True, caps=caps)]
    others = []
    for designation in content.designations:
        size = look.class_x_mm * 1.15 if len(designation) < 20 else look.address_x_mm
        others.append([setter.text(designation, size, caps=caps and len(designation) < 20)])
    # Wine names its appellation first ("VINHO VERDE" above "White Wine").
    wine = content.beverage_type is WINE
    statements = [*others, class_line] if wine else [class_line, *others]
    return text_block("class", statements, width, leading=look.leading)


def alcohol_net_block(
    content: LabelContent, look: Look, setter: Setter, width: float, with_net: bool
) -> Block:
    size = look.statement_x_mm
    alcohol = setter.text(content.alcohol_text, size, bold=content.beverage_type is SPIRITS)
    if not with_net:
        return text_block("alcohol", [[alcohol]], width, leading=look.leading)
    net = setter.text(content.volume.printed, size)
    joined = alcohol.width_of(content.alcohol_text) + net.width_of(content.volume.printed)
    if look.alcohol_net_joined and joined + 3 * alcohol.space < width:
        separator = setter.text("\u2022", size)
        return text_block("alcohol", [[alcohol, separator, net]], width, leading=look.leading)
    return text_block("alcohol", [[alcohol], [net]], width, leading=look.leading)


def net_block(content: LabelContent, look: Look, setter: Setter, width: float) -> Block:
    net = setter.text(content.volume.printed, look.statement_x_mm, bold=True)
    return text_block("net", [[net]], width)


def address_block(content: LabelContent, look: Look, setter: Setter, width: float) -> Block:
    """Bottler and country as adjacent lines with tight leading, no gap between."""
    size = look.address_x_mm
    if look.address_split:
        statements = [
            [setter.text(f"{content.bottler_phrase} {content.bottler_name}", size)],
            [setter.text(content.bottler_address, size)],
        ]
    else:
        statements = [[setter.text(content.bottler_line, size)]]
    if content.country_text:
        statements.append([setter.text(content.country_text, size, bold=True)])
    return text_block("bottler", statements, width, leading=min(look.leading, 1.05))


def extras_block(content: LabelContent, look: Look, setter: Setter, width: float) -> Block:
    statements = [[setter.text(extra, look.address_x_mm)] for extra in content.extras]
    return text_block("extras", statements, width * 0.9, leading=look.leading)


def warning_block(
    content: LabelContent, look: Look, setter: Setter, width: float, align: str | None = None
) -> Block:
    """The §16.21 statement: bold capitals header (inline or above), regular body."""
    size = content.warning_x_height_mm
    header_family = look.header_family if content.header_bold else look.body_family
    header = setter.span(content.warning_header, header_family, content.header_bold, size)
    body = setter.span(content.warning_body, look.body_family, content.body_bold, size)
    pad = mm_to_px(1.8, setter.dpi) if look.warning_box else 0.0
    room = width * look.warning_width - 2 * pad
    spans = [span for span in (header, body) if span.text]
    if look.header_inline:
        lines = wrap(spans, room)
    else:
        lines = [line for span in spans for line in wrap([span], room)]
    text = TextBlock(lines, align or look.warning_align, max(1.08, min(look.leading, 1.25)))

    def paint(canvas: Canvas, left: float, top: float, block_width: float) -> None:
        inner_left = left + (block_width - room) / 2
        if look.warning_box:
            box = (inner_left - pad, top, inner_left + room + pad, top + text.height + 2 * pad)
            stroke = max(1, round(mm_to_px(0.3, canvas.dpi)))
            canvas.draw.rectangle(box, outline=look.palette.ink, width=stroke)
        canvas.landed["warning"] = text.draw(canvas.draw, inner_left, top + pad, room)

    return Block("warning", round(text.height + 2 * pad), paint)


def rule_block(look: Look, setter: Setter) -> Block:
    def paint(canvas: Canvas, left: float, top: float, block_width: float) -> None:
        y = top + mm_to_px(1.0, canvas.dpi)
        ornaments.section_rule(canvas.draw, y, left, left + block_width, look)

    return Block("rule", round(mm_to_px(2.0, setter.dpi)), paint)


def vignette_block(look: Look, setter: Setter) -> Block:
    size = mm_to_px(10, setter.dpi)

    def paint(canvas: Canvas, left: float, top: float, block_width: float) -> None:
        ornaments.vignette(canvas.draw, (left + block_width / 2, top + size / 2), size, look)

    return Block("vignette", round(size), paint)


def barcode_block(look: Look, setter: Setter, rng: random.Random) -> Block:
    width, height = mm_to_px(28, setter.dpi), mm_to_px(15, setter.dpi)
    digits = " ".join(
        ("0", f"{rng.randrange(10**5):05d}", f"{rng.randrange(10**5):05d}", str(rng.randrange(10)))
    )
    span = setter.span(digits, "DejaVu Sans", False, 1.3, (0, 0, 0))
    side = rng.choice(("left", "right"))

    def paint(canvas: Canvas, left: float, top: float, block_width: float) -> None:
        x = left if side == "left" else left + block_width - width
        ornaments.barcode(canvas.draw, (x, top, x + width, top + height), rng, span)

    return Block("barcode", round(height), paint)
