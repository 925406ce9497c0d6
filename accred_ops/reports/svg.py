"""Inline SVG charts for the HTML report, drawn in Python (no script, no external resource).

Each chart has a fixed viewBox and scales to the page width; every text is escaped, and each
shape carries a <title> so hovering shows the exact figure.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping, Sequence

from accred_ops.core.report import STAGES, CourseCounts, LearnerRow
from accred_ops.reports.common import ACCREDITED_COLOR, STAGE_COLORS, STAGE_WORDS, ink

WIDTH = 960
LABEL_W = 250  # the label column of the bars and the grid, so their plots line up
MUTED = "#626168"
LINE = "#e4e4e7"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def fit(text: str, width: float, size: float = 13) -> str:
    """`text` shortened with an ellipsis to about `width` pixels at font `size`."""
    most = max(1, int(width / (size * 0.56)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def wrap(text: str, width: float, size: float = 13, lines: int = 2) -> list[str]:
    """`text` broken into at most `lines` lines of about `width` pixels, the last one fitted."""
    most = max(1, int(width / (size * 0.56)))
    out: list[str] = []
    for word in text.split():
        if (out and len(out[-1]) + 1 + len(word) <= most) or len(out) == lines:
            out[-1] += " " + word
        else:
            out.append(word)
    return [fit(line, width, size) for line in out] or [""]


def svg(height: float, label: str, body: list[str]) -> str:
    return (
        f'<svg viewBox="0 0 {WIDTH} {height:g}" role="img" aria-label="{esc(label)}">'
        f"<title>{esc(label)}</title>" + "".join(body) + "</svg>"
    )


def text(x: float, y: float, value: str, *, anchor: str = "start", **style: object) -> str:
    attrs = "".join(f' {name.replace("_", "-")}="{esc(v)}"' for name, v in style.items())
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{attrs}>{esc(value)}</text>'


def rect(x: float, y: float, w: float, h: float, fill: str, tip: str, rx: float = 0) -> str:
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}" fill="{fill}">'
        f"<title>{esc(tip)}</title></rect>"
    )


def stage_bars(courses: Sequence[CourseCounts], learners: int) -> str:
    """One horizontal bar per course, split by stage, all scaled to the cohort's learners."""
    label_w, left, right, row = LABEL_W, LABEL_W + 12, 900, 34
    body = []
    for index, course in enumerate(courses):
        y = 8 + index * row
        body.append(text(0, y + 17, fit(course.title, label_w), font_size=13, fill="#1f1e24"))
        body.append(rect(left, y + 2, right - left, 22, "#f4f4f5", course.title, rx=4))
        x = float(left)
        for stage in STAGES:
            count = course.counts[stage]
            if not count:
                continue
            w = (right - left) * count / max(learners, 1)
            tip = f"{course.title}: {STAGE_WORDS[stage]} {count}"
            body.append(rect(x, y + 2, max(w - 1.5, 1), 22, STAGE_COLORS[stage], tip, rx=3))
            if w >= 22:
                body.append(
                    text(
                        x + w / 2,
                        y + 17.5,
                        str(count),
                        anchor="middle",
                        font_size=12,
                        font_weight=600,
                        fill=ink(STAGE_COLORS[stage]),
                    )
                )
            x += w
        body.append(text(right + 12, y + 17, f"{learners}", font_size=12, fill=MUTED))
    return svg(16 + len(courses) * row, "Learners per course by stage", body)


def learner_grid(titles: Sequence[str], rows: Sequence[LearnerRow]) -> str:
    """Learners down, courses across, each cell coloured by stage; a tick for the path badge."""
    label_w, gap, head, row = LABEL_W + 12, 4, 46, 30  # cells start where the bars do
    cell = min(150.0, (900 - label_w + gap) / max(len(titles), 1) - gap)
    body = []
    for col, title in enumerate(titles):
        x = label_w + col * (cell + gap) + cell / 2
        lines = wrap(title, cell - 4, 12)
        for n, line in enumerate(lines):
            y = 34 - 15 * (len(lines) - 1 - n)
            body.append(
                text(x, y, line, anchor="middle", font_size=12, font_weight=600, fill=MUTED)
            )
    accredited_x = label_w + len(titles) * (cell + gap) + 24
    body.append(
        text(accredited_x, 34, "Path", anchor="middle", font_size=12, font_weight=600, fill=MUTED)
    )
    for index, learner in enumerate(rows):
        y = head + index * row
        body.append(text(0, y + 18, fit(learner.username, LABEL_W), font_size=13, fill="#1f1e24"))
        for col, course in enumerate(learner.courses):
            x = label_w + col * (cell + gap)
            colour = STAGE_COLORS[course.stage]
            word = STAGE_WORDS[course.stage]
            tip = f"{learner.username} — {course.title}: {word}"
            tip += f" ({course.badge_date})" if course.badge_date else ""
            body.append(rect(x, y, cell, row - gap, colour, tip, rx=4))
            if cell >= 64:
                body.append(
                    text(
                        x + cell / 2,
                        y + 17,
                        fit(word, cell - 8, 12),
                        anchor="middle",
                        font_size=12,
                        fill=ink(colour),
                    )
                )
        if learner.accredited:
            body += _path_tick(accredited_x, y, learner.username)
    return svg(head + len(rows) * row + 2, "Learners × courses by stage", body)


def _path_tick(x: float, y: float, username: str) -> list[str]:
    """The path badge's mark in a learner's row: a green disc with a tick."""
    return [
        f'<circle cx="{x:g}" cy="{y + 13:g}" r="10" fill="{ACCREDITED_COLOR}">'
        f"<title>{esc(username)}: path accredited</title></circle>",
        text(x, y + 17.5, "✓", anchor="middle", font_size=13, font_weight=700, fill="#ffffff"),
    ]


def _week_label(week: str) -> str:
    day = dt.date.fromisoformat(week)
    return f"{day.day} {MONTHS[day.month - 1]}"


def week_columns(weeks: Mapping[str, int]) -> str:
    """Badges awarded per ISO week, as columns, with a light y grid."""
    height, left, right, top, bottom = 260, 44, WIDTH - 8, 16, 220
    top_count = max(weeks.values(), default=0)
    step = max(1, math.ceil(top_count / 5))
    ceiling = max(step, math.ceil(top_count / step) * step)
    body = []
    for tick in range(0, ceiling + 1, step):
        y = bottom - (bottom - top) * tick / ceiling
        body.append(f'<line x1="{left}" x2="{right}" y1="{y:g}" y2="{y:g}" stroke="{LINE}"/>')
        body.append(text(left - 8, y + 4, str(tick), anchor="end", font_size=12, fill=MUTED))
    slot = (right - left) / max(len(weeks), 1)
    width = min(56.0, slot * 0.7)
    every = max(1, math.ceil(64 / slot))
    colour = STAGE_COLORS["badge-awarded"]
    for index, (week, count) in enumerate(weeks.items()):
        x = left + slot * index + (slot - width) / 2
        h = (bottom - top) * count / ceiling
        tip = f"Week of {week}: {count} badge{'s' * (count != 1)}"
        body.append(rect(x, bottom - h, width, h, colour, tip, rx=3))
        if count:
            body.append(
                text(
                    x + width / 2,
                    bottom - h - 5,
                    str(count),
                    anchor="middle",
                    font_size=12,
                    font_weight=600,
                    fill="#1f1e24",
                )
            )
        if index % every == 0:
            body.append(
                text(
                    x + width / 2,
                    bottom + 18,
                    _week_label(week),
                    anchor="middle",
                    font_size=12,
                    fill=MUTED,
                )
            )
    return svg(height, "Badges awarded per week", body)
