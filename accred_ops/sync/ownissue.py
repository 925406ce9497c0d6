"""The tool's own issues (the sync state, the dashboard, the notification and Credly ledgers):
found by the tool's authorship and proven by its own marked comment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accred_ops.core import marker
from accred_ops.core.state import Issue, Note
from accred_ops.core.tooluser import tools_own

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session


def tools_issue(session: Session, title: str, kind: str) -> tuple[Issue | None, Note | None]:
    """The tool's own issue of this title (the sync state, the dashboard), proven by the
    tool's own comment with a `kind` marker among its oldest: the oldest such. Authorship alone is
    not enough (every course issue is the tool's, and anyone may retitle one), nor is a
    marker in a description anyone can edit."""
    candidates = [
        issue
        for issue in session.gitlab.list_issues([], search=title)
        if tools_own(issue.author, session.bot)
    ]
    for issue in sorted(candidates, key=lambda i: i.iid):
        # the proof is posted right after the issue is made: among its oldest comments,
        # one request however many anyone adds later (a flood costs nothing)
        for note in session.gitlab.first_comments(issue.iid):
            if tools_own(note.author, session.bot) and marker.find(note.body, kind):
                return issue, note
    return None, None
