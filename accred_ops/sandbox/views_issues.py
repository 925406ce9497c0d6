"""Issues, epics, notes and label events → GitLab's JSON shapes (facts §1.1, §1.2, §1.4, §1.5)."""

from __future__ import annotations

from typing import Any

from accred_ops.sandbox import markdown
from accred_ops.sandbox.model import Epic, Issuable, Issue, LabelEvent, MergeRequest, Note
from accred_ops.sandbox.views import Json, label, label_brief, ts, user
from accred_ops.sandbox.world import World


def _labels(world: World, item: Issuable, details: bool) -> list[Any]:
    found = sorted((world.state.labels[i] for i in item.label_ids), key=lambda lb: lb.name)
    if details:
        return [label(world, lb) for lb in found]
    return [lb.name for lb in found]


def _tasks(description: str) -> Json:
    count, done = markdown.completion(description)
    noun = "checklist item" if count == 1 else "checklist items"
    return {
        "task_completion_status": {"count": count, "completed_count": done},
        "has_tasks": count > 0,
        "task_status": f"{done} of {count} {noun} completed",
    }


def epic_ref(world: World, e: Epic) -> Json:
    """The `epic` field of an issue."""
    path = world.state.groups[e.group_id].path
    return {
        "id": e.id,
        "iid": e.iid,
        "title": e.title,
        "url": f"/groups/{path}/-/epics/{e.iid}",
        "group_id": e.group_id,
    }


def issue(world: World, i: Issue, *, details: bool = False, relative_full: bool = False) -> Json:
    p = world.state.projects[i.project_id]
    api = f"{world.base_url}/api/v4/projects/{p.id}/issues/{i.iid}"
    assignees = [user(world, world.user(a)) for a in i.assignee_ids]
    full = f"{p.path}#{i.iid}"
    data: Json = {
        "id": i.id,
        "iid": i.iid,
        "project_id": p.id,
        "title": i.title,
        "description": i.description,
        "state": i.state,
        "created_at": ts(i.created_at),
        "updated_at": ts(i.updated_at),
        "closed_at": ts(i.closed_at),
        "closed_by": user(world, world.state.users.get(i.closed_by_id or -1)),
        "labels": _labels(world, i, details),
        "milestone": None,
        "assignees": assignees,
        "assignee": assignees[0] if assignees else None,
        "author": user(world, world.user(i.author_id)),
        "type": "ISSUE",
        "issue_type": "issue",
        "severity": "UNKNOWN",
        "user_notes_count": sum(not n.system for n in i.notes),
        "merge_requests_count": 0,
        "upvotes": 0,
        "downvotes": 0,
        "due_date": i.due_date,
        "confidential": i.confidential,
        "discussion_locked": None,
        "imported": False,
        "imported_from": "none",
        "moved_to_id": None,
        "web_url": f"{world.base_url}/{p.path}/-/issues/{i.iid}",
        "references": {
            "short": f"#{i.iid}",
            "relative": full if relative_full else f"#{i.iid}",
            "full": full,
        },
        "time_stats": {
            "time_estimate": 0,
            "total_time_spent": 0,
            "human_time_estimate": None,
            "human_total_time_spent": None,
        },
        **_tasks(i.description),
        "_links": {
            "self": api,
            "notes": f"{api}/notes",
            "award_emoji": f"{api}/award_emoji",
            "project": f"{world.base_url}/api/v4/projects/{p.id}",
            "closed_as_duplicate_of": None,
        },
        "subscribed": True,
    }
    if world.tier_of(p) == "premium":
        e = world.state.epics.get(i.epic_id or -1)
        data |= {"weight": i.weight, "epic_iid": e.iid if e else None}
        data |= {"epic": epic_ref(world, e) if e else None, "iteration": None}
    return data


def epic(world: World, e: Epic, *, details: bool = False) -> Json:
    g = world.state.groups[e.group_id]
    api = f"{world.base_url}/api/v4/groups/{g.id}/epics/{e.iid}"
    dates = dict.fromkeys(("start_date", "start_date_fixed", "start_date_from_milestones"))
    dates |= dict.fromkeys(("end_date", "due_date", "due_date_fixed", "due_date_from_milestones"))
    return {
        "id": e.id,
        "iid": e.iid,
        "group_id": g.id,
        "parent_id": None,
        "parent_iid": None,
        "title": e.title,
        "description": e.description,
        "state": e.state,
        "confidential": e.confidential,
        "web_url": f"{world.base_url}/groups/{g.path}/-/epics/{e.iid}",
        "reference": f"&{e.iid}",
        "references": {"short": f"&{e.iid}", "relative": f"&{e.iid}", "full": f"{g.path}&{e.iid}"},
        "author": user(world, world.user(e.author_id)),
        **dates,
        "start_date_is_fixed": False,
        "due_date_is_fixed": False,
        "created_at": ts(e.created_at),
        "updated_at": ts(e.updated_at),
        "closed_at": ts(e.closed_at),
        "labels": _labels(world, e, details),
        "upvotes": 0,
        "downvotes": 0,
        "subscribed": True,
        "_links": {
            "self": api,
            "epic_issues": f"{api}/issues",
            "group": f"{world.base_url}/api/v4/groups/{g.id}",
        },
    }


def epic_brief(world: World, e: Epic) -> Json:
    """The `epic` of an epic-issue association response."""
    full = epic(world, e)
    return {k: full[k] for k in ("id", "iid", "title", "description", "author", "start_date")} | {
        "end_date": None
    }


def _noteable_type(item: Issuable) -> str:
    if isinstance(item, MergeRequest):
        return "MergeRequest"
    return "Issue" if isinstance(item, Issue) else "Epic"


def merge_request(world: World, mr: MergeRequest) -> Json:
    """The fields of GitLab's merge request that accred-ops and the tests read."""
    project = world.state.projects[mr.project_id]
    return {
        "id": mr.id,
        "iid": mr.iid,
        "project_id": mr.project_id,
        "title": mr.title,
        "description": mr.description,
        "state": mr.state,
        "source_branch": mr.source_branch,
        "target_branch": mr.target_branch,
        "author": user(world, world.user(mr.author_id)),
        "created_at": ts(mr.created_at),
        "updated_at": ts(mr.updated_at),
        "user_notes_count": sum(not n.system for n in mr.notes),
        "web_url": f"{world.base_url}/{project.path}/-/merge_requests/{mr.iid}",
    }


def note(world: World, n: Note, item: Issuable) -> Json:
    is_issue = isinstance(item, Issue)
    return {
        "id": n.id,
        "type": None,
        "body": n.body,
        "author": user(world, world.user(n.author_id)),
        "created_at": ts(n.created_at),
        "updated_at": ts(n.updated_at),
        "system": n.system,
        "noteable_id": item.id,
        "noteable_type": _noteable_type(item),
        "project_id": item.project_id if isinstance(item, Issue) else None,
        "resolvable": False,
        "confidential": n.internal,
        "internal": n.internal,
        "imported": False,
        "imported_from": "none",
        "noteable_iid": item.iid if is_issue else None,
        "commands_changes": {},
    }


def label_event(world: World, ev: LabelEvent, item: Issuable) -> Json:
    lb = world.state.labels.get(ev.label_id)
    return {
        "id": ev.id,
        "user": user(world, world.user(ev.user_id)),
        "created_at": ts(ev.created_at),
        "resource_type": "Issue" if isinstance(item, Issue) else "Epic",
        "resource_id": item.id,
        "label": label_brief(lb) if lb else None,
        "action": ev.action,
    }
