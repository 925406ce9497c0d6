"""`Sandbox`: start, seed, inspect, rewind and break a local GitLab; `serve_forever` for the CLI."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from accred_ops.sandbox import seed as seeds
from accred_ops.sandbox.faults import Faults, RequestRecord
from accred_ops.sandbox.model import MergeRequest, State, User
from accred_ops.sandbox.server import Server
from accred_ops.sandbox.snapshot import snapshot
from accred_ops.sandbox.world import World


class Sandbox:
    """One in-memory GitLab served on 127.0.0.1; a stand-in for demos and tests only."""

    def __init__(
        self, seed: dict[str, Any] | None = None, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.world = World(clock)
        seeds.build(self.world, seeds.DEFAULT_SEED if seed is None else seed)
        self._initial = copy.deepcopy(self.world.state)
        self.faults = Faults()
        self._server = Server(self.world, self.faults)

    @classmethod
    def from_seed_file(
        cls, path: str | Path, *, clock: Callable[[], datetime] | None = None
    ) -> Sandbox:
        return cls(seeds.load_file(path), clock=clock)

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1 (a free port when 0); returns the base URL, without /api/v4."""
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

    # --- people and time ----------------------------------------------------------------------

    def token_for(self, username: str) -> str:
        user = self.world.find_user(username)
        if user is None:
            raise KeyError(f"no sandbox user {username!r}")
        return user.token

    def add_user(
        self,
        username: str,
        token: str | None = None,
        name: str | None = None,
        email: str | None = None,
    ) -> User:
        return self.world.add_user(username, token, name, email or "")

    def add_merge_request(
        self, project_path: str, author: str, title: str, source_branch: str = "change"
    ) -> int:
        """A merge request to comment on (as a pipeline's plan job would); returns its iid."""
        with self.world.lock:
            project = self.world.project_by_path(project_path)
            user = self.world.find_user(author)
            if project is None or user is None:
                raise KeyError(f"no sandbox project {project_path!r} or user {author!r}")
            state, now = self.world.state, self.world.now()
            mr = MergeRequest(
                id=state.new_id(),
                iid=state.new_iid("merge_request", project.id),
                title=title,
                description="",
                author_id=user.id,
                created_at=now,
                updated_at=now,
                project_id=project.id,
                source_branch=source_branch,
            )
            state.merge_requests[mr.id] = mr
            return mr.iid

    def add_member(self, group_path: str, username: str, access_level: int) -> None:
        self.world.set_member(self._group(group_path), username, access_level)

    def remove_member(self, group_path: str, username: str) -> None:
        self.world.set_member(self._group(group_path), username, None)

    def _group(self, path: str) -> Any:
        group = self.world.group_by_path(path)
        if group is None:
            raise KeyError(f"no sandbox group {path!r}")
        return group

    def now(self) -> datetime:
        """The sandbox clock (UTC): the given clock, else real time or ACCRED_SANDBOX_START's, plus
        `advance()` offsets."""
        return self.world.now()

    def advance(self, days: float = 0, hours: float = 0, minutes: float = 0) -> None:
        with self.world.lock:
            self.world.offset += timedelta(days=days, hours=hours, minutes=minutes)

    # --- the request log ----------------------------------------------------------------------

    @property
    def log(self) -> list[RequestRecord]:
        """Every request so far (a copy), faulted ones with the status sent, dropped ones with 0."""
        return self._server.log()

    def reset_log(self) -> None:
        self._server.reset_log()

    def writes(self) -> list[RequestRecord]:
        """Write requests that succeeded (status < 400)."""
        return [r for r in self.log if r.is_write and 0 < r.status < 400]

    def count(self, write: bool | None = None) -> int:
        """Requests in the log: all (None), successful writes (True), or reads of any status."""
        if write is True:
            return len(self.writes())
        return sum(1 for r in self.log if write is None or not r.is_write)

    # --- webhooks -----------------------------------------------------------------------------

    @property
    def deliveries(self) -> list[Any]:
        """Webhook deliveries made so far: url, X-Gitlab-Event, the receiver's status."""
        return list(self._server.hooks.delivered)

    def wait_for_hooks(self, timeout: float = 10.0) -> bool:
        """Until every queued webhook delivery is done (True), or `timeout` seconds (False)."""
        deadline = time.monotonic() + timeout
        while not self._server.hooks.idle():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    # --- state --------------------------------------------------------------------------------

    def board_issues(self, group_path: str, board_name: str) -> dict[str, list[str]]:
        """What a group board shows, list by list, as GitLab's board does: the "Open" list
        holds open issues with none of the lists' labels, each label list the open issues with
        its label, and a scoped board only issues carrying every scope label (titles)."""
        with self.world.lock:
            group = self._group(group_path)
            board = next(
                b
                for b in self.world.state.boards.values()
                if b.group_id == group.id and b.name == board_name
            )
            below = {g.id for g in self.world.descendants(group)}
            projects = {p.id for p in self.world.state.projects.values() if p.group_id in below}
            shown = [
                i
                for i in self.world.state.issues.values()
                if i.project_id in projects
                and i.state == "opened"
                and set(board.label_ids) <= set(i.label_ids)
            ]
            lists = sorted(board.lists, key=lambda lst: lst.position)
            listed = {lst.label_id for lst in lists}
            found = {"Open": [i.title for i in shown if not listed & set(i.label_ids)]}
            for lst in lists:
                name = self.world.state.labels[lst.label_id].name
                found[name] = [i.title for i in shown if lst.label_id in i.label_ids]
            return found

    def snapshot(self) -> dict[str, Any]:
        with self.world.lock:
            return snapshot(self.world)

    def save(self) -> State:
        """A save point of the whole world, for `restore`."""
        with self.world.lock:
            return copy.deepcopy(self.world.state)

    def restore(self, saved: State) -> None:
        """Back to a save point; faults, rate-limit windows and the log are cleared too."""
        with self.world.lock:
            self.world.state = copy.deepcopy(saved)
        self.faults.clear()
        self._server.limiter.clear()
        self.reset_log()

    def reset(self) -> None:
        """Back to the seeded world (see `restore`)."""
        self.restore(self._initial)


ROLES = {10: "Guest", 20: "Reporter", 30: "Developer", 40: "Maintainer", 50: "Owner"}


def describe(sandbox: Sandbox) -> list[str]:
    """What a person needs to use a running sandbox: where it is, what is in it, whose token
    accred-ops should use (the Owner of a top-level group), and how to point accred-ops at it."""
    state = sandbox.world.state
    users = state.users
    url = sandbox.url
    lines = [
        f"GitLab sandbox at {url}, in memory: a stand-in for trying accred-ops, not for real data",
        f"  board view (read-only): {url}/",
        f"  GITLAB_URL={url}  (accred-ops adds /api/v4 itself)",
        "groups:",
    ]
    tool = None
    for group in sorted(state.groups.values(), key=lambda g: g.path):
        members = ", ".join(
            f"{users[m.user_id].username} ({ROLES.get(m.access_level, m.access_level)})"
            for m in group.members.values()
        )
        lines.append(f"  {group.path} [{group.tier}]: {members or 'no direct members'}")
        owner = next((m for m in group.members.values() if m.access_level == 50), None)
        if group.parent_id is None and owner and tool is None:
            tool = users[owner.user_id]
    lines.append("projects:")
    for project in sorted(state.projects.values(), key=lambda p: p.path):
        members = ", ".join(
            f"{users[m.user_id].username} ({ROLES.get(m.access_level, m.access_level)})"
            for m in project.members.values()
        )
        lines.append(f"  {project.path}: {members or 'members of its group only'}")
    lines.append("tokens (one per user; learners and assessors act with theirs):")
    for user in users.values():
        mark = "   <- accred-ops's own (GITLAB_TOKEN)" if user is tool else ""
        lines.append(f"  {user.username}: {user.token}{mark}")
    if tool is not None:
        lines.append(f"try:  export GITLAB_URL={url} GITLAB_TOKEN={tool.token}")
    return lines


def serve_forever(port: int, seed_path: str | None, echo: Callable[[str], None]) -> None:
    """Run a sandbox until Ctrl-C, after printing its URL, groups, projects and tokens."""
    sandbox = Sandbox.from_seed_file(seed_path) if seed_path else Sandbox()
    sandbox.start(port)
    for line in describe(sandbox):
        echo(line)
    echo("Press Ctrl-C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
