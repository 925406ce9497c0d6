"""The object that tracks a learner's path, behind one protocol, and the one factory choosing it.

GitLab offers three ways (the backends in `tracking/`, reached only through this module):
group epics over REST, group epics created and parented through the Work Items GraphQL API,
and on GitLab Free a "learner issue" in the project. Callers never ask which one is in use:
they ask the facts they need (`record_in_note`, `several_assignees`, ...), so a fourth way is
one new module and one line here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from accred_ops.core.state import Epic, Note
from accred_ops.gitlab.tracking.auto import FirstListing
from accred_ops.gitlab.tracking.epics import RestEpics
from accred_ops.gitlab.tracking.learner_issues import LearnerIssues
from accred_ops.gitlab.tracking.work_items import WorkItemEpics

if TYPE_CHECKING:
    from accred_ops.gitlab.adapter import GitLabAdapter

MODES = ("epic", "issue")  # what `gitlab.tracking` and `migrate --to` may name, besides auto


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


def make_tracker(client: GitLabAdapter, mode: str, api: str) -> Tracker:
    """The backend for `gitlab.tracking` (epic | issue | auto) and `gitlab.api` (rest |
    workitems); `auto` is decided by the first epic listing (`tracking/auto.py`)."""
    if mode == "issue":
        return LearnerIssues(client)
    if mode == "auto":  # wraps the very epics backend it may become (its caches with it)
        epics = client.tracker_for("epic")
        assert isinstance(epics, RestEpics)
        return FirstListing(client, epics)
    return WorkItemEpics(client) if api == "workitems" else RestEpics(client)


def other_mode(mode: str) -> str:
    """The mode `migrate` moves away from when it moves to `mode`."""
    return "issue" if mode == "epic" else "epic"
