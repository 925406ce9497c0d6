"""Self-enrollment requests: read the open ones, decide each by the pure rules of
core/enrollment.py (at once when refused, with the program's state when a path is chosen),
and answer each once with the link to the learner's epic."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from accred_ops.core.context import Mode
from accred_ops.core.enrollment import (
    Decision,
    Outcome,
    decide,
    open_choices,
    plan_answer,
    reply_marker,
    with_self_enrolled,
)
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Workspace
from accred_ops.core.plan import UpdateIssue
from accred_ops.core.progress import added_by
from accred_ops.core.state import Issue, LearnerState
from accred_ops.errors import AuthenticationError, GitLabError
from accred_ops.executor import apply_request
from accred_ops.sync import selection
from accred_ops.sync.results import LearnerResult
from accred_ops.sync.selection import Scope

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session

Answered = list[tuple[Decision, dict[EpicKey, LearnerState]]]


def open_requests(
    session: Session, mode: Mode, scope: Scope
) -> tuple[Answered, dict[str, list[Issue]]]:
    """Open self-enrollment requests (sync, not narrowed to a cohort, some path open): those
    decided at once (refused), and those waiting for their program's state, by program."""
    ws, gitlab = session.ws, session.gitlab
    if mode is not Mode.SYNC or scope.cohort_id or not open_choices(ws):
        return [], {}
    listed = gitlab.list_issues([ws.config.labels.enrollment_request], state="opened")
    found = selection.requests(listed, scope, session.bot)
    if not found:
        return [], {}
    allowed = set(gitlab.project_members())  # only members can be assigned issues
    if groups := ws.config.enrollment_groups:
        allowed &= set().union(*(gitlab.group_members(g) for g in groups))
    answered: Answered = []
    pending: dict[str, list[Issue]] = {}
    authors: set[str] = set()
    for request in sorted(found, key=lambda r: r.iid):
        if not asked_by_author(session, request):
            continue  # someone else's label on another's issue: not a request, left alone
        if request.author.lower() in authors:  # one answer per author a run: the oldest
            answered.append((Decision(request, Outcome.ONE_PER_RUN), {}))
            continue
        authors.add(request.author.lower())
        decision = decide(ws, request, request.author.lower() in allowed, {})
        if decision.choice:  # accepted or already enrolled: the program's state tells
            pending.setdefault(decision.choice.program.id, []).append(request)
        else:
            answered.append((decision, {}))
    return answered, pending


def asked_by_author(session: Session, request: Issue) -> bool:
    """Whether the request label was put on the issue by its author: only they can ask to be
    enrolled. A Reporter can label anybody's issue; GitLab records who added each label (also
    the labels set at creation, as the creator's), so one read per open request tells."""
    label = session.ws.config.labels.enrollment_request
    event = added_by(label, session.gitlab.label_events(request.iid))
    return event is not None and event.user.lower() == request.author.lower()


def decisions(
    session: Session, found: Iterable[Issue], states: Mapping[EpicKey, LearnerState]
) -> tuple[list[Decision], Workspace]:
    """A program's waiting requests decided with its state, and the workspace that counts the
    learners they accept (an earlier version's self-enrolled learners adopted in epic mode)."""
    made = [decide(session.ws, r, True, states) for r in found]
    accepted = [d for d in made if d.outcome is Outcome.ACCEPTED]
    return made, with_self_enrolled(session.ws, states, accepted, session.adopt_epics)


def answer(
    session: Session, decision: Decision, states: Mapping[EpicKey, LearnerState], dry_run: bool
) -> LearnerResult:
    """Reply to a request (with the link to the learner's epic) and close it. An accepted
    request whose learner could not be enrolled stays open, to be answered next run."""
    request = decision.request
    cohort = decision.choice.cohort.id if decision.choice else ""
    outcome = LearnerResult(cohort, request.author)
    if decision.outcome is Outcome.ONE_PER_RUN:
        return close_quietly(session, request.iid, "request", dry_run, outcome)
    try:
        state = states.get(decision.key) if decision.key else None
        epic_url = state.epic.web_url if state and state.epic else decision.epic_url
        if decision.outcome is Outcome.ACCEPTED and epic_url is None and not dry_run:
            return outcome
        body = session.texts.enrollment_reply(
            decision,
            open_choices(session.ws),
            epic_url or "(created by this run)",
            session.ws.config.enrollment_groups,
            reply_marker(request),
        )
        notes = session.gitlab.issue_notes(request.iid)
        changes = plan_answer(decision, body, notes, session.bot)
        outcome.lines = [change.describe(session._issue_mode) for change in changes]
        if not dry_run:
            apply_request(session.gitlab, changes)
    except AuthenticationError:
        raise
    except GitLabError as err:
        outcome.error = str(err)
    return outcome


def close_quietly(
    session: Session, iid: int, what: str, dry_run: bool, outcome: LearnerResult
) -> LearnerResult:
    """Close one of a flood of an author's issues without a comment (their first one this
    run is answered), and say so in the run's output."""
    why = f"another {what} by @{outcome.username} is answered this run; closed without a reply"
    change = UpdateIssue(iid, (), (), "close", why)
    outcome.lines = [change.describe(session._issue_mode)]
    try:
        if not dry_run:
            apply_request(session.gitlab, [change])
    except AuthenticationError:
        raise
    except GitLabError as err:
        outcome.error = str(err)
    return outcome
