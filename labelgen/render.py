"""Draw a `LabelSpec` as one or more panel images at a known physical scale."""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from labelgen.degrade import degrade_panel
from labelgen.spec import LabelSpec
from verifier.engine.models import Application, BeverageType, Verdict

FONT_DIR = "/usr/share/fonts/truetype"
FONT_FILES = {
    ("dejavu", False): f"{FONT_DIR}/dejavu/DejaVuSans.ttf",
    ("dejavu", True): f"{FONT_DIR}/dejavu/DejaVuSans-Bold.ttf",
    ("liberation", False): f"{FONT_DIR}/liberation/LiberationSans-Regular.ttf",
    ("liberation", True): f"{FONT_DIR}/liberation/LiberationSans-Bold.ttf",
    ("serif", False): f"{FONT_DIR}/dejavu/DejaVuSerif.ttf",
    ("serif", True): f"{FONT_DIR}/dejavu/DejaVuSerif-Bold.ttf",
}
INK = (20, 20, 20)
PAPER = (250, 247, 238)


@dataclass(frozen=True)
class RenderedLabel:
    spec: LabelSpec
    panels: list[bytes]  # encoded images, front first
    image_format: str  # "png" | "jpeg"
    application: Application  # what the applicant filed for this label
    expected_verdict: Verdict
    expected_failures: frozenset[str]  # check ids that must fail


@dataclass(frozen=True)
class _Run:
    """A piece of text in one font; the warning is a header run and a body run."""

    text: str
    family: str
    bold: bool
    x_height_mm: float


def mm_to_px(mm: float, dpi: float) -> float:
    return mm / 25.4 * dpi


@cache
def _font(family: str, bold: bool, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_FILES[(family, bold)], size_px)


@cache
def _x_height_ratio(family: str, bold: bool) -> float:
    """x-height as a fraction of the font size, measured on the font itself."""
    top, bottom = _font(family, bold, 1000).getbbox("x")[1::2]
    return (bottom - top) / 1000


def _font_for(run: _Run, dpi: float) -> ImageFont.FreeTypeFont:
    size = mm_to_px(run.x_height_mm, dpi) / _x_height_ratio(run.family, run.bold)
    return _font(run.family, run.bold, max(6, round(size)))


def _paragraph(runs: list[_Run], width: int, dpi: float, centred: bool) -> Image.Image:
    """Word-wrap `runs` into `width` pixels; fonts change mid-line as needed."""
    space_after = 0.28
    words = [(word, _font_for(run, dpi)) for run in runs for word in run.text.split()]
    lines: list[list[tuple[str, ImageFont.FreeTypeFont]]] = [[]]
    line_width = 0.0
    for word, font in words:
        advance = font.getlength(word) + font.size * space_after
        if lines[-1] and line_width + font.getlength(word) > width:
            lines.append([])
            line_width = 0.0
        lines[-1].append((word, font))
        line_width += advance
    line_height = max(font.size for _, font in words) * 1.25
    image = Image.new("RGB", (width, max(1, round(line_height * len(lines)))), PAPER)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        total = sum(font.getlength(w) + font.size * space_after for w, font in line)
        x = (width - total) / 2 if centred else 0.0
        for word, font in line:
            draw.text((x, index * line_height), word, font=font, fill=INK)
            x += font.getlength(word) + font.size * space_after
    return image


def _stack(blocks: list[Image.Image], width: int, gap: int, margin: int) -> Image.Image:
    height = sum(block.height for block in blocks) + gap * (len(blocks) - 1) + 2 * margin
    panel = Image.new("RGB", (width + 2 * margin, height), PAPER)
    y = margin
    for block in blocks:
        panel.paste(block, (margin, y))
        y += block.height + gap
    return panel


def _front_blocks(spec: LabelSpec, width: int) -> list[Image.Image]:
    dpi, family = spec.dpi, spec.font_family
    brand_family = "serif" if spec.seed % 3 == 0 else family
    return [
        _paragraph([_Run(spec.brand, brand_family, True, 5.0)], width, dpi, centred=True),
        _paragraph([_Run(spec.class_type, family, False, 3.0)], width, dpi, centred=True),
        _paragraph([_Run(spec.alcohol_text, family, True, 2.6)], width, dpi, centred=True),
        _paragraph([_Run(spec.net_contents, family, False, 2.6)], width, dpi, centred=True),
    ]


def _back_blocks(spec: LabelSpec, width: int, with_warning: bool = True) -> list[Image.Image]:
    dpi, family = spec.dpi, spec.font_family
    blocks = []
    if spec.country:
        blocks.append(
            _paragraph(
                [_Run(f"Product of {spec.country}", family, False, 2.4)], width, dpi, centred=True
            )
        )
    blocks.append(_paragraph([_Run(spec.bottler, family, False, 2.2)], width, dpi, centred=True))
    if with_warning and (spec.warning_header or spec.warning_body):
        blocks.append(_warning_block(spec, width))
    return blocks


def _warning_block(spec: LabelSpec, width: int) -> Image.Image:
    size = spec.warning_x_height_mm
    runs = [
        _Run(spec.warning_header, spec.font_family, spec.header_bold, size),
        _Run(spec.warning_body, spec.font_family, spec.body_bold, size),
    ]
    return _paragraph([run for run in runs if run.text], width, spec.dpi, centred=False)


def _panels(spec: LabelSpec) -> list[Image.Image]:
    dpi = spec.dpi
    margin = round(mm_to_px(4, dpi))
    gap = round(mm_to_px(3, dpi))
    width = round(spec.width_in * dpi) - 2 * margin
    if "multi_panel" in spec.degradations:
        front = _stack(_front_blocks(spec, width), width, gap, margin)
        back = _stack(_back_blocks(spec, width), width, gap, margin)
        return [front, back]
    if "side_strip" in spec.degradations and (spec.warning_header or spec.warning_body):
        main = _stack(
            _front_blocks(spec, width) + _back_blocks(spec, width, with_warning=False),
            width,
            gap,
            margin,
        )
        # The strip runs the warning bottom-to-top along the label's right edge.
        strip_text = _warning_block(spec, main.height - 2 * margin)
        strip = strip_text.rotate(90, expand=True)
        panel = Image.new("RGB", (main.width + strip.width + margin, main.height), PAPER)
        panel.paste(main, (0, 0))
        panel.paste(strip, (main.width, margin))
        return [panel]
    blocks = _front_blocks(spec, width) + _back_blocks(spec, width)
    return [_stack(blocks, width, gap, margin)]


def application_for(spec: LabelSpec) -> Application:
    """What a truthful applicant would file for this label, then the overrides."""
    if spec.beverage_type is BeverageType.DISTILLED_SPIRITS:
        alcohol = f"{spec.abv:g}% ABV"
    else:
        alcohol = f"{spec.abv:g}%"
    values: dict = {
        "brand_name": spec.brand,
        "class_type": spec.class_type,
        "alcohol_content": alcohol,
        "net_contents": spec.net_contents,
        # Agents type the name and address, not the "Bottled by" phrase.
        "bottler": re.sub(r"^.*?\bby\s+", "", spec.bottler),
        "country_of_origin": spec.country,
        "beverage_type": spec.beverage_type,
        "is_import": spec.country is not None,
    }
    values.update(spec.application_overrides)
    return Application(**values)


def render_label(spec: LabelSpec) -> RenderedLabel:
    """Render every panel, degrade as asked, encode with the DPI in metadata."""
    rng = random.Random(spec.seed * 7919 + 17)
    image_format = "jpeg" if "jpeg" in spec.degradations else "png"
    encoded = []
    for panel in _panels(spec):
        degraded, dpi = degrade_panel(panel, spec.degradations, spec.dpi, rng)
        buffer = io.BytesIO()
        if image_format == "jpeg":
            degraded.save(buffer, "JPEG", quality=rng.randint(30, 45), dpi=(dpi, dpi))
        else:
            degraded.save(buffer, "PNG", dpi=(dpi, dpi))
        encoded.append(buffer.getvalue())
    failures = frozenset(spec.failures)
    return RenderedLabel(
        spec=spec,
        panels=encoded,
        image_format=image_format,
        application=application_for(spec),
        expected_verdict=Verdict.NON_COMPLIANT if failures else Verdict.COMPLIANT,
        expected_failures=failures,
    )
