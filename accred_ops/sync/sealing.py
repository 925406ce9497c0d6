"""Reading sealed records (core/seal.py): the tool's own learner records on tracking objects
GitLab now shows as someone else's — the Ghost User's, after the tool's old bot user was
deleted. Costs nothing without `ACCRED_RECORD_KEY`; with it, in issue mode, one read of
comments per learner issue that someone other than the tool authored and that no cohort
learner or assessor authored (at most MAX_OTHERS)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from accred_ops.core import record, seal
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Note
from accred_ops.core.tooluser import tools_own

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session

MAX_OTHERS = 1000  # of others' tracking objects looked into per listing
Records = dict[int, tuple[LearnerRecord | None, Note | None]]


def use_key(gitlab: object) -> None:
    """The secret that seals records, from `ACCRED_RECORD_KEY` (a masked CI variable): kept on
    the client the executor writes through, never shown."""
    key = os.environ.get("ACCRED_RECORD_KEY", "").strip()
    if key and hasattr(gitlab, "record_key"):
        gitlab.record_key = key.encode()  # type: ignore[attr-defined]


def candidates(session: Session, others: Iterable[Epic]) -> list[Epic]:
    """Others' tracking objects that may hold a sealed record: in epic mode those whose
    description verifies (free); in issue mode those not authored by a learner or assessor
    (their comments are read next)."""
    key = session.gitlab.record_key
    if not key:
        return []
    if not session.gitlab.tracker.record_in_note:
        return [e for e in others if seal.sealed_at(key, e.id, e.description) is not None]
    people = {lr.username.lower() for c in session.ws.cohorts.values() for lr in c.learners}
    people |= {u.lower() for u in session.ws.config.assessors.usernames}
    return [e for e in others if e.author.lower() not in people][:MAX_OTHERS]


def records(
    session: Session, found: Iterable[Epic], notes: Mapping[int, tuple[Note, ...]], in_note: bool
) -> Records:
    """The sealed record of each of `found` that has one."""
    key = session.gitlab.record_key
    if not key:
        return {}
    sealed = {e.id: seal.sealed_record(key, e, notes.get(e.id), in_note) for e in found}
    return {i: r for i, r in sealed.items() if r[0] is not None}


def bare_note(note: Note) -> Note:
    return (
        dataclasses.replace(note, body=seal.unsealed(note.body)) if seal.KIND in note.body else note
    )


def _unsealed_record(session: Session, object_id: int, text: str) -> bool:
    """A record the tool wrote before a key was set (or with another key): written again,
    sealed, on this full pass (one write per learner, once)."""
    key = session.gitlab.record_key
    if not key or record.parse(text) is None:
        return False
    return seal.sealed_at(key, object_id, text) is None


def bare_epics(session: Session, epics: Iterable[Epic]) -> list[Epic]:
    """Tracking objects as plans see them: without seals; in epic mode, an unsealed record of
    the tool's is left out, so that the plan writes it again (and the executor seals it)."""
    bot, in_note = session.bot, session.gitlab.tracker.record_in_note
    found = []
    for epic in epics:
        text = seal.unsealed(epic.description)
        mine = not in_note and tools_own(epic.author, bot)
        if mine and _unsealed_record(session, epic.id, epic.description):
            text = record.strip(text)
        same = text == epic.description
        found.append(epic if same else dataclasses.replace(epic, description=text))
    return found


def bare(
    session: Session, found: Records, notes: dict[int, tuple[Note, ...]]
) -> tuple[Records, dict[int, tuple[Note, ...]]]:
    """Records and comments without their seals: plans compare and rewrite bare text. An
    unsealed record comment (issue mode) is handed on blank, so the plan writes it again."""

    def plan_view(object_id: int, note: Note | None) -> Note | None:
        if note is None:
            return None
        if _unsealed_record(session, object_id, note.body):
            return dataclasses.replace(note, body="")
        return bare_note(note)

    return (
        {i: (r, plan_view(i, n)) for i, (r, n) in found.items()},
        {i: tuple(bare_note(n) for n in ns) for i, ns in notes.items()},
    )
