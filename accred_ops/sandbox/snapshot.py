"""A canonical view of a world for "same end state" tests: no ids, iids or timestamps.

Issues are keyed by (project path, title) and epics by (group path, title); a second item with
the same key is kept as "<title> (duplicate N)", so duplicates make snapshots differ instead of
hiding behind one key. System notes are left out: their timing is not part of the end state.
"""

from __future__ import annotations

from typing import Any

from accred_ops.sandbox.model import Issuable
from accred_ops.sandbox.world import World


def _key(table: dict[tuple[str, str], Any], path: str, title: str) -> tuple[str, str]:
    key, n = (path, title), 1
    while key in table:
        n += 1
        key = (path, f"{title} (duplicate {n})")
    return key


def _common(world: World, item: Issuable) -> dict[str, Any]:
    return {
        "description": item.description,
        "labels": sorted(world.state.labels[i].name for i in item.label_ids),
        "state": item.state,
        "notes": [
            {"author": world.user(n.author_id).username, "body": n.body}
            for n in sorted(item.notes, key=lambda n: n.id)
            if not n.system
        ],
    }


def snapshot(world: World) -> dict[str, Any]:
    state = world.state
    issues: dict[tuple[str, str], Any] = {}
    for issue in sorted(state.issues.values(), key=lambda i: i.id):
        epic = state.epics.get(issue.epic_id or -1)
        key = _key(issues, state.projects[issue.project_id].path, issue.title)
        issues[key] = _common(world, issue) | {
            "assignees": sorted(world.user(a).username for a in issue.assignee_ids),
            "due_date": issue.due_date,
            "epic": epic.title if epic else None,
        }
    epics: dict[tuple[str, str], Any] = {}
    for epic in sorted(state.epics.values(), key=lambda e: e.id):
        key = _key(epics, state.groups[epic.group_id].path, epic.title)
        children = [i.title for i in state.issues.values() if i.epic_id == epic.id]
        epics[key] = _common(world, epic) | {"issues": sorted(children)}
    labels = {}
    for label in state.labels.values():
        owner = (
            state.groups[label.group_id]
            if label.group_id
            else state.projects[label.project_id or 0]
        )
        labels[(owner.path, label.name)] = {"color": label.color, "description": label.description}
    boards = {
        (state.groups[b.group_id].path, b.name): [
            state.labels[lst.label_id].name for lst in sorted(b.lists, key=lambda x: x.position)
        ]
        for b in state.boards.values()
    }
    links = sorted(
        tuple(sorted((state.issues[lk.source_id].title, state.issues[lk.target_id].title)))
        for lk in state.links.values()
    )
    return {"issues": issues, "epics": epics, "labels": labels, "boards": boards, "links": links}
