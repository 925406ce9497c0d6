"""What the tracking backends (gitlab/tracking/) may use of the client, and the protocol they
speak: `Host` is `GitLabAdapter` without the choice of backend, which gitlab/adapter.py makes
through gitlab/tracker.py. The backends import this module, never the adapter that builds them.
"""

from __future__ import annotations

from typing import Any, Protocol

from accred_ops.core.state import Epic, Note
from accred_ops.gitlab.boards import Boards
from accred_ops.gitlab.issues import Issues
from accred_ops.gitlab.people import People


class Tracker(Protocol):
    """A learner's tracking object: find, create, link course issues, update, comment."""

    noun: str  # its name in messages: "epic", "learner issue"
    is_issue: bool  # an issue of the project: plans word their changes for one
    record_in_note: bool  # the learner record is the tool's comment, not the description
    several_assignees: bool  # the tier allows several assignees (and epics): assign assessors
    learners_may_edit: bool  # a learner can write it, so its labels prove nothing
    issues_name_parent: bool  # a course issue's REST record names its tracking object

    def list(
        self, labels: list[str], search: str | None = None, updated_after: str | None = None
    ) -> list[Epic]: ...

    def get(self, iid: int) -> Epic | None: ...

    def create(self, title: str, description: str, labels: list[str]) -> Epic: ...

    def course_issue_fields(self, epic_id: int) -> dict[str, Any]: ...

    def link(self, epic_iid: int, issue_id: int, issue_iid: int) -> None: ...

    def update(self, iid: int, changes: dict[str, Any]) -> Epic: ...

    def comment(self, epic_id: int, iid: int, body: str) -> Note: ...

    def comments(self, epic_id: int, iid: int) -> list[Note]: ...


class Host(People, Boards, Issues):
    """The client a backend is given: python-gitlab behind plain methods, and the adapter's
    learner tracking (the backend in use, `auto`'s finding) that `auto` may switch."""

    tracking_note: str  # what `auto` found out, for the run's summary
    tracker: Tracker

    def tracker_for(self, mode: str) -> Tracker:  # pragma: no cover - GitLabAdapter's
        raise NotImplementedError

    def list_epics(
        self, labels: list[str], search: str | None = None, updated_after: str | None = None
    ) -> list[Epic]:  # pragma: no cover - GitLabAdapter's
        raise NotImplementedError
