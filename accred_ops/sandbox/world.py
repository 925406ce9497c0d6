"""The world: records, the clock, lookups, permissions and labels; no HTTP.

One re-entrant lock guards everything: the server holds it for a whole request, so requests are
applied one at a time, which is all a test double needs and keeps every operation atomic.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from accred_ops.sandbox.model import (
    GUEST,
    MAINTAINER,
    REPORTER,
    Group,
    Issue,
    Label,
    Member,
    Project,
    State,
    User,
)

# Minimum access level per action. GitLab's real matrix is richer (authors may edit their own
# issues, Planner role...); this one is deliberately small and in one place.
ROLE_NEEDED: dict[str, int] = {
    "read": GUEST,
    "create_issue": GUEST,
    "edit_issue": GUEST,  # and see may_update_issue: a Guest only their own or assigned issues
    "note": GUEST,
    "link_issues": GUEST,
    "admin_label": REPORTER,
    "admin_board": REPORTER,
    "edit_epic": REPORTER,
    "admin_hooks": MAINTAINER,
}

DEFAULT_LABEL_COLOR = "#6699cc"  # what GitLab gives labels it creates on the fly
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_NAMED = {"red": "#FF0000", "green": "#008000", "blue": "#0000FF", "black": "#000000"}
_NAMED |= {"white": "#FFFFFF", "orange": "#FFA500", "purple": "#800080", "gray": "#808080"}


class ApiError(Exception):
    """An answer other than success: status and the JSON body GitLab would send."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body


def not_found(what: str) -> ApiError:
    return ApiError(404, {"message": f"404 {what} Not Found"})


def forbidden() -> ApiError:
    return ApiError(403, {"message": "403 Forbidden"})


def bad_request(message: Any, key: str = "message") -> ApiError:
    return ApiError(400, {key: message})


START_VARIABLE = "ACCRED_SANDBOX_START"


def starting_clock() -> Callable[[], datetime]:
    """Real time, or, with ACCRED_SANDBOX_START (ISO 8601), a clock that starts at that moment
    and runs at real speed: tests pin it so a fixture's dates mean the same on any day, while
    `updated_at` still moves between requests as the incremental sync needs."""
    pinned = os.environ.get(START_VARIABLE)
    if not pinned:
        return lambda: datetime.now(UTC)
    start = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    started = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - started)


class World:
    """State plus the clock and the rules that every operation shares."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.lock = threading.RLock()
        self.state = State()
        self._clock = clock or starting_clock()
        self.offset = timedelta()
        self.base_url = "http://127.0.0.1"  # set by the server once it knows its port
        self.version = "18.2.0-ee"  # what /metadata and /version say (seed key `version`)

    # --- time -------------------------------------------------------------------------------

    def now(self) -> datetime:
        value = self._clock()
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) + self.offset

    # --- users ------------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        token: str | None = None,
        name: str | None = None,
        email: str = "",
        bot: bool = False,
    ) -> User:
        with self.lock:
            if self.find_user(username):
                raise ValueError(f"user {username!r} exists")
            uid = self.state.new_id()
            user = User(
                uid,
                username,
                name or username.replace("-", " ").title(),
                email or f"{username}@example.com",
                token or f"{username}-token",
                self.now(),
                bot,
            )
            self.state.users[uid] = user
            return user

    def delete_user(self, username: str) -> User:
        """Delete a user as GitLab does (revoking an access token deletes its bot user): what
        they authored — issues, epics, comments, label events — now shows as the Ghost User's
        (created on first need), and their memberships go. Returns the ghost."""
        with self.lock:
            gone = self.find_user(username)
            if gone is None:
                raise ValueError(f"no user {username!r}")
            ghost = self.find_user("ghost") or self.add_user(
                "ghost",
                token=secrets.token_hex(16),
                name="Ghost User",  # nobody signs in
            )
            for item in (*self.state.issues.values(), *self.state.epics.values()):
                if item.author_id == gone.id:
                    item.author_id = ghost.id
                if item.closed_by_id == gone.id:
                    item.closed_by_id = ghost.id
                for note in item.notes:
                    note.author_id = ghost.id if note.author_id == gone.id else note.author_id
                for event in item.label_events:
                    event.user_id = ghost.id if event.user_id == gone.id else event.user_id
            for target in (*self.state.groups.values(), *self.state.projects.values()):
                target.members.pop(gone.id, None)
            del self.state.users[gone.id]
            return ghost

    def find_user(self, username: str) -> User | None:
        wanted = username.lower()
        return next((u for u in self.state.users.values() if u.username.lower() == wanted), None)

    def user_by_token(self, token: str) -> User | None:
        return next((u for u in self.state.users.values() if u.token == token), None)

    def user(self, uid: int) -> User:
        return self.state.users[uid]

    # --- groups and projects -----------------------------------------------------------------

    def group_by_path(self, path: str) -> Group | None:
        return next((g for g in self.state.groups.values() if g.path == path), None)

    def project_by_path(self, path: str) -> Project | None:
        return next((p for p in self.state.projects.values() if p.path == path), None)

    def add_group(self, path: str, tier: str | None = None, name: str | None = None) -> Group:
        with self.lock:
            parent_path, _, leaf = path.rpartition("/")
            parent = self.group_by_path(parent_path) if parent_path else None
            if parent_path and parent is None:
                raise ValueError(f"group {path!r}: parent group {parent_path!r} does not exist")
            root_tier = self.ancestors(parent)[-1].tier if parent else (tier or "premium")
            if root_tier not in ("premium", "free"):
                raise ValueError(f"group {path!r}: tier must be premium or free")
            gid = self.state.new_id()
            group = Group(
                gid, path, name or leaf, parent.id if parent else None, root_tier, self.now()
            )
            self.state.groups[gid] = group
            return group

    def add_project(self, path: str, name: str | None = None) -> Project:
        with self.lock:
            group_path, _, leaf = path.rpartition("/")
            group = self.group_by_path(group_path)
            if group is None:
                raise ValueError(f"project {path!r}: group {group_path!r} does not exist")
            pid = self.state.new_id()
            project = Project(pid, path, name or leaf, group.id, self.now())
            self.state.projects[pid] = project
            return project

    def set_member(self, target: Group | Project, username: str, level: int | None) -> None:
        """Add or change a direct membership; `level=None` removes it."""
        with self.lock:
            user = self.find_user(username)
            if user is None:
                raise ValueError(f"unknown user {username!r}")
            if level is None:
                target.members.pop(user.id, None)
            else:
                target.members[user.id] = Member(user.id, level, self.now())

    def ancestors(self, group: Group) -> list[Group]:
        """The group itself, then its parent, up to the root."""
        chain = [group]
        while chain[-1].parent_id is not None:
            chain.append(self.state.groups[chain[-1].parent_id])
        return chain

    def descendants(self, group: Group) -> list[Group]:
        """The group and every subgroup below it."""
        return [g for g in self.state.groups.values() if group in self.ancestors(g)]

    def tier_of(self, target: Group | Project) -> str:
        group = target if isinstance(target, Group) else self.state.groups[target.group_id]
        return group.tier

    def group_of(self, project: Project) -> Group:
        return self.state.groups[project.group_id]

    # --- permissions ------------------------------------------------------------------------

    def access_level(self, user: User, target: Group | Project) -> int:
        """Highest direct or inherited (from ancestor groups) access level; 0 when none."""
        levels = [0]
        if isinstance(target, Project):
            levels.append(target.members[user.id].access_level if user.id in target.members else 0)
            target = self.group_of(target)
        levels += [
            g.members[user.id].access_level for g in self.ancestors(target) if user.id in g.members
        ]
        return max(levels)

    def require(self, user: User, action: str, target: Group | Project) -> None:
        if self.access_level(user, target) < ROLE_NEEDED[action]:
            raise forbidden()

    def can(self, user: User, action: str, target: Group | Project) -> bool:
        return self.access_level(user, target) >= ROLE_NEEDED[action]

    def may_update_issue(self, user: User, issue: Issue) -> bool:
        """GitLab: Reporter and up update any issue; a Guest only one they authored or are
        assigned to (app/policies/issuable_policy.rb: `assignee_or_author` enables
        `update_issue`)."""
        level = self.access_level(user, self.state.projects[issue.project_id])
        mine = issue.author_id == user.id or user.id in issue.assignee_ids
        return level >= REPORTER or (level >= GUEST and mine)

    def may_set_metadata(self, user: User, project: Project, *, persisted: bool = True) -> bool:
        """Labels and assignees of an existing issue need Reporter (app/policies/issue_policy.rb:
        `admin_issue` enables `set_issue_metadata`); any member may set them on a new issue
        (the `~persisted & is_project_member` rule, gitlab-org/gitlab#300100)."""
        level = self.access_level(user, project)
        return level >= REPORTER or (not persisted and level >= GUEST)

    def _resolve(self, ref: str, table: dict[int, Any], by_path: Callable[[str], Any]) -> Any:
        if ref.isdigit():
            return table.get(int(ref))
        return by_path(ref)

    def may_read_group(self, user: User, group: Group) -> bool:
        """Members of the group or its ancestors, and members of a project below it
        (app/policies/group_policy.rb: `has_projects` enables `read_group`, so a project-only
        member sees the parent group, its labels and epics)."""
        if self.access_level(user, group) >= GUEST:
            return True
        below = {g.id for g in self.descendants(group)}
        return any(
            user.id in p.members for p in self.state.projects.values() if p.group_id in below
        )

    def visible_group(self, ref: str, user: User) -> Group:
        """A group by numeric id or full path; 404 when missing or not visible (all private).
        Visible is not writable: writes check `require` (403)."""
        group = self._resolve(ref, self.state.groups, self.group_by_path)
        if group is None or not self.may_read_group(user, group):
            raise not_found("Group")
        return group

    def visible_project(self, ref: str, user: User) -> Project:
        project = self._resolve(ref, self.state.projects, self.project_by_path)
        if project is None or not self.can(user, "read", project):
            raise not_found("Project")
        return project

    # --- labels -----------------------------------------------------------------------------

    def labels_of_group(self, group: Group) -> list[Label]:
        """Labels usable in a group: its own, then its ancestors'."""
        ids = [g.id for g in self.ancestors(group)]
        return [lb for gid in ids for lb in self.state.labels.values() if lb.group_id == gid]

    def labels_of_project(self, project: Project) -> list[Label]:
        own = [lb for lb in self.state.labels.values() if lb.project_id == project.id]
        return own + self.labels_of_group(self.group_of(project))

    def find_label(self, name: str, owner: Group | Project) -> Label | None:
        pool = (
            self.labels_of_project(owner)
            if isinstance(owner, Project)
            else self.labels_of_group(owner)
        )
        return next((lb for lb in pool if lb.name == name), None)

    def create_label(
        self, owner: Group | Project, name: str, color: str, description: str = ""
    ) -> Label:
        """Validate and add a label; 409 when the name is taken where the label would live."""
        name = name.strip()
        if not name:
            raise bad_request({"title": ["can't be blank"]})
        hex_color = _NAMED.get(color.lower(), color)
        if not _HEX.match(hex_color):
            raise bad_request({"color": ["must be a valid color code"]})
        if self.find_label(name, owner) or self._label_below(name, owner):
            raise ApiError(409, {"message": "Label already exists"})
        is_group = not isinstance(owner, Project)
        label = Label(
            self.state.new_id(),
            name,
            hex_color,
            description or "",
            owner.id if is_group else None,
            None if is_group else owner.id,
        )
        self.state.labels[label.id] = label
        return label

    def _label_below(self, name: str, owner: Group | Project) -> bool:
        if isinstance(owner, Project):
            return False
        below = {g.id for g in self.descendants(owner)}
        return any(lb.name == name and lb.group_id in below for lb in self.state.labels.values())

    def labels_by_name(
        self, names: Iterable[str], owner: Group | Project, *, create: bool
    ) -> list[Label]:
        """Resolve names to labels; unknown ones are created (as GitLab does) or skipped."""
        found: list[Label] = []
        for name in names:
            label = self.find_label(name, owner)
            if label is None and create:
                label = self.create_label(owner, name, DEFAULT_LABEL_COLOR)
            if label is not None and label not in found:
                found.append(label)
        return found
