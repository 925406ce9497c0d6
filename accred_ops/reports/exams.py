"""The written exams' figures (scored exams, core/scores.py) in Markdown, Mermaid and HTML:
per course, the pass rate at first attempt, attempts per learner, the score distribution and
the learners who reached `max_attempts` without passing."""

from __future__ import annotations

from html import escape

from accred_ops.core.report import Report
from accred_ops.core.scores import BANDS, ExamStats

CSV_COLUMNS = ("exam_score", "exam_attempts")


def csv_columns(report: Report) -> tuple[str, ...]:
    """Two more CSV columns when an exam of the report is scored (a course with a pass mark)."""
    return CSV_COLUMNS if report.exams else ()


def csv_cells(report: Report, iid: int | None) -> tuple[object, ...]:
    """The course issue's exam score (percent the verdict rests on) and attempts that count;
    empty cells for a course without a pass mark or an issue without an imported attempt."""
    if not report.exams:
        return ()
    score, attempts = (
        report.exam_results.get(iid, (None, None)) if iid is not None else (None, None)
    )
    return (None if score is None else f"{score:g}", attempts)


def _rate(stats: ExamStats) -> str:
    return "—" if stats.first_attempt_pass_rate is None else f"{stats.first_attempt_pass_rate:g} %"


def _per(stats: ExamStats) -> str:
    return "—" if stats.attempts_per_learner is None else f"{stats.attempts_per_learner:g}"


def rows(report: Report) -> list[list[str]]:
    return [
        [
            s.title,
            f"{s.pass_mark} %",
            str(s.learners),
            _rate(s),
            _per(s),
            ", ".join(s.max_attempts_reached) or "—",
        ]
        for s in report.exams
    ]


HEADER = [
    "Course",
    "Pass mark",
    "Learners",
    "Passed at first attempt",
    "Attempts per learner",
    "Reached max attempts",
]


def markdown(report: Report, md: object) -> str:
    """The section, with a Mermaid bar chart of each exam's scores (`md` escapes text)."""
    if not report.exams:
        return ""
    escape_md = md  # the Markdown renderer's escaping of people's text
    lines = ["## Written exams", "", "| " + " | ".join(HEADER) + " |"]
    lines.append("|---|--:|--:|--:|--:|---|")
    for row in rows(report):
        cells = [escape_md(row[0]), *row[1:5], escape_md(row[5])]  # type: ignore[operator]
        lines.append("| " + " | ".join(cells) + " |")
    for s in report.exams:
        if not any(s.distribution.values()):
            continue
        title = s.title.replace('"', "'")
        top = max(s.distribution.values())
        lines += [
            "",
            "```mermaid",
            "xychart-beta",
            f'    title "{title}: scores of every attempt (%)"',
            "    x-axis [" + ", ".join(f'"{b}"' for b in BANDS) + "]",
            f'    y-axis "Attempts" 0 --> {top}',
            "    bar [" + ", ".join(str(s.distribution[b]) for b in BANDS) + "]",
            "```",
        ]
    return "\n".join(lines)


def html(report: Report) -> str:
    """A card: the table, and each exam's distribution as bars."""
    if not report.exams:
        return ""
    head = "".join(f"<th>{escape(h)}</th>" for h in HEADER)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in rows(report)
    )
    charts = "".join(_bars(s) for s in report.exams if any(s.distribution.values()))
    return (
        '<section class="card"><h2>Written exams</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{charts}</section>"
    )


def _bars(stats: ExamStats) -> str:
    top = max(stats.distribution.values())
    bars = "".join(
        f'<div class="bar-row"><span>{escape(b)}</span>'
        f'<span class="bar" style="display:inline-block;width:{round(200 * n / top)}px;'
        f'height:0.8em;background:#6b4fbb"></span> {n}</div>'
        for b, n in stats.distribution.items()
    )
    return f"<h3>{escape(stats.title)}: scores of every attempt (%)</h3>{bars}"
