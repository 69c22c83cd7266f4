"""Cells for CSV files people open in a spreadsheet."""

from __future__ import annotations


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula is quoted (CSV injection):
    brands and file names come from uploads."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return f"'{value}"
    return value
