"""A record the tool keeps in its own comment on a closed issue of its own (the chat
notifications' ledger, the Credly badges it issued): found again by the comment's marker and
author (sync/session.py, tools_issue), so no learner can write it; made the first time it is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accred_ops.core.state import Issue, Note
from accred_ops.sync.ownissue import tools_issue

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session


@dataclass
class OwnNote:
    title: str  # the issue's title
    issue_text: str  # its description, holding a marker of its own
    kind: str  # the marker in the comment that proves it (with the comment's author)
    issue: Issue | None = None
    note: Note | None = None

    def read(self, session: Session) -> str | None:
        """The comment's text, or None when there is none yet."""
        self.issue, self.note = tools_issue(session, self.title, self.kind)
        return self.note.body if self.note else None

    def write(self, session: Session, text: str) -> None:
        """`text` in the comment (the issue made and closed, out of everyone's way, the first
        time); nothing sent when it already says so."""
        gitlab = session.gitlab
        if self.note is not None and self.issue is not None:
            if self.note.body != text:
                self.note = gitlab.edit_issue_note(self.issue.iid, self.note.id, text)
            return
        if self.issue is None:
            self.issue = gitlab.create_plain_issue(self.title, self.issue_text)
            gitlab.update_issue(self.issue.iid, {"state_event": "close"})
        self.note = gitlab.comment_on_issue(self.issue.iid, text)
