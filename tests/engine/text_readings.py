"""Build `PanelReading`s from plain strings, so rules are tested without OCR.

Each line gets a box (taller lines for prominent text); every word gets a
confidence, 95 unless the test says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from verifier.engine.extraction import extract_fields
from verifier.engine.models import (
    Application,
    BeverageType,
    Box,
    Check,
    Line,
    PanelReading,
    WarningTypography,
    Word,
)
from verifier.engine.rules import run_checks

LINE_HEIGHT = 20
CHAR_WIDTH = 10


def panel(
    lines: Sequence[str | tuple[str, int]],
    *,
    number: int = 0,
    confidence: float = 95.0,
    confidences: Mapping[str, float] | None = None,
    width: int = 1200,
) -> PanelReading:
    """A panel whose lines are strings, or (string, line height in px) for prominent text.

    `confidences` overrides the confidence of words by their exact text.
    """
    confidences = confidences or {}
    built: list[Line] = []
    top = 10
    for entry in lines:
        text, height = (entry, LINE_HEIGHT) if isinstance(entry, str) else entry
        words: list[Word] = []
        left = 10
        for token in text.split():
            box = Box(left, top, CHAR_WIDTH * len(token) * height // LINE_HEIGHT, height)
            words.append(Word(token, confidences.get(token, confidence), box))
            left += box.width + CHAR_WIDTH
        line_box = Box(10, top, max(left - 10, 1), height)
        built.append(Line(tuple(words), line_box))
        top += height + 8
    return PanelReading(
        panel=number, backend="text", lines=built, width=width, height=max(top, 400)
    )


def readings(*panels: Sequence[str | tuple[str, int]] | str, **options) -> list[PanelReading]:
    """One panel per argument; a single string is split into lines."""
    built = []
    for number, lines in enumerate(panels):
        if isinstance(lines, str):
            lines = [line for line in lines.strip().splitlines() if line.strip()]
        built.append(panel(lines, number=number, **options))
    return built


WARNING = (
    "GOVERNMENT WARNING: (1) According to the Surgeon General, women should not drink "
    "alcoholic beverages during pregnancy because of the risk of birth defects. "
    "(2) Consumption of alcoholic beverages impairs your ability to drive a car or "
    "operate machinery, and may cause health problems."
)


def warning_lines(text: str = WARNING, per_line: int = 8) -> list[str]:
    """The warning broken into lines of `per_line` words, as printed on a back label."""
    words = text.split()
    return [" ".join(words[i : i + per_line]) for i in range(0, len(words), per_line)]


def check_results(
    panels: list[PanelReading],
    application: Application | None = None,
    typography: WarningTypography | None = None,
) -> dict[str, Check]:
    """Extract and run every rule on text panels; the checks by id."""
    application = application or Application()
    fields = extract_fields(panels, application)
    checks = run_checks(fields, application, typography or WarningTypography(), panels)
    return {item.id: item for item in checks}


SPIRITS_LABEL = [
    ("STONE'S THROW", 80),
    ("Kentucky Straight Bourbon Whiskey", 30),
    "Alcohol 45% by volume (90 Proof)",
    "750 mL",
    "Distilled and bottled by Stone's Throw Distilling Co.",
    "Louisville, KY",
]
SPIRITS_APPLICATION = Application(
    brand_name="Stone's Throw",
    class_type="Kentucky Straight Bourbon Whiskey",
    alcohol_content="45% Alc./Vol. (90 Proof)",
    net_contents="750 mL",
    bottler="Stone's Throw Distilling Co., Louisville, KY",
    beverage_type=BeverageType.DISTILLED_SPIRITS,
    is_import=False,
)
