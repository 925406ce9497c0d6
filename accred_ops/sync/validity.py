"""`status` for badges that expire: each course's current issue (a renewal, once one is open)
and its validity, from the learner record (read only for a program whose badges expire)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from accred_ops.core import expiry
from accred_ops.core.model import Program
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Issue

if TYPE_CHECKING:
    from accred_ops.sync.session import Session
    from accred_ops.sync.status import StatusRow


def with_validity(
    session: Session, program: Program, username: str, rows: list[StatusRow], issues: list[Issue]
) -> list[StatusRow]:
    """`rows` with each awarded badge's validity; a renewal's row in place of the old issue's."""
    if not any(c.validity for c in program.courses()):
        return rows  # nothing expires: nothing more is read
    on_record = _record(session, program, username)
    if on_record is None:
        return rows
    from accred_ops.sync.status import _rows

    current = [i for i in issues if i.id in on_record.issues.values()]
    rows = _rows(session, program, current, username) if current else rows
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
