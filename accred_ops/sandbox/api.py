"""The REST API v4 subset accred-ops uses: routes, GitLab's JSON shapes and list filters.

Each handler takes a `Call` (who, path parameters, query and body merged) and returns
(status, body). Field names, defaults and errors follow GitLab's REST documentation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from accred_ops.sandbox.store import (
    Board,
    BoardList,
    Epic,
    Group,
    Issuable,
    Issue,
    Label,
    Note,
    Project,
    User,
    World,
    tasks,
)


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


@dataclass
class Call:
    world: World
    user: User
    args: list[str]
    params: dict[str, Any]
    base_url: str

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def names(self, name: str) -> list[str] | None:
        """A label list given as a comma string or a JSON array."""
        value = self.params.get(name)
        if value is None:
            return None
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(v).strip() for v in items if str(v).strip()]

    def group(self, index: int = 0) -> Group:
        return self.world.group(unquote(self.args[index]), self.user)

    def project(self, index: int = 0) -> Project:
        return self.world.project(unquote(self.args[index]), self.user)


Result = tuple[int, Any]
ROUTES: list[tuple[str, re.Pattern[str], Callable[[Call], Result]]] = []


def route(
    method: str, pattern: str
) -> Callable[[Callable[[Call], Result]], Callable[[Call], Result]]:
    def register(handler: Callable[[Call], Result]) -> Callable[[Call], Result]:
        ROUTES.append((method, re.compile(f"^/api/v4{pattern}$"), handler))
        return handler

    return register


# --- JSON shapes -------------------------------------------------------------------------------


def user_json(call: Call, user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "state": "active",
        "locked": False,
        "avatar_url": None,
        "web_url": f"{call.base_url}/{user.username}",
    }


def label_json(label: Label) -> dict[str, Any]:
    return {
        "id": label.id,
        "name": label.name,
        "color": label.color,
        "text_color": "#FFFFFF",
        "description": label.description or None,
        "description_html": label.description,
        "open_issues_count": 0,
        "closed_issues_count": 0,
        "open_merge_requests_count": 0,
        "subscribed": False,
        "priority": None,
        "is_project_label": label.project_id is not None,
        "archived": False,
    }


def _task_status(description: str) -> dict[str, Any]:
    items = tasks(description)
    done = sum(checked for _, checked in items)
    noun = "checklist item" if len(items) == 1 else "checklist items"
    return {
        "task_completion_status": {"count": len(items), "completed_count": done},
        "has_tasks": bool(items),
        "task_status": f"{done} of {len(items)} {noun} completed" if items else "",
    }


def issue_json(call: Call, issue: Issue) -> dict[str, Any]:
    world = call.world
    project = world.projects[issue.project_id]
    epic = world.epics.get(issue.epic_id) if issue.epic_id else None
    group = world.groups[project.group_id]
    assignees = [user_json(call, world.users[u]) for u in issue.assignee_ids]
    url = f"{call.base_url}/{project.path}/-/issues/{issue.iid}"
    api = f"{call.base_url}/api/v4/projects/{project.id}/issues/{issue.iid}"
    return {
        "id": issue.id,
        "iid": issue.iid,
        "project_id": project.id,
        "title": issue.title,
        "description": issue.description,
        "state": issue.state,
        "created_at": issue.created_at,
        "updated_at": issue.updated_at,
        "closed_at": issue.closed_at,
        "closed_by": user_json(call, world.users.get(issue.closed_by_id or 0)),
        "labels": _labels_out(call, issue, group, project),
        "milestone": None,
        "assignees": assignees,
        "assignee": assignees[0] if assignees else None,
        "author": user_json(call, world.users[issue.author_id]),
        "type": "ISSUE",
        "issue_type": "issue",
        "user_notes_count": sum(not n.system for n in issue.notes),
        "merge_requests_count": 0,
        "upvotes": 0,
        "downvotes": 0,
        "due_date": issue.due_date,
        "confidential": False,
        "discussion_locked": None,
        "web_url": url,
        "references": {
            "short": f"#{issue.iid}",
            "relative": f"#{issue.iid}",
            "full": f"{project.path}#{issue.iid}",
        },
        "time_stats": {
            "time_estimate": 0,
            "total_time_spent": 0,
            "human_time_estimate": None,
            "human_total_time_spent": None,
        },
        **_task_status(issue.description),
        "_links": {
            "self": api,
            "notes": f"{api}/notes",
            "award_emoji": f"{api}/award_emoji",
            "project": f"{call.base_url}/api/v4/projects/{project.id}",
        },
        "weight": None,
        "epic_iid": epic.iid if epic else None,
        "epic": {
            "id": epic.id,
            "iid": epic.iid,
            "title": epic.title,
            "url": f"/groups/{world.groups[epic.group_id].path}/-/epics/{epic.iid}",
            "group_id": epic.group_id,
        }
        if epic
        else None,
        "subscribed": True,
    }


def epic_json(call: Call, epic: Epic) -> dict[str, Any]:
    group = call.world.groups[epic.group_id]
    api = f"{call.base_url}/api/v4/groups/{group.id}/epics/{epic.iid}"
    return {
        "id": epic.id,
        "iid": epic.iid,
        "group_id": group.id,
        "parent_id": None,
        "title": epic.title,
        "description": epic.description,
        "state": epic.state,
        "confidential": False,
        "web_url": f"{call.base_url}/groups/{group.path}/-/epics/{epic.iid}",
        "reference": f"&{epic.iid}",
        "references": {
            "short": f"&{epic.iid}",
            "relative": f"&{epic.iid}",
            "full": f"{group.path}&{epic.iid}",
        },
        "author": user_json(call, call.world.users[epic.author_id]),
        "start_date": None,
        "end_date": None,
        "due_date": None,
        "created_at": epic.created_at,
        "updated_at": epic.updated_at,
        "closed_at": epic.closed_at,
        "labels": _labels_out(call, epic, group, None),
        "upvotes": 0,
        "downvotes": 0,
        "subscribed": True,
        "_links": {
            "self": api,
            "epic_issues": f"{api}/issues",
            "group": f"{call.base_url}/api/v4/groups/{group.id}",
        },
    }


def _labels_out(call: Call, item: Issuable, group: Group, project: Project | None) -> list[Any]:
    if str(call.param("with_labels_details", "")).lower() != "true":
        return list(item.labels)
    found = [call.world.label_named(n, group, project) for n in item.labels]
    return [label_json(label) for label in found if label]


def note_json(call: Call, note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "type": None,
        "body": note.body,
        "attachment": None,
        "author": user_json(call, call.world.users[note.author_id]),
        "created_at": note.created_at,
        "updated_at": note.created_at,
        "system": note.system,
        "noteable_id": note.noteable_id,
        "noteable_type": note.noteable_type,
        "noteable_iid": note.noteable_iid,
        "resolvable": False,
        "confidential": False,
        "internal": False,
        "imported": False,
        "imported_from": "none",
    }


def event_json(call: Call, item: Issuable) -> list[dict[str, Any]]:
    rows = []
    for event in item.events:
        label = call.world.labels.get(event.label_id)
        rows.append(
            {
                "id": event.id,
                "user": user_json(call, call.world.users[event.user_id]),
                "created_at": event.created_at,
                "resource_type": event.resource_type,
                "resource_id": event.resource_id,
                "label": {
                    "id": label.id,
                    "name": label.name,
                    "color": label.color,
                    "description": label.description,
                }
                if label
                else None,
                "action": event.action,
            }
        )
    return rows


def board_json(call: Call, board: Board) -> dict[str, Any]:
    group = call.world.groups[board.group_id]
    return {
        "id": board.id,
        "name": board.name,
        "hide_backlog_list": False,
        "hide_closed_list": False,
        "project": None,
        "group": {
            "id": group.id,
            "name": group.name,
            "web_url": f"{call.base_url}/groups/{group.path}",
        },
        "milestone": None,
        "assignee": None,
        "labels": [],
        "weight": None,
        "lists": [list_json(call, lst) for lst in board.lists],
    }


def list_json(call: Call, lst: BoardList) -> dict[str, Any]:
    label = call.world.labels[lst.label_id]
    return {
        "id": lst.id,
        "label": {
            "id": label.id,
            "name": label.name,
            "color": label.color,
            "description": label.description or None,
        },
        "position": lst.position,
        "max_issue_count": 0,
        "max_issue_weight": 0,
        "limit_metric": None,
    }
