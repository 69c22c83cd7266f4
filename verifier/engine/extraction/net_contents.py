"""Net contents statements (§5.70, §4.37, §7.70), normalised to millilitres.

"750ML", "75 cl", "1.75 LITERS", "12 FL. OZ.", "1 PINT (16 FL OZ)",
"1 PINT 8 FL OZ". A parenthesised figure restates the first one; a figure
that directly follows a pint/quart/gallon adds to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.engine.extraction.tokens import StreamLine, Token, found_text
from verifier.engine.models import FoundText

FLUID_OUNCE_ML = 29.5735
PINT_ML = 16 * FLUID_OUNCE_ML
QUART_ML = 2 * PINT_ML
GALLON_ML = 4 * QUART_ML

US_UNITS = frozenset({"fl oz", "pint", "quart", "gallon"})

_UNIT_ML = {
    "mL": 1.0,
    "cL": 10.0,
    "L": 1000.0,
    "fl oz": FLUID_OUNCE_ML,
    "pint": PINT_ML,
    "quart": QUART_ML,
    "gallon": GALLON_ML,
}
# Unit spellings, longest first so "fl oz" wins over "oz" and "liters" over "l".
_UNIT_PATTERNS = (
    # "FL: OZ", "FL, OZ", "FL 0Z": a dot read as a colon or comma, an O as a zero.
    (r"fl[.:,]?\s*[o0]z\.?|fluid\s+ounces?|ounces?|oz\.?", "fl oz"),
    (r"m[lLI1|]s?\.?", "mL"),
    (r"c[lL]\.?", "cL"),
    (r"liters?|litres?|ltrs?\.?|l", "L"),
    (r"pints?|pt\.?", "pint"),
    (r"quarts?|qts?\.?", "quart"),
    (r"gallons?|gal\.?", "gallon"),
)
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d{1,5}(?:[.,]\d{1,3})?)"
# "1:75L" is "1.75L" with its point misread: the figure after the mark is no
# volume of its own, so it is not read as one (never "75 L").
_QUANTITY = re.compile(
    r"(?<!\d[:;'`])(?<!\d)"
    + _NUMBER
    # "12-FL. OZ.": a hyphen joins figure and unit on some labels; "75:CL" and
    # "75.CL" are a space read as a mark on a dotted ground.
    + r"\s*[-:.]?\s*("
    + "|".join(f"(?:{pattern})" for pattern, _ in _UNIT_PATTERNS)
    + r")(?:e|\u212e)?(?![a-z])",  # the EU estimated sign "℮" after it, often read "e"
    re.IGNORECASE,
)
_CONTEXT = re.compile(r"\b(net|contents|cont)\b", re.IGNORECASE)
# A U.S. unit's name, with or without its figure: "| PINT (473 mL)" is "1 PINT" read in part.
_US_UNIT_NAME = re.compile(
    r"(?<![a-z])(?:"
    + "|".join(f"(?:{pattern})" for pattern, unit in _UNIT_PATTERNS if unit in US_UNITS)
    + r")(?![a-z])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # "mL", "cL", "L", "fl oz", "pint", "quart", "gallon"
    start: int
    end: int

    @property
    def ml(self) -> float:
        return self.value * _UNIT_ML[self.unit]


@dataclass(frozen=True)
class NetContentsFinding:
    found: FoundText
    ml: float
    quantities: tuple[Quantity, ...]


def _number(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _unit(text: str) -> str:
    for pattern, unit in _UNIT_PATTERNS:
        if re.fullmatch(pattern, text, re.IGNORECASE):
            return unit
    raise ValueError(text)


def names_us_unit(text: str) -> bool:
    """Whether the text names a U.S. unit of volume, whether or not its figure was read."""
    return _US_UNIT_NAME.search(text) is not None


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity with a unit in the text, in order."""
    return [
        Quantity(_number(match.group(1)), _unit(match.group(2)), match.start(), match.end())
        for match in _QUANTITY.finditer(text)
        if _number(match.group(1)) > 0
    ]


def statement_ml(text: str, quantities: Sequence[Quantity] | None = None) -> float | None:
    """The volume a statement declares: its first figure, plus fluid ounces that directly follow
    a pint/quart/gallon ("1 PINT 8 FL OZ"); a figure in parentheses only restates it."""
    quantities = parse_quantities(text) if quantities is None else quantities
    if not quantities:
        return None
    first = quantities[0]
    total = first.ml
    if first.unit in ("pint", "quart", "gallon") and len(quantities) > 1:
        following = quantities[1]
        between = text[first.end : following.start]
        if following.unit == "fl oz" and "(" not in between and len(between.strip()) <= 1:
            total += following.ml
    return total


def parse_net_contents_text(text: str | None) -> float | None:
    """An application's net contents ("750 mL", "1 pint", "12 fl oz") in millilitres."""
    if not text:
        return None
    return statement_ml(text)


def find_net_contents(
    lines: Sequence[StreamLine], tokens: Sequence[Token]
) -> NetContentsFinding | None:
    """The label's net contents; a figure introduced by "net contents" beats a bare one."""
    best: tuple[int, StreamLine, list[Quantity]] | None = None
    for line in lines:
        quantities = [q for q in parse_quantities(line.text) if 10 <= q.ml <= 100_000]
        if not quantities:
            continue
        score = 2 if _CONTEXT.search(line.text) else 1
        if best is None or score > best[0]:
            best = (score, line, quantities)
    if best is None:
        return None
    _, line, quantities = best
    ml = statement_ml(line.text, quantities)
    line_tokens = [token for token in tokens if token.line == line.index]
    assert ml is not None
    return NetContentsFinding(found=found_text(line_tokens), ml=ml, quantities=tuple(quantities))
