"""How a studio label looks: colours, faces, ornaments, layout and the photo.

Every choice is drawn per seed from its own random stream, so a failure that
only changes the wording leaves the look of the label alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from labelgen.studio.content import LabelContent
from labelgen.studio.fonts import families_of
from verifier.engine.models import BeverageType

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    name: str
    paper: RGB
    ink: RGB
    accent: RGB
    on_accent: RGB  # text set on the accent colour (a ribbon, a box)


PALETTES = (
    Palette("cream", (244, 236, 214), (52, 36, 24), (128, 28, 36), (246, 236, 214)),
    Palette("ivory", (250, 247, 240), (22, 22, 22), (170, 32, 32), (255, 255, 255)),
    Palette("sage", (200, 214, 186), (26, 50, 32), (66, 96, 58), (240, 240, 226)),
    Palette("forest", (26, 64, 44), (238, 228, 198), (196, 160, 80), (24, 38, 28)),
    Palette("burgundy", (110, 22, 36), (246, 232, 210), (214, 180, 110), (70, 14, 22)),
    Palette("brick", (170, 50, 40), (255, 244, 228), (44, 26, 22), (250, 232, 204)),
    Palette("navy", (22, 34, 66), (240, 234, 220), (200, 168, 92), (22, 34, 66)),
    Palette("kraft", (190, 154, 112), (38, 24, 14), (100, 44, 28), (242, 228, 204)),
    Palette("black and gold", (16, 16, 18), (222, 188, 104), (150, 120, 60), (16, 16, 18)),
    Palette("sky", (208, 226, 238), (16, 34, 68), (30, 80, 130), (240, 246, 250)),
    Palette("mustard", (228, 186, 76), (34, 26, 18), (116, 38, 28), (250, 240, 220)),
)

BASES = ("flat", "linear", "radial")
TEXTURES = ("none", "paper", "linen")
DOTS = ("none", "none", "grid", "halftone")
FRAMES = ("none", "single", "double", "rounded", "corners", "dashed")
VIGNETTES: dict[BeverageType, tuple[str, ...]] = {
    BeverageType.WINE: ("grapes", "sprig", "stars", "sun"),
    BeverageType.DISTILLED_SPIRITS: ("wheat", "stars", "sun", "sprig"),
    BeverageType.MALT_BEVERAGE: ("hop", "wheat", "stars", "sun"),
}
LAYOUTS = ("single", "single", "two_panel", "side_strip")
# Faces with real weight contrast for the warning header; one of these, bold.
HEADER_FAMILIES = (
    "TeX Gyre Heros Cn",
    "Nimbus Sans Narrow",
    "Liberation Sans Narrow",
    "DejaVu Sans Condensed",
    "Nimbus Sans",
    "TeX Gyre Heros",
)


@dataclass(frozen=True)
class Look:
    palette: Palette
    base: str
    texture: str
    dots: str
    frame: str
    seal: str  # "none" | "left" | "centre" | "right"
    ribbon: str  # "none" | "ribbon" | "band"
    section_rules: bool
    crossed_line: str  # the text a hairline runs through: "none" | "class" | "bottler" | "warning"
    rule_on_warning: bool  # a rule touching the top of the warning
    vignette: str  # "none" or a small drawing
    brand_family: str
    text_family: str
    text_caps: bool
    tracking_em: float  # letter spacing of the designation lines
    header_family: str
    body_family: str
    warning_align: str  # "centre" | "justify" | "left"
    header_inline: bool
    warning_box: bool
    layout: str
    strip_turn: int  # 90: the side strip reads bottom to top; 270: top to bottom
    leading: float  # line spacing as a multiple of the font size
    brand_x_mm: float  # lowercase letter heights by role; mandatory text stays >= 2 mm
    class_x_mm: float
    statement_x_mm: float
    address_x_mm: float
    brand_colour: str  # "ink" | "accent"
    alcohol_net_joined: bool  # alcohol and net contents on one line
    net_at_bottom: bool
    address_split: bool  # bottler's town on a line of its own
    warning_width: float  # fraction of the text width the warning is set in
    gap_mm: float  # space between blocks before the panel's slack is shared out
    width_in: float
    long_side_px: int  # the size the canvas aims for before the photo
    min_dpi: float
    image_format: str  # "png" | "tiff" | "jpeg"
    store_dpi: bool
    jpeg_quality: int
    rotation_deg: float
    perspective: float  # corner displacement as a fraction of the size
    blur_radius: float
    sensor_noise: float
    surround: RGB  # what shows around a turned photo
    barcode: bool


def _pick(rng: random.Random, options: tuple[str, ...] | list[str]) -> str:
    return rng.choice(list(options))


def draw_look(rng: random.Random, content: LabelContent, small_warning: bool) -> Look:
    """A look for `content`. `small_warning`: a type-size defect, shown on a TIFF at true scale."""
    palette = rng.choice(PALETTES)
    brand_kinds = ["serif", "sans", "condensed"]
    if content.brand_printed != content.brand_printed.upper():
        brand_kinds += ["script", "script"]  # a script face in capitals is unreadable
    text_kind = _pick(rng, ("serif", "sans", "condensed"))
    body_family = _pick(rng, families_of(_pick(rng, ("sans", "serif", "condensed"))))
    image_format = _pick(rng, ("png", "tiff", "jpeg"))
    layout = _pick(rng, LAYOUTS)
    width_in = round(rng.uniform(2.8, 4.2), 2)
    if small_warning:
        # True scale on a TIFF, fine enough (>= 380 dpi) that 1 mm letters stay readable:
        # the compact two-panel layout keeps that within 1600 px.
        image_format, layout, width_in = "tiff", "two_panel", min(width_in, 3.4)
    store_dpi = image_format == "tiff" or (image_format == "png" and rng.random() < 0.5)
    rotation = rng.choice((-1, 1)) * rng.uniform(1.0, 3.0) if rng.random() < 0.45 else 0.0
    return Look(
        palette=palette,
        base=_pick(rng, BASES),
        texture=_pick(rng, TEXTURES),
        dots=_pick(rng, DOTS),
        frame=_pick(rng, FRAMES),
        seal=_pick(rng, ("none", "none", "left", "centre", "right")),
        ribbon=_pick(rng, ("none", "none", "ribbon", "band")),
        section_rules=rng.random() < 0.6,
        crossed_line=_pick(rng, ("none", "none", "class", "bottler", "warning")),
        rule_on_warning=rng.random() < 0.3,
        vignette=_pick(rng, ("none", *VIGNETTES[content.beverage_type])),
        brand_family=_pick(rng, families_of(_pick(rng, brand_kinds))),
        text_family=_pick(rng, families_of(text_kind)),
        text_caps=rng.random() < 0.5,
        tracking_em=rng.choice((0.0, 0.0, 0.06, 0.12)),
        header_family=_pick(rng, HEADER_FAMILIES),
        body_family=body_family,
        warning_align=_pick(rng, ("centre", "centre", "justify", "justify", "left")),
        header_inline=rng.random() < 0.8,
        warning_box=rng.random() < 0.3,
        layout=layout,
        strip_turn=rng.choice((90, 270)),
        leading=rng.choice((1.0, 1.08, 1.15, 1.25)),
        brand_x_mm=round(rng.uniform(4.5, 8.5), 2),
        class_x_mm=round(rng.uniform(2.4, 3.6), 2),
        statement_x_mm=round(rng.uniform(2.15, 2.8), 2),
        address_x_mm=round(rng.uniform(2.1, 2.4), 2),
        brand_colour=_pick(rng, ("ink", "ink", "accent")),
        alcohol_net_joined=rng.random() < 0.4,
        net_at_bottom=rng.random() < 0.3,
        address_split=rng.random() < 0.5,
        warning_width=rng.choice((1.0, 1.0, 0.92, 0.85)),
        gap_mm=round(rng.uniform(1.5, 3.5), 2),
        width_in=width_in,
        long_side_px=rng.randint(880, 1480),
        min_dpi=380.0 if small_warning else 200.0,
        image_format=image_format,
        store_dpi=store_dpi,
        jpeg_quality=rng.randint(70, 92),
        rotation_deg=round(rotation, 2),
        perspective=rng.uniform(0.006, 0.018) if rng.random() < 0.3 else 0.0,
        blur_radius=rng.uniform(0.3, 0.8) if rng.random() < 0.4 else 0.0,
        sensor_noise=rng.uniform(2.0, 5.0) if rng.random() < 0.3 else 0.0,
        surround=rng.choice(((236, 236, 232), (120, 112, 100), (40, 40, 44), (255, 255, 255))),
        barcode=rng.random() < 0.35,
    )
