"""Panels: which blocks go where, the print's scale, and painting on the stock.

Three arrangements: everything on one label; a front label and a back label
(two images); or one label with the warning on a narrow side panel turned
90 degrees. The scale (DPI) is chosen so the longest panel lands near the
look's pixel size while every letter keeps its size in millimetres.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw

from labelgen.studio import blocks, ornaments
from labelgen.studio.backgrounds import paint_stock
from labelgen.studio.blocks import Block, Canvas, Setter
from labelgen.studio.content import LabelContent
from labelgen.studio.fonts import mm_to_px
from labelgen.studio.look import Look

REFERENCE_DPI = 300.0
LONG_SIDE_LIMIT_PX = 1520  # leaves room for a turned photo within 1600 px
SHORT_PANEL_MIN_PX = 820
MAX_TALLNESS = 1.5  # height over width of a panel


@dataclass
class PanelPlan:
    width: int
    blocks: list[Block]
    inset: float  # text keeps this far from the edges
    gap: float
    min_height: int = 0
    strip: Block | None = None  # the warning, set along a side panel

    @property
    def needed_height(self) -> int:
        content = sum(block.height for block in self.blocks)
        return round(content + self.gap * (len(self.blocks) - 1) + 2 * self.inset)

    @property
    def height(self) -> int:
        return max(self.needed_height, self.min_height)


def _strip_thickness(strip: Block, dpi: float) -> int:
    return round(strip.height + 2 * mm_to_px(3.0, dpi))


def plan_panels(content: LabelContent, look: Look, dpi: float, seed: int) -> list[PanelPlan]:
    """Blocks for each panel at `dpi`; sizes settle here, nothing is painted yet."""
    rng = random.Random(f"studio-blocks:{seed}")
    setter = Setter(look, dpi)
    width = round(look.width_in * dpi)
    inset = mm_to_px(ornaments.frame_inset_mm(look), dpi)
    text_width = width - 2 * inset
    gap = mm_to_px(look.gap_mm, dpi)
    net_on_front = not look.net_at_bottom

    front: list[Block] = []
    if look.seal != "none":
        front.append(blocks.seal_block(look, setter, text_width, rng))
    front.append(blocks.brand_block(content, look, setter, text_width))
    if look.section_rules:
        front.append(blocks.rule_block(look, setter))
    front.append(blocks.designation_block(content, look, setter, text_width))
    if look.vignette != "none":
        front.append(blocks.vignette_block(look, setter))
    front.append(blocks.alcohol_net_block(content, look, setter, text_width, net_on_front))

    back: list[Block] = []
    if content.extras:
        back.append(blocks.extras_block(content, look, setter, text_width))
    if look.section_rules and look.layout != "two_panel":
        back.append(blocks.rule_block(look, setter))
    back.append(blocks.address_block(content, look, setter, text_width))
    warning = None
    if content.has_warning:
        warning = blocks.warning_block(content, look, setter, text_width)
    if warning and look.layout != "side_strip":
        back.append(warning)
    if not net_on_front:
        back.append(blocks.net_block(content, look, setter, text_width))
    if look.barcode:
        back.append(blocks.barcode_block(look, setter, rng))

    if look.layout == "two_panel":
        front_plan = PanelPlan(width, front, inset, gap)
        back_plan = PanelPlan(width, back, inset, gap)
        shared = max(front_plan.needed_height, back_plan.needed_height, round(width * 0.75))
        front_plan.min_height = back_plan.min_height = shared
        return [front_plan, back_plan]
    main = PanelPlan(width, front + back, inset, gap)
    if look.layout == "side_strip" and content.has_warning:
        # The strip runs the length of the label: set the warning along that length.
        length = main.height - 2 * mm_to_px(3.0, dpi)
        main.strip = blocks.warning_block(content, look, setter, length, align="justify")
    return [main]


def panel_size(plan: PanelPlan, dpi: float) -> tuple[int, int]:
    width = plan.width + (_strip_thickness(plan.strip, dpi) if plan.strip else 0)
    return width, plan.height


def _reference_sizes(content: LabelContent, look: Look, seed: int) -> list[tuple[int, int]]:
    plans = plan_panels(content, look, REFERENCE_DPI, seed)
    return [panel_size(plan, REFERENCE_DPI) for plan in plans]


def widen_to_proportion(content: LabelContent, look: Look, seed: int) -> Look:
    """A wider label when the text would make a tall strip of one: labels are not ribbons."""
    for _ in range(12):
        sizes = _reference_sizes(content, look, seed)
        if all(height <= MAX_TALLNESS * width for width, height in sizes):
            break
        look = replace(look, width_in=round(look.width_in * 1.1, 2))
    return look


def choose_dpi(content: LabelContent, look: Look, seed: int) -> float:
    """The scale at which the longest panel is about `look.long_side_px` pixels."""
    sizes = _reference_sizes(content, look, seed)
    longest_in = max(max(size) for size in sizes) / REFERENCE_DPI
    dpi = max(look.long_side_px / longest_in, look.min_dpi)
    return round(min(dpi, LONG_SIDE_LIMIT_PX / longest_in), 1)


def paint_panels(plans: list[PanelPlan], look: Look, dpi: float, seed: int) -> list[Image.Image]:
    images = []
    for index, plan in enumerate(plans):
        rng = random.Random(f"studio-paint:{seed}:{index}")
        if max(panel_size(plan, dpi)) < SHORT_PANEL_MIN_PX:
            plan.min_height = SHORT_PANEL_MIN_PX
        image = _paint(plan, look, dpi, rng)
        if plan.strip:
            image = _attach_strip(image, plan.strip, look, dpi, rng)
        images.append(image)
    return images


def _paint(plan: PanelPlan, look: Look, dpi: float, rng: random.Random) -> Image.Image:
    size = (plan.width, plan.height)
    image = paint_stock(size, look, rng, dpi)
    canvas = Canvas(image, ImageDraw.Draw(image), look, dpi)
    ornaments.frame(canvas.draw, size, look, dpi)
    slack = plan.height - plan.needed_height
    share = slack / (len(plan.blocks) + 1)
    text_width = plan.width - 2 * plan.inset
    y = plan.inset + share
    for block in plan.blocks:
        block.paint(canvas, plan.inset, y, text_width)
        y += block.height + plan.gap + share
    _rules_over_text(canvas, plan.inset, plan.width - plan.inset)
    return image


def _rules_over_text(canvas: Canvas, left: float, right: float) -> None:
    """Lines that meet the type: a hairline through a line, a rule on the warning's top."""
    look = canvas.look
    crossed = canvas.landed.get(look.crossed_line)
    if crossed:
        # Through a heading's first line; through the middle of the warning's body.
        line = crossed[len(crossed) // 2] if look.crossed_line == "warning" else crossed[0]
        ornaments.line_through(canvas.draw, line, left, right, look)
    warning = canvas.landed.get("warning")
    if look.rule_on_warning and warning:
        first = warning[0]
        ornaments.rule_touching(canvas.draw, first, first.left, first.right, look, canvas.dpi)


def _attach_strip(
    main: Image.Image, strip: Block, look: Look, dpi: float, rng: random.Random
) -> Image.Image:
    """A side panel beside the label, its warning running along the label's height."""
    pad = mm_to_px(3.0, dpi)
    thickness = _strip_thickness(strip, dpi)
    length = main.height
    flat = paint_stock((length, thickness), look, rng, dpi)
    canvas = Canvas(flat, ImageDraw.Draw(flat), look, dpi)
    strip.paint(canvas, pad, pad, length - 2 * pad)
    _rules_over_text(canvas, pad, length - pad)
    turned = flat.rotate(look.strip_turn, expand=True)
    joined = Image.new("RGB", (main.width + turned.width, length), look.palette.paper)
    strip_on_left = look.strip_turn == 270
    joined.paste(main, (turned.width if strip_on_left else 0, 0))
    joined.paste(turned, (0 if strip_on_left else main.width, 0))
    fold = turned.width if strip_on_left else main.width
    _fold_line(ImageDraw.Draw(joined), fold, length, look, dpi)
    return joined


def _fold_line(draw: ImageDraw.ImageDraw, x: int, length: int, look: Look, dpi: float) -> None:
    dash = mm_to_px(1.5, dpi)
    y = 0.0
    while y < length:
        draw.line((x, y, x, min(y + dash, length)), fill=look.palette.ink, width=1)
        y += dash * 2
