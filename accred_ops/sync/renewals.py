"""A renewal issue a killed run created but never recorded is the renewal, not a reason to
create another (core/renewal.py `orphan`): found among the tool's unclaimed issues, no request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accred_ops.core import renewal
from accred_ops.core.model import Cohort
from accred_ops.core.state import LearnerState

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session


def adopt_orphans(session: Session, state: LearnerState, cohort: Cohort, username: str) -> None:
    path = session.ws.path_of(cohort)[1]
    today = session.now.date()
    for course in path.courses:
        cycle = renewal.to_open(course, state.record, today)
        found = renewal.orphan(course, username.lower(), cycle, state.orphans.get(course.id, ()))
        if cycle is not None and found is not None:
            state.issues[course.id] = found
    state.orphans = {}
