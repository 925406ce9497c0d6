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

from accred_ops.core import seal
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Note

if TYPE_CHECKING:
    from accred_ops.sync.session import Session

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


def bare_epic(epic: Epic) -> Epic:
    if seal.KIND not in epic.description:
        return epic
    return dataclasses.replace(epic, description=seal.unsealed(epic.description))


def bare(
    found: Records, notes: dict[int, tuple[Note, ...]]
) -> tuple[Records, dict[int, tuple[Note, ...]]]:
    """Records and comments without their seals: plans compare and rewrite bare text."""
    return (
        {i: (r, bare_note(n) if n else None) for i, (r, n) in found.items()},
        {i: tuple(bare_note(n) for n in ns) for i, ns in notes.items()},
    )
