"""A local GitLab REST API v4 emulator for the demo and the tests: a stand-in, never for real data.

    with Sandbox(seed) as sandbox:
        gitlab.Gitlab(sandbox.url, private_token=sandbox.token_for("alice"))

It serves the subset accred-ops uses over real HTTP on 127.0.0.1, with GitLab's response shapes,
status codes, pagination headers, label events and system notes, so that the production code
path (python-gitlab over HTTP) is the one tested. Everything lives in memory.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from accred_ops.sandbox.httpd import Faults, RequestRecord, Server
from accred_ops.sandbox.store import Group, Project, User, World

__all__ = ["RequestRecord", "Sandbox", "serve_forever"]

DEFAULT_SEED: dict[str, Any] = {
    "users": [
        {"username": "accred-bot", "name": "Accreditation Bot"},
        {"username": "alice"},
        {"username": "bob"},
        {"username": "carol"},
        {"username": "sam"},
        {"username": "dana"},
    ],
    "groups": [
        {
            "path": "field-enablement",
            "members": [{"username": "accred-bot", "access_level": 50}],
        },
        {
            "path": "field-enablement/assessors",
            "members": [{"username": "sam", "access_level": 30}],
        },
    ],
    "projects": [
        {
            "path": "field-enablement/accreditation",
            "members": [
                {"username": "alice", "access_level": 20},
                {"username": "bob", "access_level": 20},
                {"username": "carol", "access_level": 20},
                {"username": "sam", "access_level": 30},
            ],
        }
    ],
}


class Sandbox:
    """Start, seed, inspect and break a sandbox GitLab."""

    def __init__(
        self, seed: dict[str, Any] | None = None, *, clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._offset = dt.timedelta()
        self.world = World(self.now)
        _apply_seed(self.world, seed or DEFAULT_SEED)
        self._initial = self._copy()
        self.faults = Faults()
        self._server = Server(self.world, self.faults)

    @classmethod
    def from_seed_file(cls, path: str | Path) -> Sandbox:
        return cls(yaml.safe_load(Path(path).read_text()))

    # --- lifecycle --------------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        return self._server.start(port)

    @property
    def url(self) -> str:
        return self._server.url

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- clock and people -------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return self._clock() + self._offset

    def advance(self, days: float = 0, hours: float = 0, minutes: float = 0) -> None:
        self._offset += dt.timedelta(days=days, hours=hours, minutes=minutes)

    def token_for(self, username: str) -> str:
        user = self.world.user_by_name(username)
        if user is None:
            raise KeyError(username)
        return user.token

    def add_user(
        self,
        username: str,
        token: str | None = None,
        name: str | None = None,
        email: str | None = None,
    ) -> User:
        with self._server.lock:
            return _add_user(
                self.world, {"username": username, "token": token, "name": name, "email": email}
            )

    def add_member(self, group_path: str, username: str, access_level: int) -> None:
        with self._server.lock:
            group = next(g for g in self.world.groups.values() if g.path == group_path)
            user = self.world.user_by_name(username)
            assert user is not None
            group.members[user.id] = access_level

    def remove_member(self, group_path: str, username: str) -> None:
        with self._server.lock:
            group = next(g for g in self.world.groups.values() if g.path == group_path)
            user = self.world.user_by_name(username)
            if user:
                group.members.pop(user.id, None)

    # --- the log ----------------------------------------------------------------------------

    @property
    def log(self) -> list[RequestRecord]:
        return self._server.log

    def reset_log(self) -> None:
        with self._server.lock:
            self._server.log.clear()

    def writes(self) -> list[RequestRecord]:
        """Writes GitLab accepted (the log also keeps refused and faulted ones)."""
        return [r for r in self.log if r.is_write and 200 <= r.status < 300]

    def count(self, write: bool | None = None) -> int:
        return sum(1 for r in self.log if write is None or r.is_write == write)

    # --- state ------------------------------------------------------------------------------

    def _copy(self) -> dict[str, Any]:
        return copy.deepcopy({k: v for k, v in self.world.__dict__.items() if k != "clock"})

    def save(self) -> dict[str, Any]:
        """Everything in the world, to `restore` later (e.g. before each of many fault runs)."""
        with self._server.lock:
            return self._copy()

    def restore(self, saved: dict[str, Any]) -> None:
        """Put the world back as it was saved (faults cleared, log emptied)."""
        with self._server.lock:
            self.world.__dict__.update(copy.deepcopy(saved))
            self._server.log.clear()
        self.faults.clear()

    def reset(self) -> None:
        """Back to the seeded world."""
        self.restore(self._initial)

    def snapshot(self) -> dict[str, Any]:
        """A comparable view of everything (no ids, iids or timestamps) for same-end-state tests."""
        with self._server.lock:
            return _snapshot(self.world)


def _add_user(world: World, spec: dict[str, Any]) -> User:
    username = spec["username"]
    user = User(
        world.next_id(),
        username,
        spec.get("name") or username.title(),
        spec.get("token") or f"{username}-token",
        spec.get("email"),
    )
    world.users[user.id] = user
    return user


def _apply_seed(world: World, seed: dict[str, Any]) -> None:
    for spec in seed.get("users", []):
        _add_user(world, spec)
    for spec in seed.get("groups", []):
        path = spec["path"]
        parent = (
            next((g for g in world.groups.values() if g.path == path.rsplit("/", 1)[0]), None)
            if "/" in path
            else None
        )
        tier = spec.get("tier") or (parent.tier if parent else "premium")
        group = Group(world.next_id(), path, tier, parent.id if parent else None)
        for member in spec.get("members", []):
            user = world.user_by_name(member["username"])
            if user is None:
                raise ValueError(f"seed: group {path} names unknown user {member['username']}")
            group.members[user.id] = int(member.get("access_level", 30))
        world.groups[group.id] = group
    for spec in seed.get("projects", []):
        namespace = spec["path"].rsplit("/", 1)[0]
        group = next(g for g in world.groups.values() if g.path == namespace)
        project = Project(world.next_id(), spec["path"], group.id)
        for member in spec.get("members", []):
            user = world.user_by_name(member["username"])
            if user is None:
                raise ValueError(
                    f"seed: project {spec['path']} names unknown user {member['username']}"
                )
            project.members[user.id] = int(member.get("access_level", 30))
        world.projects[project.id] = project


def _notes(world: World, item: Any) -> list[dict[str, str]]:
    return [
        {"author": world.users[n.author_id].username, "body": n.body}
        for n in item.notes
        if not n.system
    ]


def _snapshot(world: World) -> dict[str, Any]:
    users = world.users
    epic_titles = {e.id: e.title for e in world.epics.values()}
    issues = {
        (world.projects[i.project_id].path, i.title): {
            "description": i.description,
            "labels": sorted(i.labels),
            "state": i.state,
            "assignees": sorted(users[u].username for u in i.assignee_ids),
            "due_date": i.due_date,
            "epic": epic_titles.get(i.epic_id or 0),
            "notes": _notes(world, i),
        }
        for i in world.issues.values()
    }
    epics = {
        (world.groups[e.group_id].path, e.title): {
            "description": e.description,
            "labels": sorted(e.labels),
            "state": e.state,
            "notes": _notes(world, e),
            "issues": sorted(i.title for i in world.issues.values() if i.epic_id == e.id),
        }
        for e in world.epics.values()
    }
    labels = sorted(
        (lb.name, lb.color, lb.description, lb.group_id is not None) for lb in world.labels.values()
    )
    boards = {
        b.name: [
            world.labels[lst.label_id].name for lst in sorted(b.lists, key=lambda x: x.position)
        ]
        for b in world.boards.values()
    }
    duplicates = len(world.issues) - len(issues) + len(world.epics) - len(epics)
    return {
        "issues": issues,
        "epics": epics,
        "labels": labels,
        "boards": boards,
        "duplicates": duplicates,
    }


def serve_forever(port: int, seed_path: str | None, echo: Callable[[str], None]) -> None:
    """Run a sandbox by hand until Ctrl-C; print its URL and every user's token."""
    import threading

    sandbox = Sandbox.from_seed_file(seed_path) if seed_path else Sandbox()
    url = sandbox.start(port)
    echo(f"GitLab sandbox (a stand-in for demos and tests, never for real data) at {url}")
    for user in sandbox.world.users.values():
        echo(f"  {user.username}: GITLAB_TOKEN={user.token}")
    echo("Press Ctrl-C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        sandbox.stop()
