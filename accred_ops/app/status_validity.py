"""`status` for badges that expire: each course's current issue (a renewal, once one is open)
and its validity, from the learner record (read only for a program whose badges expire)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from accred_ops.core import expiry
from accred_ops.core.model import Program
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Issue

if TYPE_CHECKING:
    from accred_ops.sync.session import Session


class Row(Protocol):
    """What this module reads and sets of a `status` row (app/status.py's StatusRow)."""

    url: str | None
    valid_until: str | None
    renews_on: str | None
    expired_since: str | None


R = TypeVar("R", bound=Row)


def with_validity(
    session: Session,
    program: Program,
    username: str,
    rows: list[R],
    issues: list[Issue],
    rows_of: Callable[[list[Issue]], list[R]],
) -> list[R]:
    """`rows` with each awarded badge's validity; a renewal's row in place of the old issue's
    (`rows_of` makes the rows of the issues the record names, as `status` makes its own)."""
    if not any(c.validity for c in program.courses()):
        return rows  # nothing expires: nothing more is read
    on_record = _record(session, program, username)
    if on_record is None:
        return rows
    current = [i for i in issues if i.id in on_record.issues.values()]
    rows = rows_of(current) if current else rows
    today = session.now.date()
    by_id = {c.id: c for c in program.courses()}
    ids = {i.id: i.web_url for i in current}  # each row's course, by its recorded issue
    course_of = {ids[gid]: by_id.get(c) for c, gid in on_record.issues.items() if gid in ids}
    found = []
    for row in rows:
        course = course_of.get(row.url)
        seen = expiry.shown(course, on_record, today) if course else None
        if seen is not None:
            row = dataclasses.replace(
                row,
                valid_until=seen.valid_until,
                renews_on=seen.renews_on,
                expired_since=seen.expired_since,
            )
        found.append(row)
    return found


def _record(session: Session, program: Program, username: str) -> LearnerRecord | None:
    states = session.read_program(program.id, f"@{username}")
    return next(
        (s.record for k, s in states.items() if k.learner == username.lower() and s.record),
        None,
    )
