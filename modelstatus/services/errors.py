"""The one failure a fetch reports: a message a person can act on."""

from __future__ import annotations


class ModelFetchError(Exception):
    """The fetch cannot finish; `str(error)` says why and what to do about it."""


def human_bytes(count: float) -> str:
    """1536 -> '1.5 KB', 7201866752 -> '7.2 GB' (decimal units, as disks are sold)."""
    for unit in ("B", "KB", "MB", "GB"):
        if abs(count) < 1000:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} TB"
