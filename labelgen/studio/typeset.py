"""Setting text: word wrap across faces, centred/justified lines, tight leading.

Lines are measured first and drawn later at a baseline, so a block knows its
height before the panel is laid out, and faces of different sizes share a
baseline when the warning header runs inline with its body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PIL import ImageDraw, ImageFont

from labelgen.studio.look import RGB


@lru_cache(maxsize=1 << 16)
def _advance(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Advance width, measured once: layout asks for the same words many times."""
    return font.getlength(text)


@lru_cache(maxsize=1 << 12)
def _height(font: ImageFont.FreeTypeFont, letter: str) -> float:
    top, bottom = font.getbbox(letter, anchor="ls")[1::2]
    return bottom - top


@dataclass(frozen=True)
class Span:
    """A run of text in one face, size and colour."""

    text: str
    font: ImageFont.FreeTypeFont
    fill: RGB
    tracking_px: float = 0.0  # extra space between letters

    def width_of(self, word: str) -> float:
        if not self.tracking_px:
            return _advance(self.font, word)
        letters = sum(_advance(self.font, letter) for letter in word)
        return letters + self.tracking_px * (len(word) - 1)

    @property
    def space(self) -> float:
        return _advance(self.font, " ") + self.tracking_px

    @property
    def cap_px(self) -> float:
        return _height(self.font, "H")

    @property
    def x_px(self) -> float:
        return _height(self.font, "x")


@dataclass
class SetLine:
    words: list[tuple[str, Span]] = field(default_factory=list)
    ends_paragraph: bool = False  # never stretched when justifying

    @property
    def width(self) -> float:
        total = 0.0
        for index, (word, span) in enumerate(self.words):
            total += span.width_of(word) + (span.space if index else 0.0)
        return total

    @property
    def size(self) -> int:
        return max(span.font.size for _, span in self.words)

    @property
    def cap_px(self) -> float:
        return max(span.cap_px for _, span in self.words)


@dataclass(frozen=True)
class DrawnLine:
    """Where a line landed on the panel, for rules that cross or touch it."""

    left: float
    right: float
    baseline: float
    x_px: float
    cap_px: float


def wrap(spans: list[Span], width: float) -> list[SetLine]:
    """Greedy word wrap; a new span continues on the same line (an inline header)."""
    lines = [SetLine()]
    line_width = 0.0
    for span in spans:
        for word in span.text.split():
            word_width = span.width_of(word)
            if lines[-1].words and line_width + span.space + word_width > width:
                lines.append(SetLine())
            if lines[-1].words:
                line_width += span.space + word_width
            else:
                line_width = word_width
            lines[-1].words.append((word, span))
    lines = [line for line in lines if line.words]
    if lines:
        lines[-1].ends_paragraph = True
    return lines


def balanced_wrap(spans: list[Span], width: float) -> list[SetLine]:
    """Wrap into as few lines as `width` allows, but evenly: no lone last word."""
    lines = wrap(spans, width)
    if len(lines) < 2:
        return lines
    low, high = width / 2, width
    for _ in range(12):
        middle = (low + high) / 2
        if len(wrap(spans, middle)) == len(lines):
            high = middle
        else:
            low = middle
    return wrap(spans, high)


@dataclass
class TextBlock:
    """Set lines with an alignment and a leading (a multiple of the font size)."""

    lines: list[SetLine]
    align: str = "centre"  # "centre" | "left" | "justify"
    leading: float = 1.2

    def _pitch(self, index: int) -> float:
        return self.lines[index].size * self.leading

    @property
    def height(self) -> int:
        if not self.lines:
            return 0
        pitches = sum(self._pitch(index) for index in range(1, len(self.lines)))
        return round(self.lines[0].cap_px + pitches + 0.25 * self.lines[-1].size)

    @property
    def width(self) -> float:
        return max((line.width for line in self.lines), default=0.0)

    def draw(
        self, draw: ImageDraw.ImageDraw, left: float, top: float, width: float
    ) -> list[DrawnLine]:
        """Draw at (`left`, `top`) within `width`; return where each line landed."""
        drawn: list[DrawnLine] = []
        baseline = top + (self.lines[0].cap_px if self.lines else 0)
        for index, line in enumerate(self.lines):
            if index:
                baseline += self._pitch(index)
            gaps = len(line.words) - 1
            stretch = 0.0
            if self.align == "justify" and not line.ends_paragraph and gaps:
                stretch = (width - line.width) / gaps
            x = left
            if self.align == "centre":
                x = left + (width - line.width) / 2
            start = x
            for position, (word, span) in enumerate(line.words):
                if position:
                    x += span.space + stretch
                _draw_word(draw, x, baseline, word, span)
                x += span.width_of(word)
            x_px = max(span.x_px for _, span in line.words)
            drawn.append(DrawnLine(start, x, baseline, x_px, line.cap_px))
        return drawn


def _draw_word(draw: ImageDraw.ImageDraw, x: float, baseline: float, word: str, span: Span) -> None:
    if not span.tracking_px:
        draw.text((x, baseline), word, font=span.font, fill=span.fill, anchor="ls")
        return
    for letter in word:
        draw.text((x, baseline), letter, font=span.font, fill=span.fill, anchor="ls")
        x += _advance(span.font, letter) + span.tracking_px
