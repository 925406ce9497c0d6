"""Round-robin routing's counts: how many issues wait for each assessor, read once a run."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from accred_ops.core import marker
from accred_ops.core.state import Note
from accred_ops.core.tooluser import tools_own

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session


class AssessorLoad:
    """Issues waiting for each assessor, for round-robin routing: read once, on the first pick,
    from the open issues in assessment (their assignees), then kept up to date as this run
    assigns. One pick per issue however often a learner is planned again. The waiting issues'
    routing comments (the tool's own) say whom each was given to, on every tier (a request
    per waiting issue of the tool's, once a run, and only in a run that routes)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._counts: dict[str, int] | None = None
        self._picked: dict[int, str] = {}

    def _read(self) -> dict[str, int]:
        """Only the tool's own course issues count, and only the assessor the tool's own
        routing comment named: an issue anyone can create, label `assessment` and assign to
        an assessor (a Guest may, at creation) loads nobody, so nobody steers the choice."""
        counts: dict[str, int] = {}
        gitlab, labels = self.session.gitlab, self.session.ws.config.labels
        for issue in gitlab.list_issues([labels.assessment], state="opened"):
            if not tools_own(issue.author, self.session.bot):
                continue
            for name in self._named(gitlab.issue_notes(issue.iid)):
                counts[name.lower()] = counts.get(name.lower(), 0) + 1
        return counts

    def _named(self, notes: Sequence[Note]) -> list[str]:
        """The assessor the tool's latest routing comment on an issue chose, if any."""
        bot = self.session.bot
        chosen = [
            fields["to"]
            for note in notes
            if tools_own(note.author, bot)
            for fields in marker.find(note.body, "routed")
            if fields.get("to")
        ]
        return chosen[-1:]

    def pick(self, iid: int, candidates: Sequence[str]) -> str:
        """The candidate with the fewest issues waiting (ties: by name); the same one for an
        issue however often it is planned in this run."""
        with self._lock:
            if iid in self._picked:
                return self._picked[iid]
            if self._counts is None:
                self._counts = self._read()
            counts = self._counts
            chosen = min(candidates, key=lambda n: (counts.get(n.lower(), 0), n.lower()))
            counts[chosen.lower()] = counts.get(chosen.lower(), 0) + 1
            self._picked[iid] = chosen
            return chosen
