"""The report as CSV: one row per learner × course with every fact, for spreadsheets.

Empty cells for missing values, `yes`/`no` for booleans, LF line ends. A text
cell that a spreadsheet would run as a formula (starting with = + - @) gets a leading `'`.
"""

from __future__ import annotations

import csv
import io

from accred_ops.core.report import Report
from accred_ops.reports import exams, rubric, validity

COLUMNS = (
    "cohort",
    "program",
    "path",
    "username",
    "accredited",
    "course",
    "course_title",
    "stage",
    "exam",
    "practical",
    "badge_date",
    "due_date",
    "issue_iid",
    "issue_state",
    "issue_url",
    "enrolled_at",
    "updated_at",
    "closed_at",
    "epic_url",
    "manager",
    "retake",
)


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    extra = validity.CSV_COLUMNS if report.validity else ()  # badges that expire only
    scored = exams.csv_columns(report)
    writer.writerow((*COLUMNS, *rubric.csv_columns(report), *extra, *scored))
    for learner in report.learners:
        for course in learner.courses:
            row = (
                learner.cohort,
                learner.program,
                learner.path,
                learner.username,
                learner.accredited,
                course.course,
                course.title,
                course.stage,
                course.exam,
                course.practical,
                course.badge_date,
                course.due_date,
                course.issue_iid,
                course.issue_state,
                course.url,
                course.enrolled_at,
                course.updated_at,
                course.closed_at,
                learner.epic_url,
                learner.manager,
                course.retake,
                *rubric.csv_cells(report, course.issue_iid),
            )
            if extra:
                row += validity.csv_cells(report, learner.username, learner.cohort, course.course)
            row += exams.csv_cells(report, course.issue_iid)
            writer.writerow([cell(value) for value in row])
    return out.getvalue()
