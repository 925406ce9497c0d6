"""Feedback triage: course feedback issues labelled with their course once, or answered once
with the course ids (the pure rules are core/feedback.py); of an author's issues naming no
course, one is answered a run and the others closed without a reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accred_ops.core.feedback import needs_notes, plan_feedback
from accred_ops.core.tooluser import tools_own
from accred_ops.errors import AuthenticationError, GitLabError
from accred_ops.executor import apply_request
from accred_ops.sync.requests import close_quietly
from accred_ops.sync.results import LearnerResult

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session


def triage(session: Session, since: str | None, dry_run: bool) -> list[LearnerResult]:
    """Course feedback issues (open, changed since the last sync when reading changes):
    each labelled with its course once, or answered once with the course ids. Their
    comments are read only for those that name no known course."""
    labels, gitlab = session.ws.config.labels, session.gitlab
    programs = [session.ws.programs[key] for key in sorted(session.ws.programs)]
    found = gitlab.list_issues([labels.feedback], state="opened", updated_after=since)
    results = []
    answered: set[str] = set()  # authors whose feedback naming no course is answered this run
    for issue in sorted(found, key=lambda i: i.iid):
        if tools_own(issue.author, session.bot):
            continue
        outcome = LearnerResult("feedback", issue.author)
        unknown = needs_notes(issue, programs, labels)
        if unknown and issue.author.lower() in answered:  # a flood: one reply per author a run
            results.append(close_quietly(session, issue.iid, "feedback issue", dry_run, outcome))
            continue
        answered |= {issue.author.lower()} if unknown else set()
        try:
            notes = gitlab.issue_notes(issue.iid) if unknown else None
            changes = plan_feedback(issue, programs, labels, notes, session.bot, session.texts)
            outcome.lines = [change.describe() for change in changes]
            if changes and not dry_run:
                apply_request(gitlab, changes)
        except AuthenticationError:
            raise
        except GitLabError as err:
            outcome.error = str(err)
        if outcome.lines or outcome.error:
            results.append(outcome)
    return results
