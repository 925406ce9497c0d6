"""GitLab's JSON as the core's plain records (never python-gitlab objects)."""

from __future__ import annotations

from typing import Any

from accred_ops.core.state import Epic, Issue, LabelEvent, Note


def _user(data: dict[str, Any] | None) -> str | None:
    return data.get("username") if data else None


def _issuable(data: dict[str, Any]) -> dict[str, Any]:
    """The fields issues and epics share (labels as names even `with_labels_details`)."""
    return {
        "id": data["id"],
        "iid": data["iid"],
        "title": data.get("title") or "",
        "description": data.get("description") or "",
        "labels": tuple(x["name"] if isinstance(x, dict) else x for x in data.get("labels") or ()),
        "state": data.get("state", "opened"),
        "web_url": data.get("web_url") or "",
        "created_at": data.get("created_at") or "",
        "updated_at": data.get("updated_at") or "",
    }


def to_issue(data: dict[str, Any]) -> Issue:
    return Issue(
        **_issuable(data),
        assignees=tuple(a["username"] for a in data.get("assignees") or ()),
        assignee_ids=tuple(a["id"] for a in data.get("assignees") or () if "id" in a),
        closed_by=_user(data.get("closed_by")),
        due_date=data.get("due_date"),
        epic_iid=(data.get("epic") or {}).get("iid") or data.get("epic_iid"),
        closed_at=data.get("closed_at"),
        author=_user(data.get("author")) or "",
        user_notes=data.get("user_notes_count"),
    )


def to_epic(data: dict[str, Any]) -> Epic:
    author = data.get("author")  # a learner issue's record already holds the username
    return Epic(
        **_issuable(data), author=author if isinstance(author, str) else _user(author) or ""
    )


def to_note(data: dict[str, Any]) -> Note:
    return Note(
        data["id"],
        data.get("body") or "",
        _user(data.get("author")) or "",
        bool(data.get("system")),
        data.get("created_at") or "",
        data.get("updated_at") or "",
    )


def to_event(data: dict[str, Any]) -> LabelEvent:
    return LabelEvent(
        id=data["id"],
        label=(data.get("label") or {}).get("name", ""),
        action=data.get("action", ""),
        user=_user(data.get("user")) or "",
        created_at=data.get("created_at") or "",
    )
