"""The reading backends a caller can ask for, named once."""

from __future__ import annotations

from enum import StrEnum


class Backend(StrEnum):
    TESSERACT = "tesseract"  # OCR on this machine (with RapidOCR as the second reader)
    OLLAMA = "ollama"  # the vision model
    AUTO = "auto"  # Tesseract first; the vision model re-reads what it may

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]
