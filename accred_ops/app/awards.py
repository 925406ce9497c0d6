"""`badges export`: every award on record in GitLab, as Open Badges files.

An award exists exactly when the learner's record (core/record.py, written by the tool where
learners cannot write) says so, self-enrolled learners included; it is revoked when the record
says so. The assessors are those the record names, as they stood when the badge was awarded
(not whoever last re-added a label); the award time is the tool's award comment's. A path badge
rests on its path-award comment on the epic, and is revoked when a course badge under it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from accred_ops.app import award_cycles
from accred_ops.badges import Award, ExportResult, Issuer, export
from accred_ops.core.judging import passing_scores
from accred_ops.core.model import Cohort, Course, Learner
from accred_ops.core.planner import bot_note
from accred_ops.core.record import LearnerRecord
from accred_ops.core.scores import award_score
from accred_ops.core.state import Issue, IssueDetails, LearnerState, Note
from accred_ops.core.tooluser import ToolUser, tools_own
from accred_ops.errors import InputError
from accred_ops.sync.session import Session

_REASON = re.compile(r"\*\*Reason:\*\* (.*)")


def _when(note: Note) -> dt.datetime:
    return dt.datetime.fromisoformat(note.created_at.replace("Z", "+00:00"))


def _writer(session: Session, author: str) -> ToolUser:
    """Whose award comments give an award its time: the tool's, and, on an object only a sealed
    record makes the tool's (its old bot user deleted: GitLab names the Ghost User), that
    object's author. The award itself comes from the record, never from a comment."""
    if not session.gitlab.record_key or tools_own(author, session.bot):
        return session.bot
    return ToolUser(session.bot, {*session.bot.previous, author})


def _score(
    session: Session, course: Course, details: IssueDetails, assessors: Sequence[str]
) -> float | None:
    """The exam score the award rests on: only where the tool's scored pass was its basis."""
    if session.bot.lower() not in {a.lower() for a in assessors}:
        return None
    labels = session.ws.config.labels
    basis = {labels.exam_passed: session.bot}
    return award_score(labels, session.bot, course, details.notes, basis).get("score")


def _course_award(
    session: Session,
    cohort: Cohort,
    learner: Learner,
    course: Course,
    issue: Issue,
    details: IssueDetails,
    on_record: LearnerRecord,
) -> Award | None:
    program, path = session.ws.path_of(cohort)
    awarded = bot_note(details.notes, "award", _writer(session, issue.author), course=course.id)
    days = on_record.awarded_on.get(course.id, ())
    if awarded is None and not days:  # recorded, but its comment deleted: no award time to sign
        return None
    revoked = bot_note(details.notes, "revoke", _writer(session, issue.author), course=course.id)
    # revocation is final: on record, or proven by the tool's revoke comment (a record that
    # has not learnt of it yet, after a failed write)
    is_revoked = course.id in on_record.revoked or revoked is not None
    reason = _REASON.search(revoked.body) if revoked and is_revoked else None
    username = on_record.key.learner
    name = learner.username if learner.username.lower() == username else username
    return Award(
        learner=name,
        profile_url=f"{session.gitlab.gl.url}/{name}",
        email=learner.email,
        program=program,
        path=path,
        course=course,
        issued_on=_when(awarded) if awarded else dt.datetime.fromisoformat(days[-1] + "T00:00Z"),
        evidence_url=issue.web_url,
        assessors=on_record.awards[course.id],
        revoked=is_revoked,
        revocation_reason=re.sub(r"\\(.)", r"\1", reason[1]) if reason else None,
        results=passing_scores(details.notes, session.bot) if course.rubric else (),
        score=_score(session, course, details, on_record.awards[course.id]),
    )


def read_awards(session: Session) -> list[Award]:
    """Every award the learners' records hold, whoever enrolled them (files or requests)."""
    awards: list[Award] = []
    ws = session.ws
    for program_id in sorted({c.program for c in ws.cohorts.values()}):
        states = session.read_program(program_id)
        for key, state in sorted(states.items()):
            cohort = ws.cohorts.get(state.record.cohort) if state.record else None
            if cohort is None or (cohort.program, cohort.path) != (key.program, key.path):
                continue
            learner = next(
                (lr for lr in cohort.learners if lr.username.lower() == key.learner),
                Learner(key.learner),
            )
            awards += _learner_awards(session, cohort, learner, state)
    return awards


def _learner_awards(
    session: Session, cohort: Cohort, learner: Learner, state: LearnerState
) -> list[Award]:
    _, path = session.ws.path_of(cohort)
    on_record = state.record
    assert on_record is not None
    username = learner.username
    found: list[Award] = []
    for course in path.courses:
        issue = state.issues.get(course.id)
        if issue is not None and on_record.awarded(course.id):
            details = session.gitlab.issue_details(issue.iid)
            award = _course_award(session, cohort, learner, course, issue, details, on_record)
            if award is not None:
                found += award_cycles.cycles(award, on_record, issue)
    epic = state.epic
    if epic is not None and found:
        notes = session.gitlab.epic_notes(epic.id, epic.iid)
        path_note = bot_note(notes, "path-award", _writer(session, epic.author), path=path.id)
        if path_note is not None:
            revoked = [a for a in found if a.revoked]
            template = found[0]
            found.append(
                Award(
                    learner=username,
                    profile_url=template.profile_url,
                    email=template.email,
                    program=template.program,
                    path=path,
                    course=None,
                    issued_on=_when(path_note),
                    evidence_url=epic.web_url,
                    assessors=tuple(sorted({name for a in found for name in a.assessors})),
                    revoked=bool(revoked),
                    valid_until=award_cycles.path_until(found),
                    revocation_reason=f"course badge {revoked[0].course.badge_name} revoked"
                    if revoked and revoked[0].course
                    else None,
                )
            )
    return found


def export_badges(
    session: Session,
    out: str,
    base_url: str,
    formats: Sequence[str],
    signing_key: str | None,
    now: dt.datetime | None = None,
) -> ExportResult:
    issuer = session.ws.config.issuer
    if issuer is None:
        raise InputError(
            "accred.yml has no badges.issuer (name, url, email): the badges need an issuer"
        )
    from pathlib import Path

    awards = read_awards(session)
    return export(
        Path(out),
        base_url,
        Issuer(**issuer),
        list(session.ws.programs.values()),
        awards,
        formats=tuple(formats),
        signing_key=signing_key,
        public_holders=session.ws.config.public_holders,
        now=now,
    )
