"""`status`: one learner's courses as GitLab shows them now (no writes)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from accred_ops.app import status_validity as validity
from accred_ops.core import scores
from accred_ops.core.identity import issue_identity, tools_own
from accred_ops.core.model import Course, Program
from accred_ops.core.progress import STAGE_TABLE, Stage, stage_of_labels, verdict_word
from accred_ops.core.state import Issue
from accred_ops.sync.session import Session


@dataclass(frozen=True)
class StatusRow:
    program: str
    path: str
    course: str
    stage: str
    exam: str
    practical: str
    badge: str
    due_date: str | None
    url: str
    # badges that expire (core/expiry.py), from the learner record; None otherwise
    valid_until: str | None = None
    renews_on: str | None = None
    expired_since: str | None = None
    attempts: tuple[str, ...] = ()  # the imported exam attempts (a course with a pass mark)


def status(session: Session, username: str) -> list[StatusRow]:
    """One learner's courses as GitLab shows them now (labels are the board's truth; no writes)."""
    labels = session.ws.config.labels
    rows = []
    for program in session.ws.programs.values():
        listed = session.gitlab.list_issues([labels.program(program.id)], search=f"@{username}")
        sealed = _sealed_issues(session, program.id, username, listed)
        issues = [
            issue
            for issue in listed
            # what anyone else made is nobody's course, unless a sealed record names it
            if tools_own(issue.author, session.bot) or issue.id in sealed
        ]
        found = _rows(session, program, issues, username)
        again = functools.partial(_rows, session, program, username=username)
        rows += validity.with_validity(session, program, username, found, issues, again)
    if not rows:  # nothing of the tool's: was the program written by another tool user?
        for program_id in session.ws.programs:
            session.read_program(program_id, f"@{username}")
    return rows


def _sealed_issues(
    session: Session, program_id: str, username: str, listed: list[Issue]
) -> set[int]:
    """The issues a sealed record names (core/seal.py), read only when a key is set and some
    listed issue is not the tool's by author (its old bot user deleted)."""
    if not session.gitlab.record_key or all(tools_own(i.author, session.bot) for i in listed):
        return set()
    states = session.read_program(program_id, f"@{username}")
    return {i for s in states.values() if s.record for i in s.record.issues.values()}


def _rows(
    session: Session, program: Program, issues: list[Issue], username: str
) -> list[StatusRow]:
    """A program's rows: each course of each path the learner has the tool's issue for."""
    labels = session.ws.config.labels
    rows = []
    for path in program.paths:
        keys = {i.iid: issue_identity(i, program, labels) for i in issues}
        found = {
            key.course: i
            for i in issues
            if (key := keys[i.iid]) and key.learner == username.lower() and key.path == path.id
        }
        for course in path.courses:
            issue = found.get(course.id)
            if issue is None:
                continue
            stage = stage_of_labels(labels, issue.labels) or Stage.ENROLLED
            rows.append(
                StatusRow(
                    program=program.title,
                    path=path.title,
                    course=course.title,
                    stage=STAGE_TABLE[stage][1],
                    exam=verdict_word(labels, course, "exam", issue.labels),
                    practical=verdict_word(labels, course, "practical", issue.labels),
                    badge=course.badge_name if stage is Stage.BADGE_AWARDED else "",
                    due_date=issue.due_date,
                    url=issue.web_url,
                    attempts=_attempts(session, course, issue),
                )
            )
    return rows


def _attempts(session: Session, course: Course, issue: Issue) -> tuple[str, ...]:
    """Each recorded exam attempt, from the tool's own score comments (one read, and only for
    a course whose exam has a pass mark)."""
    if course.exam_rules is None:
        return ()
    notes = session.gitlab.issue_notes(issue.iid)
    return tuple(scores.describe(a) for a in scores.recorded(notes, session.bot, course))
