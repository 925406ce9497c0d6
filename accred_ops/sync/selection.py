"""Selecting: which learners a run works on. A whole program, one cohort, one learner, one shard
of a parallel CI run, or the one learner a webhook event concerns; every way ends as a `Scope`
the later stages read, so a new way of choosing is a new function here, not a branch in `run`.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accred_ops.core.event import EPIC, plain
from accred_ops.core.event import Selection as Event
from accred_ops.core.identity import epic_identity, issue_identity
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Cohort, Workspace
from accred_ops.core.state import Epic, Issue
from accred_ops.core.tooluser import tools_own
from accred_ops.errors import InputError

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session


@dataclass(frozen=True)
class Scope:
    """The learners a run may touch: the cohorts chosen, and within them one learner, one shard."""

    cohorts: tuple[Cohort, ...]
    cohort_id: str | None = None
    username: str | None = None
    shard: tuple[int, int] | None = None  # (i, n), 1-based: shard i of n

    @property
    def narrowed(self) -> bool:
        """Anything less than every learner of every cohort: such a run reads fully, records
        nothing, and leaves feedback to the whole-program run."""
        return bool(self.cohort_id or self.username or self.shard)

    @property
    def programs(self) -> list[str]:
        return sorted({cohort.program for cohort in self.cohorts})

    def takes(self, username: str) -> bool:
        """Whether a learner of a chosen cohort (or a request's author) is in this run."""
        if self.username is not None and username.lower() != self.username.lower():
            return False
        return self.shard is None or in_shard(username, *self.shard)


def choose(
    ws: Workspace,
    cohort_id: str | None = None,
    username: str | None = None,
    shard: tuple[int, int] | None = None,
) -> Scope:
    """The scope of `enroll`/`sync` options; an unknown cohort or learner is an input error,
    before any request (a learner of an open path may be known to GitLab only)."""
    cohorts = tuple(c for c in ws.cohorts.values() if cohort_id in (None, c.id))
    if cohort_id and not cohorts:
        raise InputError(f"no cohort '{cohort_id}' (known: {', '.join(sorted(ws.cohorts))})")
    listed = any(
        lr.username.lower() == (username or "").lower() for c in cohorts for lr in c.learners
    )
    if username and not listed and not any(c.self_enrollment for c in cohorts):
        raise InputError(f"'{username}' is not a learner of any selected cohort")
    return Scope(cohorts, cohort_id, username, shard)


def learners(
    ws: Workspace, scope: Scope, program_id: str, touched: set[EpicKey] | None
) -> list[tuple[Cohort, str]]:
    """The (cohort, username) pairs of one program this run syncs, from `ws` (which counts the
    learners accepted this run); `touched`, when reading changes only, keeps those changed."""
    return [
        (cohort, learner.username)
        for cohort in (ws.cohorts[c.id] for c in scope.cohorts if c.program == program_id)
        for learner in cohort.learners
        if scope.takes(learner.username)
        if touched is None or key(cohort, learner.username) in touched
    ]


def requests(found: Iterable[Issue], scope: Scope, bot: str) -> list[Issue]:
    """The self-enrollment requests this run answers: by someone else than the tool, in scope."""
    return [r for r in found if r.author and not tools_own(r.author, bot) and scope.takes(r.author)]


def in_shard(username: str, index: int, total: int) -> bool:
    """Stable across runs and machines (not Python's salted hash): crc32 of the username."""
    return zlib.crc32(username.lower().encode()) % total == index - 1


def key(cohort: Cohort, username: str) -> EpicKey:
    return EpicKey(username.lower(), cohort.program, cohort.path)


# --- an event: the one learner a webhook payload concerns ------------------------------------


def of_event(session: Session, event: Event) -> tuple[str | None, str]:
    """The learner an event concerns (then synced as `sync --learner` is), or None and why the
    event is ignored. The payload only says where to look; what is true is read from GitLab."""
    config = session.ws.config.gitlab
    if event.kind == EPIC:
        if event.group and event.group.lower() != config.group.lower():
            return None, f"an epic of {plain(event.group)}, not {config.group}"
    elif event.project is None or event.project.lower() != config.project.lower():
        return None, f"an issue of {plain(event.project or 'no project')}, not {config.project}"
    if tools_own(event.actor, session.bot):  # the first request: the token's user
        return None, "the tool's own change"
    username = (
        learner_for_epic(session, event.iid)
        if event.kind == EPIC
        else learner_for_issue(session, event.iid)
    )
    return username, "" if username else "not part of the program"


def learner_for_issue(session: Session, iid: int) -> str | None:
    """Whose program state an issue of the project belongs to, from the issue as GitLab has it
    now (never from the payload): a course issue's or learner issue's learner, as the identity
    code recognises them, or the author of an open self-enrollment request. The one place that
    decides which learner an event concerns."""
    issue = session.gitlab.get_issue(iid)
    if issue is None:
        return None
    labels = session.ws.config.labels
    if labels.enrollment_request in issue.labels and issue.state == "opened":
        open_paths = any(c.self_enrollment for c in session.ws.cohorts.values())
        return issue.author if open_paths and issue.author else None
    for program in session.ws.programs.values():
        if labels.program(program.id) not in issue.labels:
            continue
        if labels.learner_issue in issue.labels:
            return _epic_learner(session, _as_epic(issue))
        found = issue_identity(issue, program, labels)
        if found is not None:
            return found.learner
    return None


def learner_for_epic(session: Session, iid: int) -> str | None:
    """Whose path an epic of the group tracks, from the epic as GitLab has it now."""
    epic = session.gitlab.get_epic(iid)
    return _epic_learner(session, epic) if epic else None


def _epic_learner(session: Session, epic: Epic) -> str | None:
    for program in session.ws.programs.values():
        if session.ws.config.labels.program(program.id) in epic.labels:
            found = epic_identity(epic, program)
            if found is not None:
                return found.learner
    return None


def _as_epic(issue: Issue) -> Epic:
    return Epic(
        issue.id,
        issue.iid,
        issue.title,
        issue.description,
        issue.labels,
        issue.state,
        issue.web_url,
        issue.created_at,
        issue.updated_at,
    )
