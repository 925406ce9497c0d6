"""A GitLab webhook payload, read as a *selection*: where to look, never what is true.

`sync --event` gets one webhook body (GitLab CI passes it as the file variable
`TRIGGER_PAYLOAD` when a webhook calls a pipeline trigger URL). Anyone who knows the trigger
URL can send any body, so nothing here decides anything: the payload names the project, the
issue (or epic) and who acted, and the caller re-reads that object from GitLab and asks the
identity code which learner it belongs to. Pure: text in, a `Selection` or a reason out.

Shapes (GitLab docs, "Webhook events"): Issue Hook `object_kind: issue`, Note Hook
`object_kind: note` with `noteable_type: Issue` and the issue under `issue`, and, on tiers
with epics, `object_kind: work_item` with `object_attributes.type: Epic` (GitLab 17.7+ sends
epics as work items; the older Epic Hook is `object_kind: epic`).

Work items (GitLab 17.x and later): the header still says `Issue Hook` and `event_type` is
always `work_item`, so only `object_attributes.type` tells them apart: `Epic` is a learner's
epic; `Issue` (issues edited in the new work item view on some 17.x releases), or no type at
all on a project's item (before 17.2 the attribute did not exist), is an issue; any other type
(Task, Incident, Objective, ...) is none of accred-ops' business and is ignored, named. A
group webhook sends the same bodies as a project webhook (an epic's only through the group's).
System hooks send no issue or comment events: their bodies (`event_name`, no `object_kind`,
or a merge request or push) are ignored, named, never an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ISSUE, EPIC = "issue", "epic"
MAX_BYTES = 5_000_000  # GitLab's own webhook bodies are far smaller; a bigger one is not one


def plain(value: object, limit: int = 80) -> str:
    """Payload text fit for one log line: anyone who has the trigger URL writes the payload,
    so no control characters (terminal escapes, newlines faking other lines), and short."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class BadEvent(ValueError):
    """The payload is not a webhook body accred-ops can read: exit 2, nothing sent."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Selection:
    """What the payload says to look at. Every field is a claim, to be checked against GitLab."""

    hook: str  # "Issue Hook", "Note Hook", "Work Item Hook": for messages
    kind: str  # ISSUE (a course, learner or request issue, by iid in the project) or EPIC
    iid: int
    actor: str  # who caused the event (payload `user.username`)
    project: str | None = None  # `project.path_with_namespace`, when the payload has one
    group: str | None = None  # the epic's group full path, when the payload says it
    author: str = ""  # the issue's author id or name as the payload claims (unused for trust)
    assignees: tuple[str, ...] = ()

    def describe(self) -> str:
        where = f"#{self.iid}" if self.kind == ISSUE else f"&{self.iid}"
        return f"{self.hook} on {where} by @{plain(self.actor)}"


def read_event(text: str) -> Selection | str:
    """The selection a payload makes, or the plain reason it is none of accred-ops' business
    (an unsupported hook). Raises BadEvent when the text is not a readable webhook body."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise BadEvent(err.lineno, f"not JSON: {err.msg}") from None
    except RecursionError:
        raise BadEvent(1, "not JSON: nested too deeply") from None
    except ValueError as err:  # e.g. a 5,000-digit number: Python's int-size guard
        raise BadEvent(1, f"not a readable webhook body: {str(err)[:80]}") from None
    if not isinstance(data, dict):
        raise BadEvent(1, "a webhook payload is a JSON object")
    kind = data.get("object_kind")
    if not isinstance(kind, str) and isinstance(data.get("event_name"), str):
        return (
            f"ignored: a system hook's {plain(data['event_name'])} event (accred-ops acts on "
            "the issue, comment and epic events of a project or group webhook)"
        )
    if not isinstance(kind, str):
        raise BadEvent(1, "missing object_kind: not a GitLab webhook payload")
    if kind not in ("note", "issue", "work_item", "epic"):
        return f"ignored: accred-ops does not act on {plain(kind)} events"
    attributes = _object(data, "object_attributes")
    if kind == "note":
        noteable = attributes.get("noteable_type")
        if noteable != "Issue":
            return f"ignored: a comment on {plain(noteable or 'something')}, not an issue"
        issue = _object(data, "issue")
        return _selection(data, "Note Hook", ISSUE, _int(issue, "iid", "issue.iid"), issue)
    if kind == "issue":
        iid = _int(attributes, "iid", "object_attributes.iid")
        return _selection(data, "Issue Hook", ISSUE, iid, attributes)
    if kind == "work_item" and attributes.get("type") != "Epic":
        return _work_item(data, attributes)
    iid = _int(attributes, "iid", "object_attributes.iid")
    hook = "Work Item Hook" if kind == "work_item" else "Epic Hook"
    return _selection(data, hook, EPIC, iid, attributes)


def _work_item(data: dict[str, Any], attributes: dict[str, Any]) -> Selection | str:
    """A work item that is not an epic: an issue (by its type, or a project's untyped item),
    or ignored, saying which type it is."""
    kind = attributes.get("type")
    if kind == "Issue" or (kind is None and isinstance(data.get("project"), dict)):
        iid = _int(attributes, "iid", "object_attributes.iid")
        return _selection(data, "Work Item Hook", ISSUE, iid, attributes)
    return f"ignored: a {plain(kind or 'work item')} is neither a course issue nor an epic"


def _selection(
    data: dict[str, Any], hook: str, kind: str, iid: int, attributes: dict[str, Any]
) -> Selection:
    user = _object(data, "user")
    actor = user.get("username")
    if not isinstance(actor, str) or not actor:
        raise BadEvent(1, "missing user.username: who caused the event")
    project = data.get("project")
    path = project.get("path_with_namespace") if isinstance(project, dict) else None
    group = data.get("group")
    group_path = group.get("full_path") if isinstance(group, dict) else None
    assignees = data.get("assignees")
    names = tuple(
        a["username"]
        for a in (assignees if isinstance(assignees, list) else [])
        if isinstance(a, dict) and isinstance(a.get("username"), str)
    )
    return Selection(
        hook=hook,
        kind=kind,
        iid=iid,
        actor=actor,
        project=path if isinstance(path, str) else None,
        group=group_path if isinstance(group_path, str) else None,
        author=str(attributes.get("author_id") or ""),
        assignees=names,
    )


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise BadEvent(1, f"missing {key}: not a GitLab webhook payload")
    return value


def _int(data: dict[str, Any], key: str, name: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BadEvent(1, f"missing {name}: which issue the event is about")
    return value
