"""WCAG 2.1 contrast arithmetic for the town's brand colours."""

from __future__ import annotations

import re

TEXT_DARK = "#1a1a1a"
TEXT_LIGHT = "#ffffff"
AA_NORMAL_TEXT = 4.5
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    if not _HEX.match(hex_colour):
        raise ValueError(f"not a #RRGGBB colour: {hex_colour!r}")
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_text_on(background: str) -> str:
    """White or near-black, whichever contrasts more with `background`."""
    if not _HEX.match(background or ""):
        return TEXT_LIGHT
    return max((TEXT_LIGHT, TEXT_DARK), key=lambda t: contrast_ratio(background, t))
