"""Project webhooks: the hooks API, and Issue Hook / Note Hook deliveries after each change.

GitLab calls a project's webhooks after an issue is opened, edited, closed or reopened
(`issues_events`) and after a comment (`note_events`), with the documented bodies and the
headers `X-Gitlab-Event` and `X-Gitlab-Token` (GitLab docs: "Webhook events", "Webhooks").
Here the bodies are built under the world lock, right after the change, and posted by one
background thread from a bounded queue: a slow or dead receiver never blocks or fails the API
call that caused the event (a full queue drops the event, as GitLab gives up on a failing hook).
Only 127.0.0.1 and localhost are accepted as targets: the sandbox never calls out.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from accred_ops.sandbox import routes_issues
from accred_ops.sandbox.context import Ctx, Listing, Reply, error
from accred_ops.sandbox.model import Hook, Issue, Label, Note, Project, User
from accred_ops.sandbox.params import as_bool, required
from accred_ops.sandbox.world import ApiError, World, not_found

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
QUEUE_SIZE = 1000
ISSUE_HOOK, NOTE_HOOK = "Issue Hook", "Note Hook"


# --- the hooks API -----------------------------------------------------------------------------


def _view(hook: Hook) -> dict[str, Any]:
    """GitLab's project hook, without its secret token (GitLab never returns it)."""
    return {
        "id": hook.id,
        "url": hook.url,
        "project_id": hook.project_id,
        "issues_events": hook.issues_events,
        "note_events": hook.note_events,
        "push_events": False,
        "confidential_issues_events": False,
        "enable_ssl_verification": True,
        "created_at": _ts(hook.created_at),
    }


def list_hooks(ctx: Ctx, ref: str) -> Reply:
    project = ctx.project(ref)
    ctx.require("admin_hooks", project)
    found = [h for h in ctx.world.state.hooks.values() if h.project_id == project.id]
    return Listing(found, _view)


def create_hook(ctx: Ctx, ref: str) -> Reply:
    project = ctx.project(ref)
    ctx.require("admin_hooks", project)
    url = str(required(ctx.params, "url"))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS:
        raise error(422, {"url": ["is blocked: the sandbox delivers to 127.0.0.1 only"]}, "error")
    hook = Hook(
        id=ctx.world.state.new_id(),
        project_id=project.id,
        url=url,
        token=str(ctx.params.get("token") or ""),
        issues_events=as_bool(ctx.params.get("issues_events", False)),
        note_events=as_bool(ctx.params.get("note_events", False)),
        created_at=ctx.world.now(),
    )
    ctx.world.state.hooks[hook.id] = hook
    return 201, _view(hook)


def delete_hook(ctx: Ctx, ref: str, hook_id: str) -> Reply:
    project = ctx.project(ref)
    ctx.require("admin_hooks", project)
    hook = ctx.world.state.hooks.get(int(hook_id))
    if hook is None or hook.project_id != project.id:
        raise not_found("Hook")
    del ctx.world.state.hooks[hook.id]
    return 204, None


ROUTES = [
    ("GET", "/projects/:id/hooks", list_hooks),
    ("POST", "/projects/:id/hooks", create_hook),
    ("DELETE", "/projects/:id/hooks/:n", delete_hook),
]


# --- what changed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Before:
    """An issue as it was before a write, to tell GitLab's `action` and `changes`."""

    issue_id: int
    labels: tuple[int, ...]
    state: str
    description: str
    updated_at: datetime


WATCHED = {routes_issues.create_issue, routes_issues.update_issue, routes_issues.create_issue_note}


def before(world: World, handler: Any, args: list[str], user: User) -> Before | None:
    """Remember the issue a write is about to change (called under the world lock)."""
    if handler not in (routes_issues.update_issue, routes_issues.create_issue_note):
        return None
    with contextlib.suppress(ApiError, ValueError, IndexError):
        project = world.visible_project(args[0], user)
        issue = next(
            i
            for i in world.state.issues.values()
            if i.project_id == project.id and i.iid == int(args[1])
        )
        return Before(
            issue.id, tuple(issue.label_ids), issue.state, issue.description, issue.updated_at
        )
    return None


def events(
    world: World, handler: Any, user: User, was: Before | None, body: Any
) -> list[tuple[Hook, str, dict[str, Any]]]:
    """The deliveries a successful write causes: (hook, X-Gitlab-Event, body) for each hook."""
    if handler not in WATCHED or not isinstance(body, dict):
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    if handler is routes_issues.create_issue:
        issue = world.state.issues.get(body.get("id", -1))
        if issue is not None:
            found.append((ISSUE_HOOK, issue_body(world, user, issue, "open", None)))
    elif was is not None:
        issue = world.state.issues[was.issue_id]
        note = next((n for n in issue.notes if n.id == body.get("id")), None)
        if handler is routes_issues.create_issue_note and note is not None:
            found.append((NOTE_HOOK, note_body(world, user, issue, note)))
        if _changed(issue, was):
            action = (
                "close"
                if was.state == "opened" and issue.state == "closed"
                else "reopen"
                if was.state == "closed" and issue.state == "opened"
                else "update"
            )
            found.append((ISSUE_HOOK, issue_body(world, user, issue, action, was)))
    hooks = list(world.state.hooks.values())
    # confidential issues go to `confidential_issues_events` hooks, which the sandbox has not
    found = [
        (event, data)
        for event, data in found
        if not data["object_attributes"].get("confidential")
        and not data.get("issue", {}).get("confidential")
    ]
    return [
        (hook, event, data)
        for event, data in found
        for hook in hooks
        if hook.project_id == data["project"]["id"]
        if (hook.issues_events if event == ISSUE_HOOK else hook.note_events)
    ]


def _changed(issue: Issue, was: Before) -> bool:
    return (
        tuple(issue.label_ids) != was.labels
        or issue.state != was.state
        or issue.description != was.description
    )


# --- GitLab's bodies ---------------------------------------------------------------------------


def _ts(value: datetime | None) -> str | None:
    """Webhook bodies write times as `2017-09-15 16:52:00 UTC` (GitLab docs' examples)."""
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else None


def _user(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "name": u.name,
        "username": u.username,
        "avatar_url": None,
        "email": "[REDACTED]",
    }


def _project(world: World, p: Project) -> dict[str, Any]:
    web = f"{world.base_url}/{p.path}"
    return {
        "id": p.id,
        "name": p.name,
        "description": None,
        "web_url": web,
        "avatar_url": None,
        "namespace": world.group_of(p).name,
        "visibility_level": 0,
        "path_with_namespace": p.path,
        "default_branch": "main",
        "ci_config_path": None,
        "homepage": web,
        "http_url": f"{web}.git",
    }


def _label(lb: Label) -> dict[str, Any]:
    return {
        "id": lb.id,
        "title": lb.name,
        "color": lb.color,
        "project_id": lb.project_id,
        "group_id": lb.group_id,
        "description": lb.description,
        "type": "GroupLabel" if lb.group_id else "ProjectLabel",
        "template": False,
    }


def _labels(world: World, ids: tuple[int, ...] | list[int]) -> list[dict[str, Any]]:
    return [_label(world.state.labels[i]) for i in ids if i in world.state.labels]


def _issue_attributes(world: World, issue: Issue) -> dict[str, Any]:
    project = world.state.projects[issue.project_id]
    return {
        "id": issue.id,
        "iid": issue.iid,
        "title": issue.title,
        "description": issue.description,
        "state": issue.state,
        "project_id": issue.project_id,
        "author_id": issue.author_id,
        "assignee_ids": list(issue.assignee_ids),
        "assignee_id": issue.assignee_ids[0] if issue.assignee_ids else None,
        "labels": _labels(world, issue.label_ids),
        "created_at": _ts(issue.created_at),
        "updated_at": _ts(issue.updated_at),
        "closed_at": _ts(issue.closed_at),
        "due_date": issue.due_date,
        "confidential": issue.confidential,
        "url": f"{world.base_url}/{project.path}/-/issues/{issue.iid}",
        "type": "Issue",
    }


def issue_body(
    world: World, user: User, issue: Issue, action: str, was: Before | None
) -> dict[str, Any]:
    """An Issue Hook body: `object_kind: issue`, the issue, its labels, and what changed."""
    project = world.state.projects[issue.project_id]
    changes: dict[str, Any] = {}
    if was is not None:
        if tuple(issue.label_ids) != was.labels:
            previous, current = _labels(world, was.labels), _labels(world, issue.label_ids)
            changes["labels"] = {"previous": previous, "current": current}
        if issue.description != was.description:
            changes["description"] = {"previous": was.description, "current": issue.description}
        changes["updated_at"] = {"previous": _ts(was.updated_at), "current": _ts(issue.updated_at)}
    return {
        "object_kind": "issue",
        "event_type": "issue",
        "user": _user(user),
        "project": _project(world, project),
        "object_attributes": _issue_attributes(world, issue) | {"action": action},
        "labels": _labels(world, issue.label_ids),
        "changes": changes,
        "assignees": [_user(world.user(a)) for a in issue.assignee_ids],
        "repository": {"name": project.name, "url": f"{world.base_url}/{project.path}.git"},
    }


def note_body(world: World, user: User, issue: Issue, note: Note) -> dict[str, Any]:
    """A Note Hook body for a comment on an issue: the note, and the issue under `issue`."""
    project = world.state.projects[issue.project_id]
    url = f"{world.base_url}/{project.path}/-/issues/{issue.iid}#note_{note.id}"
    return {
        "object_kind": "note",
        "event_type": "note",
        "user": _user(user),
        "project_id": project.id,
        "project": _project(world, project),
        "object_attributes": {
            "id": note.id,
            "note": note.body,
            "noteable_type": "Issue",
            "author_id": note.author_id,
            "created_at": _ts(note.created_at),
            "updated_at": _ts(note.updated_at),
            "project_id": project.id,
            "noteable_id": issue.id,
            "system": note.system,
            "internal": note.internal,
            "url": url,
            "action": "create",
        },
        "issue": _issue_attributes(world, issue),
        "repository": {"name": project.name, "url": f"{world.base_url}/{project.path}.git"},
    }


# --- delivery ----------------------------------------------------------------------------------


@dataclass
class Delivery:
    url: str
    event: str
    status: int  # the receiver's HTTP status; 0 when it could not be reached


@dataclass
class Deliverer:
    """One background thread posting queued events in order; never raises into the API."""

    timeout: float = 10.0
    delivered: deque[Delivery] = field(default_factory=lambda: deque(maxlen=QUEUE_SIZE))
    dropped: int = 0
    _queue: queue.Queue[tuple[str, str, str, bytes]] = field(
        default_factory=lambda: queue.Queue(maxsize=QUEUE_SIZE)
    )
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, hook: Hook, event: str, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        try:
            self._queue.put_nowait((hook.url, hook.token, event, data))
        except queue.Full:
            self.dropped += 1
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, daemon=True, name="hooks")
                self._thread.start()

    def idle(self) -> bool:
        return self._queue.unfinished_tasks == 0

    def _work(self) -> None:
        while True:
            url, token, event, data = self._queue.get()
            try:
                self.delivered.append(Delivery(url, event, self._post(url, token, event, data)))
            finally:
                self._queue.task_done()

    def _post(self, url: str, token: str, event: str, data: bytes) -> int:
        if urlsplit(url).hostname not in LOCAL_HOSTS:
            return 0
        headers = {"Content-Type": "application/json", "X-Gitlab-Event": event}
        headers |= {"X-Gitlab-Token": token} if token else {}
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as err:
            return err.code
        except (OSError, ValueError):
            return 0
