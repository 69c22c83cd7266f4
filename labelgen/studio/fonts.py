"""The type faces the studio sets labels in, and sizing by physical letter height.

Faces come from Debian font packages (scripts/install.sh --dev installs them).
A missing file is an error naming its package: a silent fallback would render
a different label from the same seed on another machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

_DEJAVU = "/usr/share/fonts/truetype/dejavu"
_LIBERATION = "/usr/share/fonts/truetype/liberation"
_URW = "/usr/share/fonts/opentype/urw-base35"
_GYRE = "/usr/share/texmf/fonts/opentype/public/tex-gyre"


class MissingFontError(RuntimeError):
    """A face the studio needs is not installed."""


@dataclass(frozen=True)
class Family:
    name: str
    kind: str  # "sans" | "serif" | "condensed" | "script"
    regular: str
    bold: str | None  # script faces come in one weight
    package: str

    def path(self, bold: bool) -> str:
        if bold and self.bold is None:
            raise ValueError(f"{self.name} has no bold weight")
        return self.bold if bold and self.bold else self.regular


FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        Family(
            "DejaVu Sans",
            "sans",
            f"{_DEJAVU}/DejaVuSans.ttf",
            f"{_DEJAVU}/DejaVuSans-Bold.ttf",
            "fonts-dejavu-core",
        ),
        Family(
            "DejaVu Serif",
            "serif",
            f"{_DEJAVU}/DejaVuSerif.ttf",
            f"{_DEJAVU}/DejaVuSerif-Bold.ttf",
            "fonts-dejavu-core",
        ),
        Family(
            "DejaVu Sans Condensed",
            "condensed",
            f"{_DEJAVU}/DejaVuSansCondensed.ttf",
            f"{_DEJAVU}/DejaVuSansCondensed-Bold.ttf",
            "fonts-dejavu-extra",
        ),
        Family(
            "Liberation Serif",
            "serif",
            f"{_LIBERATION}/LiberationSerif-Regular.ttf",
            f"{_LIBERATION}/LiberationSerif-Bold.ttf",
            "fonts-liberation",
        ),
        Family(
            "Liberation Sans Narrow",
            "condensed",
            f"{_LIBERATION}/LiberationSansNarrow-Regular.ttf",
            f"{_LIBERATION}/LiberationSansNarrow-Bold.ttf",
            "fonts-liberation",
        ),
        Family(
            "Nimbus Sans",
            "sans",
            f"{_URW}/NimbusSans-Regular.otf",
            f"{_URW}/NimbusSans-Bold.otf",
            "fonts-urw-base35",
        ),
        Family(
            "Nimbus Sans Narrow",
            "condensed",
            f"{_URW}/NimbusSansNarrow-Regular.otf",
            f"{_URW}/NimbusSansNarrow-Bold.otf",
            "fonts-urw-base35",
        ),
        Family(
            "C059",
            "serif",
            f"{_URW}/C059-Roman.otf",
            f"{_URW}/C059-Bold.otf",
            "fonts-urw-base35",
        ),
        Family(
            "P052",
            "serif",
            f"{_URW}/P052-Roman.otf",
            f"{_URW}/P052-Bold.otf",
            "fonts-urw-base35",
        ),
        Family(
            "URW Bookman",
            "serif",
            f"{_URW}/URWBookman-Light.otf",
            f"{_URW}/URWBookman-Demi.otf",
            "fonts-urw-base35",
        ),
        Family(
            "URW Gothic",
            "sans",
            f"{_URW}/URWGothic-Book.otf",
            f"{_URW}/URWGothic-Demi.otf",
            "fonts-urw-base35",
        ),
        Family("Z003", "script", f"{_URW}/Z003-MediumItalic.otf", None, "fonts-urw-base35"),
        Family(
            "TeX Gyre Termes",
            "serif",
            f"{_GYRE}/texgyretermes-regular.otf",
            f"{_GYRE}/texgyretermes-bold.otf",
            "fonts-texgyre",
        ),
        Family(
            "TeX Gyre Pagella",
            "serif",
            f"{_GYRE}/texgyrepagella-regular.otf",
            f"{_GYRE}/texgyrepagella-bold.otf",
            "fonts-texgyre",
        ),
        Family(
            "TeX Gyre Heros",
            "sans",
            f"{_GYRE}/texgyreheros-regular.otf",
            f"{_GYRE}/texgyreheros-bold.otf",
            "fonts-texgyre",
        ),
        Family(
            "TeX Gyre Heros Cn",
            "condensed",
            f"{_GYRE}/texgyreheroscn-regular.otf",
            f"{_GYRE}/texgyreheroscn-bold.otf",
            "fonts-texgyre",
        ),
        Family(
            "TeX Gyre Chorus",
            "script",
            f"{_GYRE}/texgyrechorus-mediumitalic.otf",
            None,
            "fonts-texgyre",
        ),
    )
}


def families_of(kind: str) -> list[str]:
    return sorted(name for name, family in FAMILIES.items() if family.kind == kind)


def require_fonts() -> None:
    """Raise `MissingFontError` naming every missing face and its package."""
    missing = sorted(
        {
            f"{path} (Debian package {family.package})"
            for family in FAMILIES.values()
            for path in (family.regular, family.bold)
            if path and not Path(path).is_file()
        }
    )
    if missing:
        raise MissingFontError(
            "the label studio needs fonts that are not installed; run scripts/install.sh --dev. "
            "Missing: " + ", ".join(missing)
        )


@cache
def font(family: str, bold: bool, size_px: int) -> ImageFont.FreeTypeFont:
    path = FAMILIES[family].path(bold)
    if not Path(path).is_file():
        package = FAMILIES[family].package
        raise MissingFontError(
            f"font file {path} is missing: install Debian package {package} "
            "(scripts/install.sh --dev)"
        )
    return ImageFont.truetype(path, size_px)


@cache
def x_height_ratio(family: str, bold: bool) -> float:
    """Height of a lowercase "x" as a fraction of the font size, measured on the face."""
    top, bottom = font(family, bold, 1000).getbbox("x", anchor="ls")[1::2]
    return (bottom - top) / 1000


@cache
def cap_height_ratio(family: str, bold: bool) -> float:
    top, bottom = font(family, bold, 1000).getbbox("H", anchor="ls")[1::2]
    return (bottom - top) / 1000


def mm_to_px(mm: float, dpi: float) -> float:
    return mm / 25.4 * dpi


def font_for_x_height(
    family: str, bold: bool, x_height_mm: float, dpi: float
) -> ImageFont.FreeTypeFont:
    """The face at the size whose lowercase letters are `x_height_mm` tall at `dpi`.

    Rounded up, so a stated minimum is never undershot by rounding.
    """
    size = mm_to_px(x_height_mm, dpi) / x_height_ratio(family, bold)
    return font(family, bold, max(8, int(size) + 1))
