"""A renewal issue a killed run created but never recorded is the renewal, not a reason to
create another (core/renewal.py `orphan`): found among the tool's unclaimed issues (identity
rule 4 of docs/security.md: authored by the tool, assigned to the learner), titled and labelled
for the course and cycle, and adopted only when its history shows no hand but the tool's, as a
course issue is (`tools_hand_only`): one read of its details per such issue, which only a run
after a killed one has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accred_ops.core import renewal
from accred_ops.core.identity import assigned_by_the_tool_only, labelled_by_the_tool_only
from accred_ops.core.model import Cohort
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Issue, IssueDetails, LearnerState

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session


def tools_hand_only(session: Session, issue: Issue) -> IssueDetails | None:
    """The issue's details when only the tool ever changed its assignees and its `course::`
    labels (its system notes, its label events); None: someone else did, never adopted."""
    details = session.gitlab.issue_details(issue.iid)
    prefix = session.ws.config.labels.course_prefix
    if assigned_by_the_tool_only(details.notes, session.bot) and labelled_by_the_tool_only(
        details.events, session.bot, prefix
    ):
        return details
    return None


def adopt_orphans(
    session: Session,
    state: LearnerState,
    cohort: Cohort,
    username: str,
    on_record: LearnerRecord | None = None,
) -> None:
    """Each course's renewal a killed run left unrecorded, adopted as the course's issue. The
    cycle due is the record's (`on_record` when given: `revoke` asks as if its revocation were
    not recorded yet, so a rerun still finds the renewal it ends)."""
    path = session.ws.path_of(cohort)[1]
    today = session.now.date()
    labels = session.ws.config.labels
    deciding = on_record if on_record is not None else state.record
    for course in path.courses:
        cycle = renewal.to_open(course, deciding, today)
        found = state.orphans.get(course.id, ())
        if cycle is None or not found:
            continue
        for issue in renewal.orphan(
            course, username.lower(), cycle, found, labels.course(course.id)
        ):
            details = tools_hand_only(session, issue)
            if details is not None:
                state.issues[course.id], state.details[issue.iid] = issue, details
                break
    state.orphans = {}
