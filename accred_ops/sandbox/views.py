"""Records → GitLab's JSON shapes (facts sheet §1). Pure functions of the world; no changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accred_ops.sandbox.model import (
    Board,
    BoardList,
    Group,
    Label,
    Member,
    Project,
    User,
)
from accred_ops.sandbox.world import World

Json = dict[str, Any]


def ts(value: datetime | None) -> str | None:
    """GitLab's timestamp form: `2016-01-04T15:31:51.081Z`."""
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def user(world: World, u: User | None) -> Json | None:
    if u is None:
        return None
    return {
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "state": "active",
        "locked": False,
        "avatar_url": None,
        "web_url": f"{world.base_url}/{u.username}",
    }


def current_user(world: World, u: User) -> Json:
    """`GET /user`: the basic fields plus a few a user sees about themselves."""
    extra = {"email": u.email, "public_email": None, "created_at": ts(u.created_at)}
    return {**(user(world, u) or {}), **extra, "bot": False, "is_admin": False}


def member(world: World, m: Member) -> Json:
    return {
        **(user(world, world.user(m.user_id)) or {}),
        "access_level": m.access_level,
        "created_at": ts(m.created_at),
        "expires_at": None,
        "membership_state": "active",
    }


def group(world: World, g: Group) -> Json:
    return {
        "id": g.id,
        "web_url": f"{world.base_url}/groups/{g.path}",
        "name": g.name,
        "path": g.path.rpartition("/")[2],
        "description": "",
        "visibility": "private",
        "full_name": " / ".join(a.name for a in reversed(world.ancestors(g))),
        "full_path": g.path,
        "parent_id": g.parent_id,
        "created_at": ts(g.created_at),
        "avatar_url": None,
    }


def project(world: World, p: Project) -> Json:
    g = world.group_of(p)
    return {
        "id": p.id,
        "description": "",
        "name": p.name,
        "name_with_namespace": f"{group(world, g)['full_name']} / {p.name}",
        "path": p.path.rpartition("/")[2],
        "path_with_namespace": p.path,
        "created_at": ts(p.created_at),
        "default_branch": "main",
        "visibility": "private",
        "web_url": f"{world.base_url}/{p.path}",
        "issues_enabled": True,
        "namespace": {
            "id": g.id,
            "name": g.name,
            "path": g.path.rpartition("/")[2],
            "kind": "group",
            "full_path": g.path,
            "parent_id": g.parent_id,
            "web_url": f"{world.base_url}/groups/{g.path}",
        },
    }


def _text_color(color: str) -> str:
    """Dark text on light labels, as GitLab picks it."""
    hex6 = color.lstrip("#")
    hex6 = "".join(c * 2 for c in hex6) if len(hex6) == 3 else hex6
    r, g, b = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return "#1F1E24" if (r * 299 + g * 587 + b * 114) / 1000 > 155 else "#FFFFFF"


def label_brief(lb: Label) -> Json:
    """The label inside a label event: `{id, name, color, description}`."""
    return {"id": lb.id, "name": lb.name, "color": lb.color, "description": lb.description or None}


def label(world: World, lb: Label, *, in_project: bool = False) -> Json:
    issues = [i for i in world.state.issues.values() if lb.id in i.label_ids]
    data = {
        **label_brief(lb),
        "description_html": lb.description,
        "text_color": _text_color(lb.color),
        "open_issues_count": sum(i.state == "opened" for i in issues),
        "closed_issues_count": sum(i.state == "closed" for i in issues),
        "open_merge_requests_count": 0,
        "subscribed": False,
        "archived": False,
    }
    if in_project:
        data |= {"priority": lb.priority, "is_project_label": lb.project_id is not None}
    return data


def board_list(world: World, lst: BoardList) -> Json:
    lb = world.state.labels[lst.label_id]
    return {
        "id": lst.id,
        "label": {**label_brief(lb), "text_color": _text_color(lb.color)},
        "position": lst.position,
        "list_type": "label",
        "max_issue_count": 0,
        "max_issue_weight": 0,
        "limit_metric": None,
    }


def board(world: World, b: Board) -> Json:
    g = world.state.groups[b.group_id]
    return {
        "id": b.id,
        "name": b.name,
        "hide_backlog_list": False,
        "hide_closed_list": False,
        "project": None,
        "group": {"id": g.id, "name": g.name, "web_url": f"{world.base_url}/groups/{g.path}"},
        "milestone": None,
        "assignee": None,
        "labels": [label(world, world.state.labels[i]) for i in b.label_ids],
        "weight": None,
        "lists": [board_list(world, lst) for lst in b.lists],
    }
