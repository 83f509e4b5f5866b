"""CSV downloads people open in a spreadsheet program."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these runs as a formula in Excel or LibreOffice (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text, whatever a person typed into it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
