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


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _mix(colour: str, towards: str, amount: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(towards[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [x + (y - x) * amount for x, y in zip(a, b, strict=True)]
    return _hex((mixed[0], mixed[1], mixed[2]))


def darken_until_readable(colour: str, *, against: str = TEXT_LIGHT, minimum: float = AA_NORMAL_TEXT) -> str:
    """The lightest shade of `colour` (mixed towards black) that reaches `minimum` against `against`.

    Used to suggest a near colour when a town's choice is refused, so the
    admin keeps the hue of the coat of arms instead of guessing.
    """
    for step in range(0, 101):
        candidate = _mix(colour.lower(), "#000000", step / 100)
        if contrast_ratio(candidate, against) >= minimum:
            return candidate
    return "#000000"


def best_text_contrast(background: str) -> float:
    """Contrast of the better of white and near-black text on `background`."""
    return contrast_ratio(background, readable_text_on(background))
