"""Reading: what GitLab holds for a program, grouped by learner by the identity rules, either
everything (a full pass) or only the learners whose objects changed since the last sync
(core/syncstate.py decides which, from the record the last sync left)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accred_ops.core import syncstate
from accred_ops.core.identity import (
    adoptable,
    bind,
    candidate_issue,
    epic_identity,
    tools_own,
    trusted_record,
)
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Labels, LearningPath, Program
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Issue, LearnerState, Note
from accred_ops.sync import handover, sealing
from accred_ops.sync.ownissue import tools_issue

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session

Records = dict[int, tuple[LearnerRecord | None, Note | None]]


@dataclass(frozen=True)
class Reading:
    """How a whole-program sync reads GitLab: everything, or what changed since the record."""

    issue: Issue | None  # the tool's state issue, if there is one
    note: Note | None  # the tool's comment on it that holds the record
    record: syncstate.SyncRecord | None
    full_reason: str | None  # why everything is read; None: only the changes
    started: dt.datetime
    fingerprint: str  # of the program files this run works with

    @property
    def full(self) -> bool:
        return self.full_reason is not None

    @property
    def since(self) -> str | None:
        if self.full or self.record is None:
            return None
        return self.record.since.strftime("%Y-%m-%dT%H:%M:%SZ")

    def worth_recording(self, touched: bool) -> bool:
        """A full pass is always recorded; after reading changes, the record moves forward only
        when it moves by more than the overlap (a run minutes after the last one writes nothing:
        re-reading a few minutes more costs less than the write)."""
        if self.full or self.record is None:
            return True
        return touched and self.started - self.record.since > 2 * syncstate.OVERLAP

    def describe(self) -> str:
        if self.full:
            return f"full pass: {self.full_reason}"
        return f"read what changed since {self.since}"


def reading(session: Session, force_full: bool) -> Reading:
    """Whether this sync reads everything or only what changed, from the record in GitLab:
    the tool's own comment on its state issue. A record that does not read as one (edited,
    naive or future times) means a full pass, never a crash or a freeze."""
    issue, note = tools_issue(session, syncstate.TITLE, syncstate.KIND)
    started = session.gitlab.server_time or session.now  # GitLab's clock: no skew with updated_at
    record = syncstate.read_record(note.body, started) if note else None
    every = session.ws.config.gitlab.full_sync_every_hours
    fingerprint = session.fingerprint()
    reason = "asked for (--full)" if force_full else None
    reason = reason or syncstate.full_pass_reason(record, fingerprint, started, every)
    return Reading(issue, note, record, reason, started, fingerprint)


def program_states(
    session: Session, program_id: str, how: Reading | None, authors: set[str], search: str | None
) -> tuple[dict[EpicKey, LearnerState], set[EpicKey] | None]:
    """One program's learners as this run reads them: the changed ones when reading changes,
    else everyone (or those a `search` finds); touched: None when everyone was read."""
    if how is not None and how.since is not None:
        return changed(session, program_id, how.since, authors)
    return read_program(session, program_id, search), None


def changed(
    session: Session, program_id: str, since: str, authors: set[str]
) -> tuple[dict[EpicKey, LearnerState], set[EpicKey] | None]:
    """The state of every learner with an issue or epic changed since `since`: two listings,
    then two searches per such learner, or the whole program's two listings when that is
    fewer requests. With requests to answer, or a learner whose state looks incomplete (new,
    or an issue retitled by a human, which a search by title misses), everything is read and
    everyone synced (touched: None), as in a full pass."""
    ws, gitlab = session.ws, session.gitlab
    program, labels = ws.programs[program_id], ws.config.labels
    label = labels.program(program_id)
    found = index_states(  # who changed, by what the objects show: a hint, not proof
        gitlab.list_epics([label], updated_after=since),
        gitlab.list_issues([label], updated_after=since),
        program,
        labels,
        session.bot,
    )
    names = sorted({key.learner for key in found})
    everything = bool(authors) or _cheaper_whole(session, program, len(names))
    if everything:
        states = read_program(session, program_id)
    else:
        states = _searched(session, program_id, names)
    if authors or any(not complete(program.path(k.path), states.get(k)) for k in found):
        return (states if everything else read_program(session, program_id)), None
    return states, set(found)


def _cheaper_whole(session: Session, program: Program, changed_learners: int) -> bool:
    """Whether reading the whole program costs no more requests than searching each learner."""
    cohorts = session.ws.cohorts.values()
    learners = sum(len(c.learners) for c in cohorts if c.program == program.id)
    courses = max(len(path.courses) for path in program.paths)
    whole = math.ceil(learners / 100) + math.ceil(learners * courses / 100)
    each = 2  # a learner's epics and issues, searched by name
    if session.gitlab.tracker.record_in_note:  # and every learner issue's comments (its record)
        whole, each = whole + learners, each + 1
    return each * changed_learners >= whole


def _searched(session: Session, program_id: str, names: list[str]) -> dict[EpicKey, LearnerState]:
    """The states of the named learners, one search each (in parallel)."""
    with ThreadPoolExecutor(max_workers=session.ws.config.gitlab.concurrency) as pool:
        found = list(pool.map(lambda n: read_program(session, program_id, f"@{n}"), names))
    return {
        key: state
        for name, part in zip(names, found, strict=True)
        for key, state in part.items()
        if key.learner == name
    }


def read_program(
    session: Session, program_id: str, search: str | None = None
) -> dict[EpicKey, LearnerState]:
    """What GitLab has for a program, by learner and path: two listings, 100 a page, and in
    issue mode the comments of each learner issue the tool authored (its record)."""
    gitlab, labels = session.gitlab, session.ws.config.labels
    label = labels.program(program_id)
    epics = gitlab.list_epics([label], search)  # first: it finds out the tracking mode
    issues = gitlab.list_issues([label], search)
    records, notes = _records(session, epics)
    epics = sealing.bare_epics(session, epics)  # seals checked above; plans compare bare text
    states = index_states(
        epics, issues, session.ws.programs[program_id], labels, session.bot, records
    )
    for state in states.values():
        if state.epic is not None and state.epic.id in notes:
            state.epic_notes = notes[state.epic.id]
    if not session.gitlab.tracker.issues_name_parent:
        # Linked when created: the marker, not the link, ties a course to its learner, and
        # reading every learner issue's links would cost a request per learner.
        for state in states.values():
            if state.epic is not None:
                epic_iid = state.epic.iid
                state.issues = {
                    course: dataclasses.replace(issue, epic_iid=epic_iid)
                    for course, issue in state.issues.items()
                }
    return states


def _records(session: Session, epics: list[Epic]) -> tuple[Records, dict[int, tuple[Note, ...]]]:
    """Each tracking object's trusted record (identity rule 2, core/identity.py): free in
    epic mode (the description), one read of comments per learner issue in issue mode."""
    gitlab, bot = session.gitlab, session.bot
    in_note = session.gitlab.tracker.record_in_note
    mine = [e for e in epics if tools_own(e.author, bot)]
    others = handover.others_writing(epics, bot)
    session.foreign.extend(others)  # thread-safe under the GIL
    sealed = sealing.candidates(session, others)  # none without ACCRED_RECORD_KEY
    notes: dict[int, tuple[Note, ...]] = {}
    if in_note and (mine or sealed):
        with ThreadPoolExecutor(max_workers=session.ws.config.gitlab.concurrency) as pool:
            read = list(pool.map(lambda e: tuple(gitlab.issue_notes(e.iid)), mine + sealed))
        notes = {e.id: n for e, n in zip(mine + sealed, read, strict=True)}
    records = {e.id: trusted_record(e, notes.get(e.id), bot, in_note) for e in mine}
    records |= sealing.records(session, sealed, notes, in_note)
    return sealing.bare(session, records, notes)


def complete(path: LearningPath | None, state: LearnerState | None) -> bool:
    """Whether GitLab has the learner's epic and an issue for every course of the path."""
    if state is None or state.epic is None or path is None:
        return False
    return all(course.id in state.issues for course in path.courses)


def index_states(
    epics: Iterable[Epic],
    issues: Iterable[Issue],
    program: Program,
    labels: Labels,
    bot: str,
    records: Mapping[int, tuple[LearnerRecord | None, Note | None]] | None = None,
) -> dict[EpicKey, LearnerState]:
    """Group what GitLab has by learner and path, by the identity rules of core/identity.py:
    only the tool's own objects; a learner's key and course issues from their record; what no
    record names adopted by marker (or labels) and assignee. The oldest copy wins a duplicate."""
    records = records or {}
    named = {i for found, _ in records.values() if found for i in found.named()}
    pool = {i.id: i for i in issues if tools_own(i.author, bot) or i.id in named}
    states: dict[EpicKey, LearnerState] = {}
    for epic in sorted(epics, key=lambda e: e.iid):
        if not tools_own(epic.author, bot) and records.get(epic.id, (None,))[0] is None:
            continue  # neither the tool's by author nor by its sealed record (core/seal.py)
        found, note = records.get(epic.id, (None, None))
        key = found.key if found is not None else epic_identity(epic, program)
        if key is not None and key.program == program.id and key not in states:
            states[key] = LearnerState(epic=epic, record=found, record_note=note)
    claimed = {i for s in states.values() if s.record for i in s.record.named()}
    for state in states.values():
        if state.record is not None:
            state.issues = bind(state.record, pool)
    for issue in sorted(pool.values(), key=lambda i: i.iid):
        key = candidate_issue(issue, program, labels)
        if key is None or not adoptable(issue, key, bot, claimed):
            continue
        state = states.setdefault(key.epic, LearnerState())
        if state.record is None or key.course not in state.record.issues:
            state.candidates[key.course] = (*state.candidates.get(key.course, ()), issue)
            state.issues.setdefault(key.course, issue)  # for reports; sync checks it first
        else:
            state.orphans[key.course] = (*state.orphans.get(key.course, ()), issue)
    return states
