"""`badges export`: every award on record in GitLab, as Open Badges files.

An award exists exactly when its award comment (posted by the tool's own user) and its stage
label do; a revoked one when the revoke comment and the revoked label do. The award time is the
comment's, the assessors are those who added the verdict labels it rests on; a path badge
rests on its path-award comment on the epic, and is revoked when a course badge under it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from accred_ops.badges import Award, ExportResult, Issuer, export
from accred_ops.core.model import Cohort, Course
from accred_ops.core.planner import bot_note
from accred_ops.core.progress import added_by, required_verdicts
from accred_ops.core.state import Issue, IssueDetails, LearnerState, Note
from accred_ops.errors import InputError
from accred_ops.service import Session, _key

_REASON = re.compile(r"\*\*Reason:\*\* (.*)")


def _when(note: Note) -> dt.datetime:
    return dt.datetime.fromisoformat(note.created_at.replace("Z", "+00:00"))


def _course_award(
    session: Session,
    cohort: Cohort,
    username: str,
    course: Course,
    issue: Issue,
    details: IssueDetails,
) -> Award | None:
    labels = session.ws.config.labels
    program, path = session.ws.path_of(cohort)
    awarded = bot_note(details.notes, "award", session.bot, course=course.id)
    if awarded is None or not ({labels.badge_awarded, labels.revoked} & set(issue.labels)):
        return None
    revoked = bot_note(details.notes, "revoke", session.bot, course=course.id)
    reason = _REASON.search(revoked.body) if revoked else None
    assessors = tuple(
        sorted(
            {
                event.user
                for label in required_verdicts(labels, course)
                if (event := added_by(label, details.events))
            }
        )
    )
    learner = next(lr for lr in cohort.learners if lr.username == username)
    return Award(
        learner=username,
        profile_url=f"{session.gitlab.gl.url}/{username}",
        email=learner.email,
        program=program,
        path=path,
        course=course,
        issued_on=_when(awarded),
        evidence_url=issue.web_url,
        assessors=assessors,
        revoked=revoked is not None and labels.revoked in issue.labels,
        revocation_reason=re.sub(r"\\(.)", r"\1", reason[1]) if reason else None,
    )


def read_awards(session: Session) -> list[Award]:
    awards: list[Award] = []
    for program_id in sorted({c.program for c in session.ws.cohorts.values()}):
        states = session.read_program(program_id)
        for cohort in (c for c in session.ws.cohorts.values() if c.program == program_id):
            for learner in cohort.learners:
                state = states.get(_key(cohort, learner.username))
                if state is not None:
                    awards += _learner_awards(session, cohort, learner.username, state)
    return awards


def _learner_awards(
    session: Session, cohort: Cohort, username: str, state: LearnerState
) -> list[Award]:
    labels = session.ws.config.labels
    _, path = session.ws.path_of(cohort)
    found: list[Award] = []
    for course in path.courses:
        issue = state.issues.get(course.id)
        if issue is not None and {labels.badge_awarded, labels.revoked} & set(issue.labels):
            award = _course_award(
                session, cohort, username, course, issue, session.gitlab.issue_details(issue.iid)
            )
            if award is not None:
                found.append(award)
    epic = state.epic
    if epic is not None and found:
        notes = session.gitlab.epic_notes(epic.id, epic.iid)
        path_note = bot_note(notes, "path-award", session.bot, path=path.id)
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
                    revocation_reason=f"course badge {revoked[0].course.badge_name} revoked"
                    if revoked and revoked[0].course
                    else None,
                )
            )
    return found


def export_badges(
    session: Session, out: str, base_url: str, formats: Sequence[str], signing_key: str | None
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
    )
