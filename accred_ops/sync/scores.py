"""Importing exam scores (`scores import`, and the `scores/` folder on a sync): exam results
(checked by files/scores_csv.py) become the tool's own score comments and exam verdicts on the
learners' course issues (the rules: core/scores.py).

Reads: each program's listing (as a full pass of `sync` does); for each course issue with a row
whose attempt is not on the learner's record (core/score_record.py), its comments, only where
the listing counts one (`user_notes_count`: 0 means nobody, the tool included, commented); its
label events only where `exam::passed` is on it, a row is not among the tool's score comments
and none of them is a pass. Writes: one comment per new attempt and at most one label edit per
issue. A re-import writes nothing (and, once a sync recorded the attempts, reads only the
listing). A learner whose issue is not there yet (in a cohort, not enrolled) is reported, not
fatal; a learner's failure stops no other. The verdicts' consequences (the award, the practical
opening) follow with the next `sync`.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accred_ops.core.model import Cohort, Course
from accred_ops.core.progress import standing_verdicts
from accred_ops.core.score_record import imported
from accred_ops.core.scores import PASSED, ScoreInput, ScoreRow, plan_attempts, recorded
from accred_ops.core.state import Issue, IssueDetails, LearnerState, Note
from accred_ops.errors import AuthenticationError, GitLabError, InputError
from accred_ops.executor import Rehearsal, apply_learner
from accred_ops.files.scores_csv import Placed
from accred_ops.sync.results import LearnerResult, RunResult
from accred_ops.sync.selection import key

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session
    from accred_ops.sync.reading import Reading
    from accred_ops.sync.selection import Scope

SECRET_VARIABLE = "ACCRED_SCORES_SECRET"


def check_signature(data: bytes, signature: str | None, secret: str | None) -> None:
    """`sha256=<hex>`: HMAC-SHA256 of the file's bytes with the shared secret, or InputError.
    The secret is never part of a message."""
    if not secret:
        raise InputError(f"--signature needs the secret in {SECRET_VARIABLE}: nothing was sent")
    if not signature or not signature.startswith("sha256="):
        raise InputError("--signature must read sha256=<hex>: nothing was sent")
    wanted = hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(wanted, signature.removeprefix("sha256=").strip().lower()):
        raise InputError("the file's signature does not match: nothing was sent")


def import_scores(session: Session, placed: Sequence[Placed], dry_run: bool) -> RunResult:
    """Every learner with rows, program by program; the changes made (or, dry, planned)."""
    result = RunResult(dry_run)
    _ = session.bot  # a bad token fails here, before anything else
    grouped: dict[str, dict[tuple[str, str], list[ScoreRow]]] = defaultdict(dict)
    cohorts: dict[str, Cohort] = {}
    for item in placed:
        cohorts[item.cohort.id] = item.cohort
        rows = grouped[item.cohort.program].setdefault((item.cohort.id, item.row.learner), [])
        rows.append(item.row)
    for program_id in sorted(grouped):
        states = session.read_program(program_id)
        for (cohort_id, username), rows in sorted(grouped[program_id].items()):
            cohort = cohorts[cohort_id]
            state = states.get(key(cohort, username)) or LearnerState()
            outcome = LearnerResult(cohort_id, username)
            try:
                outcome.lines, late = _learner(session, cohort, username, state, rows, dry_run)
            except AuthenticationError:
                raise
            except GitLabError as err:
                outcome.error, late = str(err), []
            result.notices += late
            result.learners.append(outcome)
    return result


def _learner(
    session: Session,
    cohort: Cohort,
    username: str,
    state: LearnerState,
    rows: Sequence[ScoreRow],
    dry_run: bool,
) -> tuple[list[str], list[str]]:
    """One learner's new attempts, course by course; and the rows of courses not enrolled yet."""
    labels, bot = session.ws.config.labels, session.bot
    path = session.ws.path_of(cohort)[1]
    target: object = session.gitlab
    if dry_run:
        state = copy.deepcopy(state)
        target = Rehearsal(state, username, bot, session.gitlab.tracker)
    lines: list[str] = []
    notices: list[str] = []
    by_course: dict[str, list[ScoreRow]] = defaultdict(list)
    for row in rows:
        by_course[row.course].append(row)
    for course_id, course_rows in sorted(by_course.items()):
        course = path.course(course_id)
        issue = state.issues.get(course_id)
        if course is None or issue is None:
            notices.append(
                f"@{username} is not enrolled in '{course_id}' yet: "
                f"{len(course_rows)} row(s) not imported ({course_rows[0].source})"
            )
            continue
        on_record = imported(state.record, course_id)
        if all(row.key in on_record for row in course_rows):
            continue  # every attempt imported already: no comment to read
        notes = _notes(session, state, issue)
        passed = _assessor_passed(session, state, issue, username, notes, course_rows, course)
        given = ScoreInput(labels, bot, username, session.texts, passed)  # type: ignore[arg-type]
        changes = plan_attempts(given, course, issue, notes, course_rows)
        lines += [change.describe(session.gitlab.tracker.is_issue) for change in changes]
        apply_learner(target, changes, state)  # type: ignore[arg-type]
    return lines, notices


def _notes(session: Session, state: LearnerState, issue: Issue) -> tuple[Note, ...]:
    """The issue's comments, where its recorded attempts are (one read, 100 a page); none read
    when GitLab's listing counts no comment on it (nobody, the tool included, has written one:
    a first import on quiet issues costs no read)."""
    known = state.details.get(issue.iid)
    if known is None:
        notes = () if issue.user_notes == 0 else tuple(session.gitlab.issue_notes(issue.iid))
        known = state.details[issue.iid] = IssueDetails((), notes)
    return known.notes


def _assessor_passed(
    session: Session,
    state: LearnerState,
    issue: Issue,
    username: str,
    notes: Sequence[Note],
    rows: Sequence[ScoreRow],
    course: Course,
) -> bool:
    """Whether an assessor's `exam::passed` stands on the issue (then a score changes no
    verdict). Its label events are read only when it could matter: the label is on the issue, a
    row is not among the tool's score comments, and none of them is a pass already."""
    labels = session.ws.config.labels
    if labels.exam_passed not in issue.labels:
        return False
    attempts = recorded(notes, session.bot, course)
    known = {a.key for a in attempts}
    if all(row.key in known for row in rows) or any(a.outcome == PASSED for a in attempts):
        return False
    events = tuple(session.gitlab.label_events(issue.iid))
    state.details[issue.iid] = IssueDetails(events, tuple(notes))
    return labels.exam_passed in standing_verdicts(
        labels, events, session.authority(full=True), username
    )


@dataclass(frozen=True)
class Folder:
    """The `scores/` folder beside accred.yml, checked: its rows, and a digest of its files (a
    change means the next sync is a full pass). `app/session.py` sets it on the session as
    `scores`."""

    rows: tuple[Placed, ...] = ()
    digest: str = ""


def folder(session: Session) -> Folder:
    found = getattr(session, "scores", None)
    return found if isinstance(found, Folder) else Folder()


def import_folder(
    session: Session,
    result: RunResult,
    syncing: bool,
    how: Reading | None,
    scope: Scope,
    dry_run: bool,
) -> None:
    """The `scores/` folder's new attempts, before a sync reads its learners (so this run's
    plans see them): on every full pass and on a sync narrowed to a cohort or learner (shard 1
    only). The changes join the run's group lines; a learner's failure, its learners."""
    if not syncing or (how is not None and not how.full) or (scope.shard or (1, 1))[0] != 1:
        return
    chosen = [
        p
        for p in folder(session).rows
        if scope.cohort_id in (None, p.cohort.id)
        and (scope.username or "").lower() in ("", p.row.learner)
    ]
    if not chosen:
        return
    imported = import_scores(session, chosen, dry_run)
    result.notices += imported.notices
    for learner in imported.learners:
        result.group_lines += [f"@{learner.username}: {line}" for line in learner.lines]
        if learner.error:
            result.learners.append(learner)
