"""The report's reading of rubric practicals (core/rubric_report.py): the comments of the course
issues where a rubric verdict may stand (a practical label, or an award), one read each; a
program without a rubric reads nothing more."""

from __future__ import annotations

import dataclasses

from accred_ops.core.judging import passing_scores
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Course
from accred_ops.core.report import Report
from accred_ops.core.rubric_report import rubric_stats
from accred_ops.core.state import LearnerState, Note
from accred_ops.sync.session import Session


def with_rubrics(session: Session, report: Report, states: dict[EpicKey, LearnerState]) -> Report:
    labels = session.ws.config.labels
    decided = {labels.practical_approved, labels.practical_changes_requested, labels.badge_awarded}
    reported = {(r.username.lower(), c.issue_iid) for r in report.learners for c in r.courses}
    courses: dict[str, Course] = {
        c.id: c
        for program in session.ws.programs.values()
        for c in program.courses()
        if c.rubric is not None
    }
    read: dict[str, list[tuple[int, tuple[Note, ...]]]] = {}
    for key, state in sorted(states.items()):
        for course_id, issue in state.issues.items():
            if course_id not in courses or (key.learner, issue.iid) not in reported:
                continue
            if decided & set(issue.labels):
                notes = tuple(session.gitlab.issue_notes(issue.iid))
                read.setdefault(course_id, []).append((issue.iid, notes))
    if not read:
        return report
    stats = tuple(
        rubric_stats(courses[cid], [notes for _, notes in found], session.bot)
        for cid, found in read.items()
    )
    scores = {
        iid: "; ".join(f"{cid} {value:g}" for cid, value in found)
        for found_issues in read.values()
        for iid, notes in found_issues
        if (found := passing_scores(notes, session.bot))
    }
    return dataclasses.replace(report, rubrics=stats, practical_scores=scores)
