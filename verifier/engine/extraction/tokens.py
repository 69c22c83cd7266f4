"""The label's words as one stream, panel by panel, line by line.

Extraction searches this stream rather than raw strings so every field it
finds keeps the `Word`s (and so the boxes and confidences) that carry it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from verifier.engine.models import FoundText, Line, PanelReading, Word

# Words a backend gives no confidence for (-1) count as fairly sure: such
# backends transcribe whole words rather than guessing glyph by glyph.
UNKNOWN_CONFIDENCE = 90.0


@dataclass(frozen=True)
class Token:
    word: Word
    panel: int
    line: int  # index of the line in the whole stream
    position: int  # index of the word in its line

    @property
    def text(self) -> str:
        return self.word.text

    @property
    def confidence(self) -> float:
        return word_confidence(self.word)


@dataclass(frozen=True)
class StreamLine:
    panel: int
    index: int
    line: Line

    @property
    def text(self) -> str:
        return self.line.text

    @property
    def sideways(self) -> bool:
        """Whether the line runs down a side strip: a tall, narrow box of several letters."""
        box = self.line.box
        return (
            box is not None
            and box.height > box.width
            and sum(ch.isalnum() for ch in self.text) >= 3
        )

    @property
    def height(self) -> int:
        """The size of the line's type in pixels: its box's height, or its width
        when the line runs sideways (a side strip), so it is not taken for display type."""
        box = self.line.box
        if box is None:
            heights = [word.box.height for word in self.line.words if word.box is not None]
            return max(heights, default=0)
        return box.width if self.sideways else box.height


def word_confidence(word: Word) -> float:
    return UNKNOWN_CONFIDENCE if word.confidence < 0 else float(word.confidence)


def stream_lines(readings: Sequence[PanelReading]) -> list[StreamLine]:
    lines: list[StreamLine] = []
    for reading in readings:
        for line in reading.lines:
            if line.words:
                lines.append(StreamLine(panel=reading.panel, index=len(lines), line=line))
    return lines


def stream_tokens(lines: Iterable[StreamLine]) -> list[Token]:
    return [
        Token(word=word, panel=line.panel, line=line.index, position=position)
        for line in lines
        for position, word in enumerate(line.line.words)
    ]


def mean_confidence(words: Sequence[Word]) -> float:
    """Mean OCR confidence of the words on a 0..1 scale (0 when there are none)."""
    if not words:
        return 0.0
    return sum(word_confidence(word) for word in words) / len(words) / 100.0


def found_text(
    tokens: Sequence[Token], *, text: str | None = None, score: float = 1.0
) -> FoundText:
    """A `FoundText` over the tokens; `score` (0..1) is how well they match what was sought."""
    words = [token.word for token in tokens]
    return FoundText(
        text=text if text is not None else " ".join(word.text for word in words),
        panel=tokens[0].panel if tokens else 0,
        words=words,
        confidence=round(mean_confidence(words) * score, 3),
    )
