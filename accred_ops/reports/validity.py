"""Badges that expire in every report format: the counts per course and per manager (valid,
expiring within 30 and 60 days, expired, renewed on time), and each badge's validity. Shown
only when the report has such badges, so other programs' reports are unchanged."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from accred_ops.core.report import Report
from accred_ops.core.validity_report import counts
from accred_ops.render import md

HEADER = ["", "Valid", "Expiring ≤ 30 days", "Expiring ≤ 60 days", "Expired", "Renewed on time"]
NOTE = (
    "Valid counts every badge still valid (those expiring soon included); the learner record "
    "decides, by its award dates and the report's day."
)


def rows(report: Report, kind: str, escape: Any) -> list[list[str]]:
    return [
        [
            escape(c.name) if c.name else "(no manager)",
            str(c.valid),
            str(c.within_30),
            str(c.within_60),
            str(c.expired),
            str(c.renewed_on_time),
        ]
        for c in counts(report.validity)
        if c.kind == kind
    ]


def markdown(report: Report, table: Any) -> list[str]:
    """The Markdown section (none when no badge expires)."""
    if not report.validity:
        return []
    text = f"## Badges that expire\n\n{NOTE}\n\n"
    text += table(["Course", *HEADER[1:]], rows(report, "course", md), numeric=1)
    text += "\n\n" + table(["Manager", *HEADER[1:]], rows(report, "manager", md), numeric=1)
    return [text]


def html(report: Report, card: Any, table: Any, esc: Any) -> str:
    if not report.validity:
        return ""
    numeric = (1, 2, 3, 4, 5)
    content = table(["Course", *HEADER[1:]], rows(report, "course", esc), numeric=numeric)
    content += table(["Manager", *HEADER[1:]], rows(report, "manager", esc), numeric=numeric)
    return card("Badges that expire", esc(NOTE), content)


def json_part(report: Report) -> dict[str, Any]:
    if not report.validity:
        return {}
    return {
        "validity": {
            "badges": [asdict(b) for b in report.validity],
            "counts": [asdict(c) for c in counts(report.validity)],
        }
    }


CSV_COLUMNS = ("valid_until", "expired_since", "renewals")


def csv_cells(report: Report, username: str, cohort: str, course: str) -> tuple[object, ...]:
    """The CSV's extra cells for one learner × course (only when some badge expires)."""
    found = next(
        (
            b
            for b in report.validity
            if (b.username, b.cohort, b.course) == (username, cohort, course)
        ),
        None,
    )
    if found is None:
        return (None, None, None)
    return (found.valid_until, found.expired_since, len(found.awarded_on) - 1)
