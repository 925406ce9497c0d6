"""`migrate --to epic|issue`: move every learner's path to the other tracking object.

Progress lives on the course issues (ticks, verdict labels, award comments) and is untouched;
what moves is the object that holds the progress table, the path's stage label and the
path-badge comment. For each learner, in order (so a run killed anywhere can simply be run
again): the new object (or the one an earlier migration left, found by its marker), the course
issues put in it, the path-badge comment copied (so `sync` does not announce it twice), the
open/closed state carried over, the learner record moved to where the new mode keeps it (the
epic's description, or the tool's comment on the learner issue; a record-like text in a learner
issue's description is never copied: anyone could have written it); then the old object gets a
comment pointing to the new one and is closed. Nothing is deleted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from accred_ops.core import marker, record
from accred_ops.core.marker import EpicKey
from accred_ops.core.plan import (
    AddToEpic,
    Change,
    CommentOnEpic,
    CreateEpic,
    UpdateEpic,
    WriteRecord,
)
from accred_ops.core.planner import bot_note
from accred_ops.core.state import Epic, LearnerState, Note
from accred_ops.core.tooluser import tools_own
from accred_ops.errors import AuthenticationError, GitLabError, InputError
from accred_ops.executor import apply_learner
from accred_ops.gitlab import MODES, other_mode
from accred_ops.sync.results import LearnerResult, RunResult
from accred_ops.sync.session import Session

MOVED = "moved"


@contextmanager
def _tracking(session: Session, mode: str) -> Iterator[None]:
    """The adapter reading and writing one kind of tracking object for a while."""
    saved = session.gitlab.tracker
    session.gitlab.tracker = session.gitlab.tracker_for(mode)
    try:
        yield
    finally:
        session.gitlab.tracker = saved


def migrate(session: Session, to: str, dry_run: bool) -> RunResult:
    if to not in MODES:
        raise InputError(f"--to must be epic or issue, not {to!r}")
    source = other_mode(to)
    _ = session.bot  # a bad token fails here, before any write
    result = RunResult(dry_run)
    for program_id in sorted(session.ws.programs):
        with _tracking(session, source):
            old = session.read_program(program_id)
        with _tracking(session, to):
            new = session.read_program(program_id)
        for key in sorted(k for k, state in old.items() if state.epic is not None):
            outcome = LearnerResult("", key.learner)
            try:
                outcome.lines = _move(session, key, old[key], new.get(key), source, to, dry_run)
            except AuthenticationError:
                raise
            except GitLabError as err:
                outcome.error = str(err)
            result.learners.append(outcome)
    return result


@dataclasses.dataclass
class _Run:
    """Applies one mode's changes (a dry run only lists them), collecting the lines to show."""

    session: Session
    dry_run: bool
    lines: list[str] = dataclasses.field(default_factory=list)

    def __call__(self, mode: str, changes: Sequence[Change], target: LearnerState) -> None:
        issue_mode = mode == "issue"  # the plan is worded for the mode it writes to
        self.lines.extend(f"{mode}: {change.describe(issue_mode)}" for change in changes)
        if changes and not self.dry_run:
            with _tracking(self.session, mode):
                apply_learner(self.session.gitlab, changes, target)


def _move(
    session: Session,
    key: EpicKey,
    old: LearnerState,
    found: LearnerState | None,
    source: str,
    to: str,
    dry_run: bool,
) -> list[str]:
    assert old.epic is not None
    run = _Run(session, dry_run)
    # The course issues as the new mode sees them: in an epic (REST says which) or not.
    issues = found.issues if found else {}
    issues = {
        c: issues.get(c) or dataclasses.replace(i, epic_iid=None) for c, i in old.issues.items()
    }
    state = LearnerState(epic=found.epic if found else None, issues=issues)
    if state.epic is None:
        run(to, [_create(session, key, old, to)], state)
    new = state.epic
    if new is None:  # dry run: nothing more can be named
        badge = (
            ", copy the path badge"
            if session.ws.config.labels.accredited in old.epic.labels
            else ""
        )
        run.lines.append(f"{to}: put the course issues in it{badge}, close the old one")
        return run.lines
    _fill(session, run, key, old, found, state, to)
    with _tracking(session, source):
        old_notes = session.gitlab.epic_notes(old.epic.id, old.epic.iid)
    if bot_note(old_notes, MOVED, session.bot):  # moved before: the steps below were done then
        run(source, _retire(session.bot, key, old.epic, old_notes, new.web_url), old)
        return run.lines
    _copy_award(session, run, key, old_notes, state, to)
    if new.state != old.epic.state:
        event = "close" if old.epic.state == "closed" else "reopen"
        run(to, [UpdateEpic(key, new.iid, state_event=event, why="as before the move")], state)
    run(source, _retire(session.bot, key, old.epic, old_notes, (state.epic or new).web_url), old)
    return run.lines


def _create(session: Session, key: EpicKey, old: LearnerState, to: str) -> CreateEpic:
    """The new object: the old one's title, labels and text (its record only where the new
    mode keeps it in the description)."""
    assert old.epic is not None
    learner_label = session.ws.config.labels.learner_issue
    labels = tuple(label for label in old.epic.labels if label != learner_label)
    description = record.strip(marker.defuse(old.epic.description))
    if not session.gitlab.tracker_for(to).record_in_note and old.record is not None:
        description = record.put(description, old.record)
    return CreateEpic(key, old.epic.title, description, labels)


def _fill(
    session: Session,
    run: _Run,
    key: EpicKey,
    old: LearnerState,
    found: LearnerState | None,
    state: LearnerState,
    to: str,
) -> None:
    """The new object's record comment (where the new mode keeps one) and course issues."""
    new, into = state.epic, session.gitlab.tracker_for(to)
    assert new is not None
    if into.record_in_note and old.record is not None and (found is None or found.record is None):
        body = record.note_text(old.record)
        run(to, [WriteRecord(key, new.iid, None, body)], state)
    linked = set() if into.issues_name_parent else session.gitlab.linked_issues(new.iid)
    run(
        to,
        [
            AddToEpic(issue.id, issue.iid, key)
            for issue in state.issues.values()
            if issue.iid not in linked
            if not into.issues_name_parent or issue.epic_iid != new.iid
        ],
        state,
    )


def _copy_award(
    session: Session,
    run: _Run,
    key: EpicKey,
    old_notes: Sequence[Note],
    state: LearnerState,
    to: str,
) -> None:
    """The path-badge comment, copied once, so `sync` does not announce the badge again."""
    new = state.epic
    assert new is not None
    award = next(
        (
            n
            for n in old_notes
            if tools_own(n.author, session.bot) and marker.find(n.body, "path-award")
        ),
        None,
    )
    if award is None:
        return
    with _tracking(session, to):
        state.epic_notes = tuple(session.gitlab.epic_notes(new.id, new.iid))
    fields = marker.find(award.body, "path-award")[0]
    if not bot_note(state.epic_notes, "path-award", session.bot, **fields):
        run(to, [CommentOnEpic(key, new.id, new.iid, award.body, "path badge, copied")], state)


def _retire(bot: str, key: EpicKey, epic: Epic, notes: Sequence[Note], url: str) -> list[Change]:
    """The old object: a comment saying where the path went, then closed (kept, not deleted)."""
    changes: list[Change] = []
    if not bot_note(notes, MOVED, bot):
        body = f"This learning path is now tracked here: {url}\n\n{marker.make(MOVED)}\n"
        changes.append(CommentOnEpic(key, epic.id, epic.iid, body, "moved"))
    if epic.state != "closed":
        changes.append(UpdateEpic(key, epic.iid, state_event="close", why="moved"))
    return changes
