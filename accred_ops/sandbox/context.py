"""What a route handler gets (who asks, with which parameters) and what it may return."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accred_ops.sandbox.model import Epic, Group, Issue, Project, User
from accred_ops.sandbox.params import Params, as_bool
from accred_ops.sandbox.world import REPORTER, ApiError, World, forbidden, not_found

Json = dict[str, Any]


@dataclass
class Listing:
    """A list answer: the server paginates `items` and renders only the page it sends."""

    items: list[Any]
    render: Callable[[Any], Json]


Reply = tuple[int, Any] | Listing


@dataclass
class Ctx:
    world: World
    user: User
    params: Params

    def flag(self, name: str) -> bool:
        return as_bool(self.params.get(name, False))

    def group(self, ref: str) -> Group:
        return self.world.visible_group(ref, self.user)

    def project(self, ref: str) -> Project:
        return self.world.visible_project(ref, self.user)

    def premium_group(self, ref: str) -> Group:
        """A group for the epics API: 403 on Free, where GitLab does not license epics."""
        group = self.group(ref)
        if self.world.tier_of(group) != "premium":
            raise forbidden()
        return group

    def require(self, action: str, target: Group | Project) -> None:
        self.world.require(self.user, action, target)

    def issue(self, project: Project, iid: str) -> Issue:
        found = next(
            (
                i
                for i in self.world.state.issues.values()
                if i.project_id == project.id and i.iid == int(iid)
            ),
            None,
        )
        if found is None or not self._may_see(found, project):
            raise not_found("Issue")
        return found

    def _may_see(self, issue: Issue, project: Project) -> bool:
        """GitLab: a confidential issue is seen by Reporters and up, its author and assignees
        only (app/policies/issue_policy.rb `read_confidential`); anyone else gets 404."""
        if not issue.confidential:
            return True
        mine = issue.author_id == self.user.id or self.user.id in issue.assignee_ids
        return mine or self.world.access_level(self.user, project) >= REPORTER

    def epic(self, group: Group, *, iid: str | None = None, epic_id: str | None = None) -> Epic:
        """An epic of the group or its subgroups, by iid (in this group) or by global id."""
        groups = {g.id for g in self.world.descendants(group)}
        for epic in self.world.state.epics.values():
            if iid is not None and epic.group_id == group.id and epic.iid == int(iid):
                return epic
            if epic_id is not None and epic.group_id in groups and epic.id == int(epic_id):
                return epic
        raise not_found("Epic")

    def note_of(self, item: Issue | Epic, note_id: str) -> Any:
        note = next((n for n in item.notes if n.id == int(note_id)), None)
        if note is None:
            raise not_found("Note")
        return note


def created(body: Any) -> Reply:
    return 201, body


def error(status: int, message: Any, key: str = "message") -> ApiError:
    return ApiError(status, {key: message})
