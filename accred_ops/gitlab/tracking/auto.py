"""`tracking: auto`: epics if the group has them, found out by the first epic listing.

Until then it acts as the epics backend it wraps, but claims nothing it does not know (a
learner might be able to edit the object). The first listing decides for the rest of the run:
403 or 404 (no epics below Premium) switches the client to learner issues, anything else that
succeeds to epics; `tracking_note` says which, for the run's summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import gitlab

from accred_ops.core.state import Epic, Note
from accred_ops.gitlab.errors import gitlab_errors
from accred_ops.gitlab.records import to_epic
from accred_ops.gitlab.tracking.epics import RestEpics

if TYPE_CHECKING:
    from accred_ops.gitlab.host import Host


class FirstListing:
    """The epics backend, until the first listing tells whether the group has epics."""

    noun = "epic"
    is_issue = False
    record_in_note = False
    several_assignees = True
    learners_may_edit = True  # not known yet: assume the worst
    issues_name_parent = True

    def __init__(self, client: Host, epics: RestEpics) -> None:
        self.client = client
        self.epics = epics

    def list(
        self, labels: list[str], search: str | None = None, updated_after: str | None = None
    ) -> list[Epic]:
        client, rows = self.client, None
        with gitlab_errors(self.epics.listing()):
            try:
                rows = self.epics.rows(labels, search, updated_after)
            except gitlab.GitlabHttpError as err:
                if err.response_code not in (403, 404):
                    raise
                client.tracker = client.tracker_for("issue")
                client.tracking_note = (
                    f"tracking learners with learner issues in {client.project_path}: group "
                    f"{client.group_path} has no epics (GitLab answered {err.response_code}; "
                    "epics need Premium or Ultimate)"
                )
        if rows is None:  # found out just now
            return client.tracker.list(labels, search, updated_after)
        client.tracker = self.epics
        client.tracking_note = f"tracking learners with epics in group {client.group_path}"
        return [to_epic(r) for r in rows]

    def get(self, iid: int) -> Epic | None:
        return self.epics.get(iid)

    def create(self, title: str, description: str, labels: list[str]) -> Epic:
        return self.epics.create(title, description, labels)

    def course_issue_fields(self, epic_id: int) -> dict[str, Any]:
        return self.epics.course_issue_fields(epic_id)

    def link(self, epic_iid: int, issue_id: int, issue_iid: int) -> None:
        self.epics.link(epic_iid, issue_id, issue_iid)

    def update(self, iid: int, changes: dict[str, Any]) -> Epic:
        return self.epics.update(iid, changes)

    def comment(self, epic_id: int, iid: int, body: str) -> Note:
        return self.epics.comment(epic_id, iid, body)

    def comments(self, epic_id: int, iid: int) -> list[Note]:
        return self.epics.comments(epic_id, iid)
