"""Group epics through the Work Items API (`gitlab.api: workitems`): GraphQL creates the epic
and puts course issues in it; listing, editing and comments stay on REST while GitLab serves it.

The documents need GitLab 17.0 or later (MIN_VERSION): `Group.workItemTypes(name:)`, which
finds the Epic type, is not in GitLab 16.8's published schema (it had `taskable:` there), and
epics became work items in the 17 series. Before the first document, the instance's version is
asked once (`GET /metadata`, GitLab 15.2+; else `GET /version`); on an older instance the run
creates and links epics through the REST epics API instead (what `api: rest` does, still served)
and says so, naming both versions. An instance that will not tell its version is trusted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from accred_ops.core.state import Epic
from accred_ops.errors import GitLabError
from accred_ops.gitlab import graphql_documents as documents
from accred_ops.gitlab.errors import gitlab_errors
from accred_ops.gitlab.records import to_epic
from accred_ops.gitlab.tracking.epics import RestEpics

if TYPE_CHECKING:
    from accred_ops.gitlab.host import Host


MIN_VERSION = (17, 0)


def version_of(text: str) -> tuple[int, int] | None:
    """(major, minor) of a GitLab version string such as "16.8.1-ee"."""
    found = re.match(r"\s*(\d+)\.(\d+)", text or "")
    return (int(found[1]), int(found[2])) if found else None


class WorkItemEpics(RestEpics):
    """REST epics, but created and given their issues through GraphQL's Work Items API."""

    def __init__(self, client: Host) -> None:
        super().__init__(client)
        self._epic_type: str | None = None
        self._graphql: bool | None = None  # the instance is new enough (asked once)
        self.work_items: dict[int, str] = {}  # epic iid -> its work item's global id

    def graphql_ok(self) -> bool:
        """Whether this GitLab takes the documents; on an older one, say so once (the run's
        summary) and use REST."""
        if self._graphql is None:
            text = self.client.instance_version()
            found = version_of(text) if text else None
            self._graphql = found is None or found >= MIN_VERSION
            if not self._graphql:
                need = ".".join(map(str, MIN_VERSION))
                self.client.tracking_note = (
                    f"gitlab.api: workitems needs GitLab {need} or later and this GitLab is "
                    f"{text}: epics are created and given their issues through the REST epics "
                    "API instead (as with api: rest)"
                )
        return self._graphql

    def make(self, title: str, description: str, labels: list[str]) -> Epic:
        if not self.graphql_ok():
            return super().make(title, description, labels)
        client = self.client
        variables = {
            "input": documents.create_epic_input(
                client.group_path, title, self.epic_type(), description, self.label_ids(labels)
            )
        }
        created = client.graphql(
            f"creating epic {title!r}", documents.CREATE_EPIC, variables, "workItemCreate"
        )
        work_item = created["workItemCreate"]["workItem"]
        iid = int(work_item["iid"])
        self.work_items[iid] = work_item["id"]
        with gitlab_errors(f"reading epic &{iid}"):
            # the REST record: comments need its id
            return to_epic(client.group.epics.get(iid).asdict())

    def epic_type(self) -> str:
        """The id of the group's Epic work item type, asked for once."""
        if self._epic_type is None:
            found = self.client.graphql(
                "finding the Epic work item type",
                documents.EPIC_TYPE,
                {"fullPath": self.client.group_path},
            )
            nodes = ((found.get("group") or {}).get("workItemTypes") or {}).get("nodes") or []
            if not nodes:
                raise GitLabError(
                    f"group {self.client.group_path} has no Epic work item type (epics need Premium or Ultimate)"
                )
            self._epic_type = nodes[0]["id"]
        return self._epic_type

    def label_ids(self, labels: list[str]) -> list[int]:
        known = self.client.label_ids
        if any(name not in known for name in labels):
            self.client.group_labels()
        return [known[name] for name in labels if name in known]

    def course_issue_fields(self, epic_id: int) -> dict[str, Any]:
        """Issues are put in the epic afterwards, by `workItemUpdate`."""
        if not self.graphql_ok():
            return super().course_issue_fields(epic_id)
        return {}

    def link(self, epic_iid: int, issue_id: int, issue_iid: int) -> None:
        if not self.graphql_ok():
            return super().link(epic_iid, issue_id, issue_iid)
        parent = self.work_items.get(epic_iid) or self._work_item(epic_iid)
        variables = {"input": documents.set_parent_input(issue_id, parent)}
        self.client.graphql(
            f"adding issue #{issue_iid} to epic &{epic_iid}",
            documents.SET_PARENT,
            variables,
            "workItemUpdate",
        )

    def _work_item(self, iid: int) -> str:
        found = self.client.graphql(
            f"finding epic &{iid}",
            documents.EPIC_WORK_ITEM,
            {"fullPath": self.client.group_path, "iid": str(iid)},
        )
        item = (found.get("group") or {}).get("workItem")
        if not item:
            raise GitLabError(f"finding epic &{iid}: GitLab's GraphQL API knows no such work item")
        self.work_items[iid] = item["id"]
        return str(item["id"])
