"""Colours as the brand gives them (#rrggbb): which text reads on which background, and tints.
The slides and the charts choose their text colours here, so that a light brand colour never
carries white text."""

from __future__ import annotations


def channels(colour: str) -> tuple[int, int, int]:
    """The red, green and blue of a #rrggbb colour, 0 to 255."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    """WCAG's relative luminance of a #rrggbb colour."""
    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(background: str, ink: str, prefer: str = "#ffffff") -> str:
    """`prefer` on the background when it reads well there (WCAG's 4.5:1), else whichever of it and the ink
    contrasts more."""
    if contrast(prefer, background) >= 4.5:
        return prefer
    return max((prefer, ink), key=lambda c: contrast(c, background))


def mix(colour: str, other: str, share: float) -> str:
    """`colour` blended with `share` of `other`."""
    mixed = (round(a * (1 - share) + b * share) for a, b in zip(channels(colour), channels(other), strict=True))
    return "#" + "".join(f"{c:02x}" for c in mixed)
