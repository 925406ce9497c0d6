"""Group epics over REST (GitLab Premium or Ultimate): the course issues are put in the epic."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from gitlab.v4.objects import GroupEpic

from accred_ops.core import marker
from accred_ops.core.state import Epic, Note
from accred_ops.gitlab.errors import gitlab_errors
from accred_ops.gitlab.records import to_epic, to_note

if TYPE_CHECKING:
    from accred_ops.gitlab.host import Host


class RestEpics:
    """One group epic per learner; its description holds the learner record."""

    noun = "epic"
    is_issue = False
    record_in_note = False
    several_assignees = True
    learners_may_edit = False
    issues_name_parent = True

    def __init__(self, client: Host) -> None:
        self.client = client

    def rows(
        self, labels: list[str], search: str | None, updated_after: str | None
    ) -> list[dict[str, Any]]:
        """The listing as GitLab answers it, errors unconverted (`auto` looks at 403/404)."""
        filters: dict[str, Any] = {"labels": labels, "state": "all"}
        if search:
            filters["search"] = search
        if updated_after:
            filters["updated_after"] = updated_after
        return self.client.rows(self.client.group.epics, **filters)

    def listing(self) -> str:
        return f"listing epics of group {self.client.group_path} (epics need GitLab Premium or Ultimate)"

    def list(
        self, labels: list[str], search: str | None = None, updated_after: str | None = None
    ) -> list[Epic]:
        with gitlab_errors(self.listing()):
            rows = self.rows(labels, search, updated_after)
        return [to_epic(r) for r in rows]

    def get(self, iid: int) -> Epic | None:
        group = self.client.group
        found = self.client.get_one(f"reading epic &{iid}", lambda: group.epics.get(iid))
        return to_epic(dataclasses.asdict(found)) if found else None

    def create(self, title: str, description: str, labels: list[str]) -> Epic:
        key = marker.epic_key(description)

        def find() -> Epic | None:
            found = self.client.list_epics(labels[:1], search=title)
            return next((e for e in found if e.key == key), None)

        return self.client.create_once(
            f"creating epic {title!r}", lambda: self.make(title, description, labels), find
        )

    def make(self, title: str, description: str, labels: list[str]) -> Epic:
        """One attempt at creating the epic (`create_once` retries it carefully)."""
        data = {"title": title, "description": description, "labels": labels}
        epics = self.client.group.epics
        return to_epic(epics.create(data, retry_transient_errors=False).asdict())

    def course_issue_fields(self, epic_id: int) -> dict[str, Any]:
        """A course issue is created inside its epic: no separate request to put it there."""
        return {"epic_id": epic_id}

    def link(self, epic_iid: int, issue_id: int, issue_iid: int) -> None:
        epic = self.client.group.epics.get(epic_iid, lazy=True)
        with gitlab_errors(f"adding an issue to epic &{epic_iid}"):
            epic.issues.create({"issue_id": issue_id})

    def update(self, iid: int, changes: dict[str, Any]) -> Epic:
        epics, retries = self.client.group.epics, self.client.max_retries
        with gitlab_errors(f"updating epic &{iid}"):
            return self.client.own(to_epic(epics.update(iid, changes, max_retries=retries)))

    def _epic(self, epic_id: int, iid: int) -> GroupEpic:
        client = self.client
        attrs = {"id": epic_id, "iid": iid, "group_id": client.group_path}
        return GroupEpic(client.group.epics, attrs, lazy=True)

    def comment(self, epic_id: int, iid: int, body: str) -> Note:
        notes = self._epic(epic_id, iid).notes
        return self.client.post_note(f"commenting on epic &{iid}", notes, body)

    def comments(self, epic_id: int, iid: int) -> list[Note]:
        epic = self._epic(epic_id, iid)
        what = f"reading comments of epic &{iid}"
        rows = self.client.read(what, lambda: self.client.rows(epic.notes, sort="asc"))
        return [to_note(r) for r in rows]
