"""One SVG image per badge, drawn from the curriculum: a shield with initials and a short title.

Images are generated, not designed, so that a new course gets a badge without anyone opening
a drawing tool. Each is legible at small sizes (big initials), distinct per course (a colour
derived from the course id, dark enough for white text) and self-contained (no font or image
fetched). The path badge is a gold-rimmed shield with a star, to stand out from its courses.
"""

from __future__ import annotations

import colorsys
import hashlib
import html
import re

from accred_ops.badges.curriculum import Badge

SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
SHIELD = "M120 8 L226 42 V130 C226 200 180 246 120 272 C60 246 14 200 14 130 V42 Z"
INNER = "M120 22 L212 52 V130 C212 192 172 232 120 256 C68 232 28 192 28 130 V52 Z"
STAR = "M120 44 l6.5 13.2 14.5 2.1 -10.5 10.2 2.5 14.5 -13 -6.8 -13 6.8 2.5 -14.5 -10.5 -10.2 14.5 -2.1 Z"
GOLD = "#d9a520"
FONT = "Helvetica, Arial, sans-serif"


def badge_svg(badge: Badge) -> str:
    """The badge's image as an SVG document (UTF-8 text, byte-identical for the same badge)."""
    fill = colour("/".join(badge.key))
    is_path = badge.course is None
    letters = initials(badge.title)
    lines = wrap(badge.title, 15, 2)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 280" width="240" height="280"'
        f' role="img" aria-label="{esc(badge.name)}">',
        f"<title>{esc(badge.name)}</title>",
        f'<path d="{SHIELD}" fill="{GOLD if is_path else fill}"/>',
        f'<path d="{INNER}" fill="{fill}" stroke="#ffffff" stroke-opacity="0.65"'
        f' stroke-width="{3 if is_path else 2.5}"/>',
    ]
    if is_path:  # a star and a label, so the path badge stands out from its course badges
        parts.append(f'<path d="{STAR}" fill="{GOLD}"/>')
        parts.append(text(120, 112, "LEARNING PATH", 11, spacing=1.5, opacity=0.9))
        top = 160
    else:
        parts.append(text(120, 80, badge.program.id.upper()[:12], 14, spacing=2, opacity=0.85))
        top = 150
    parts.append(text(120, top, letters, {1: 68, 2: 60}.get(len(letters), 52), weight="bold"))
    for n, line in enumerate(lines):  # the shield narrows below: two short lines at most
        parts.append(text(120, top + 30 + 18 * n, line, 14, weight="bold"))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def text(
    x: float,
    y: float,
    value: str,
    size: float,
    *,
    weight: str = "normal",
    spacing: float = 0,
    opacity: float = 1,
) -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" text-anchor="middle" font-family="{FONT}" font-size="{size:g}"'
        f' font-weight="{weight}" letter-spacing="{spacing:g}" fill="#ffffff"'
        f' fill-opacity="{opacity:g}">{esc(value)}</text>'
    )


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def initials(title: str) -> str:
    """Up to three capitals from the title's significant words: "Co-Selling with Partners" → CSP."""
    words = [w for w in re.split(r"[^\w]+", title) if w]
    significant = [w for w in words if w.lower() not in SMALL_WORDS] or words
    letters = "".join(w[0] for w in significant if w[0].isalnum())[:3].upper()
    return letters or "★"


def wrap(title: str, width: int, most: int) -> list[str]:
    """The title in at most `most` lines of about `width` characters, the last one shortened."""
    lines: list[str] = []
    for word in title.split():
        if lines and (len(lines[-1]) + 1 + len(word) <= width or len(lines) == most):
            lines[-1] += " " + word
        else:
            lines.append(word)
    return [line if len(line) <= width else line[: width - 1].rstrip() + "…" for line in lines]


def colour(seed: str) -> str:
    """A hue from the badge's id, darkened until white text on it reaches WCAG AA (4.5:1)."""
    digest = hashlib.sha256(seed.encode()).digest()
    hue = int.from_bytes(digest[:2], "big") % 360 / 360
    lightness = 0.46
    while True:
        r, g, b = colorsys.hls_to_rgb(hue, lightness, 0.62)
        if contrast_with_white(r, g, b) >= 4.5 or lightness <= 0.1:
            return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
        lightness -= 0.02


def contrast_with_white(r: float, g: float, b: float) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)
