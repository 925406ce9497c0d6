"""A rubric's practicals in every report format (core/rubric_report.py): a section in Markdown
(the report and the dashboard) and HTML, a `rubrics` list in JSON, a `practical_scores` column
in CSV. A program without a rubric gets none of them: its reports read as before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from accred_ops.core.report import Report
from accred_ops.core.rubric_report import RubricStats

HEADER = (
    "Course",
    "Verdicts",
    "Passed",
    "Disagreements",
    "Moderated",
    "Median hours to verdict",
    "Average per criterion",
)
NOTE = (
    "Practicals scored against a rubric: verdicts the tool tallied, rounds where the assessors "
    "disagreed (and the share of rounds that reached their scores), verdicts a moderator gave, "
    "hours from ready for assessment to verdict, and each criterion's average result."
)


def _rate(stats: RubricStats) -> str:
    if stats.disagreement_rate is None:
        return str(stats.disagreements)
    return f"{stats.disagreements} ({stats.disagreement_rate:.0%})"


def rows(report: Report) -> list[list[str]]:
    """One row per rubric course, as plain text (each format escapes it)."""
    return [
        [
            s.title,
            str(s.verdicts),
            str(s.passed),
            _rate(s),
            str(s.moderations),
            "—" if s.median_hours_to_verdict is None else f"{s.median_hours_to_verdict:g}",
            ", ".join(f"{cid} {value:g} ({dict(s.levels)[cid]})" for cid, value in s.averages)
            or "—",
        ]
        for s in report.rubrics
    ]


def markdown(report: Report, table: Any, md: Any) -> list[str]:
    if not report.rubrics:
        return []
    cells = ([md(value) for value in row] for row in rows(report))
    return [f"## Rubric practicals\n\n{NOTE}\n\n" + table(list(HEADER), cells, numeric=5)]


def html(report: Report, card: Any, table: Any, esc: Any) -> str:
    if not report.rubrics:
        return ""
    cells = [[esc(value) for value in row] for row in rows(report)]
    return card("Rubric practicals", NOTE, table(list(HEADER), cells, numeric=(1, 2, 4, 5)))


def json_items(report: Report) -> dict[str, Any]:
    if not report.rubrics:
        return {}
    return {"rubrics": [_stats_dict(s) for s in report.rubrics]}


def _stats_dict(stats: RubricStats) -> dict[str, Any]:
    found = asdict(stats)
    words = dict(found.pop("levels"))
    found["averages"] = [
        {"criterion": cid, "average": value, "level": words[cid]} for cid, value in stats.averages
    ]
    return found


def csv_columns(report: Report) -> Sequence[str]:
    return ("practical_scores",) if report.rubrics else ()


def csv_cells(report: Report, iid: int | None) -> Sequence[str]:
    if not report.rubrics:
        return ()
    return (report.practical_scores.get(iid, "") if iid is not None else "",)
