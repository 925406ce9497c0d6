"""GitLab's web paths for the sandbox's records, and what references on a page resolve to.

The paths are the ones the API's `web_url` fields give (`/<project>/-/issues/N`,
`/groups/<group>/-/epics/N`), relative, so a page works whatever the sandbox's port.
"""

from __future__ import annotations

from urllib.parse import quote

from accred_ops.sandbox.model import Epic, Group, Issue, MergeRequest, Project
from accred_ops.sandbox.pages import layout
from accred_ops.sandbox.pages.md import Refs
from accred_ops.sandbox.world import World


def issue_url(world: World, issue: Issue) -> str:
    project = world.state.projects[issue.project_id]
    kind = "merge_requests" if isinstance(issue, MergeRequest) else "issues"
    return f"/{quote(project.path)}/-/{kind}/{issue.iid}"


def epic_url(world: World, epic: Epic) -> str:
    return f"/groups/{quote(world.state.groups[epic.group_id].path)}/-/epics/{epic.iid}"


def visible_issue(world: World, project: Project, iid: int) -> Issue | None:
    """An issue an anonymous visitor may see: GitLab shows no confidential issue to one."""
    return next(
        (
            i
            for i in world.state.issues.values()
            if i.project_id == project.id and i.iid == iid and not i.confidential
        ),
        None,
    )


def group_epic(world: World, group: Group, iid: int) -> Epic | None:
    return next(
        (
            e
            for e in world.state.epics.values()
            if e.group_id == group.id and e.iid == iid and not e.confidential
        ),
        None,
    )


def refs(world: World, project: Project | None, group: Group) -> Refs:
    """`#N` in the project (none on an epic's page), `&N` in the group or its ancestors,
    `~label` among the labels the project or group sees."""
    pool = world.labels_of_project(project) if project else world.labels_of_group(group)
    by_name = {lb.name: lb for lb in pool}

    def label(name: str) -> str | None:
        found = by_name.get(name)
        return layout.label(found) if found else None

    def issue(iid: int) -> str | None:
        found = visible_issue(world, project, iid) if project else None
        return issue_url(world, found) if found else None

    def epic(iid: int) -> str | None:
        for owner in world.ancestors(group):
            found = group_epic(world, owner, iid)
            if found:
                return epic_url(world, found)
        return None

    return Refs(label, issue, epic)
