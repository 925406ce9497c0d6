"""The sandbox's world: users, groups, projects, labels, issues, epics, notes, events, boards.

Plain in-memory records with GitLab's rules applied on change (iids per project or group,
label events, tick system notes, scoped labels on Premium, quick actions). No HTTP here: the
API layer turns requests into calls on `World` and records into GitLab's JSON.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

GUEST, REPORTER, DEVELOPER, MAINTAINER, OWNER = 10, 20, 30, 40, 50


@dataclass
class User:
    id: int
    username: str
    name: str
    token: str
    email: str | None = None


@dataclass
class Group:
    id: int
    path: str  # full path
    tier: str
    parent_id: int | None
    members: dict[int, int] = field(default_factory=dict)  # user id -> access level

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class Project:
    id: int
    path: str
    group_id: int
    members: dict[int, int] = field(default_factory=dict)  # direct project members

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class Label:
    id: int
    name: str
    color: str
    description: str
    group_id: int | None = None
    project_id: int | None = None


@dataclass
class Note:
    id: int
    body: str
    author_id: int
    system: bool
    created_at: str
    noteable_type: str
    noteable_id: int
    noteable_iid: int


@dataclass
class LabelEvent:
    id: int
    user_id: int
    created_at: str
    resource_type: str
    resource_id: int
    label_id: int
    action: str


@dataclass
class Issuable:
    """What issues and epics share: text, labels (by name), state, notes and label events."""

    id: int
    iid: int
    title: str
    description: str
    author_id: int
    created_at: str
    updated_at: str
    labels: list[str] = field(default_factory=list)
    state: str = "opened"
    closed_at: str | None = None
    closed_by_id: int | None = None
    notes: list[Note] = field(default_factory=list)
    events: list[LabelEvent] = field(default_factory=list)


@dataclass
class Issue(Issuable):
    project_id: int = 0
    assignee_ids: list[int] = field(default_factory=list)
    due_date: str | None = None
    epic_id: int | None = None
    epic_issue_id: int | None = None
    links: list[int] = field(default_factory=list)  # ids of linked issues


@dataclass
class Epic(Issuable):
    group_id: int = 0


@dataclass
class BoardList:
    id: int
    label_id: int
    position: int


@dataclass
class Board:
    id: int
    group_id: int
    name: str
    lists: list[BoardList] = field(default_factory=list)


class Forbidden(Exception):
    """The actor lacks the rights (403)."""


class NotFound(Exception):
    """Unknown or invisible resource (404); the message is GitLab's body text."""


_TASK = re.compile(r"^[ \t>]*(?:[-*+]|\d+[.)])[ \t]+\[([ xX~])\][ \t]+(.*)$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_COMMAND = re.compile(r"^/(close|reopen|label|unlabel)\b(.*)$")
_LABEL_REF = re.compile(r'~"([^"]+)"|~([^\s~"]+)')


def tasks(description: str) -> list[tuple[str, bool]]:
    """GitLab's task items in a description: (source text, checked), outside code fences."""
    found: list[tuple[str, bool]] = []
    fenced = False
    for line in description.replace("\r\n", "\n").split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _TASK.match(line)
        if match and match[1] != "~":
            found.append((match[2].strip(), match[1] in "xX"))
    return found


def split_commands(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Quick actions (lines starting with /close, /reopen, /label, /unlabel outside code) and the rest."""
    kept: list[str] = []
    commands: list[tuple[str, str]] = []
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _COMMAND.match(line)
        if match:
            commands.append((match[1], match[2]))
        else:
            kept.append(line)
    return "\n".join(kept), commands


class World:
    """Every record, and the operations that change them the way GitLab does."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock
        self._ids = itertools.count(1)
        self.users: dict[int, User] = {}
        self.groups: dict[int, Group] = {}
        self.projects: dict[int, Project] = {}
        self.labels: dict[int, Label] = {}
        self.issues: dict[int, Issue] = {}
        self.epics: dict[int, Epic] = {}
        self.boards: dict[int, Board] = {}

    def next_id(self) -> int:
        return next(self._ids)

    def now(self) -> str:
        return (
            self.clock()
            .astimezone(dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )

    # --- lookups ----------------------------------------------------------------------------

    def user_by_token(self, token: str) -> User | None:
        return next((u for u in self.users.values() if u.token == token), None)

    def user_by_name(self, username: str) -> User | None:
        return next(
            (u for u in self.users.values() if u.username.lower() == username.lower()), None
        )

    def ancestors(self, group: Group) -> list[Group]:
        """The group and its parents, nearest first."""
        chain = [group]
        while chain[-1].parent_id is not None:
            chain.append(self.groups[chain[-1].parent_id])
        return chain

    def access(self, user: User, group: Group) -> int:
        """Highest access level, direct or inherited from ancestor groups."""
        return max((g.members.get(user.id, 0) for g in self.ancestors(group)), default=0)

    def project_access(self, user: User, project: Project) -> int:
        return max(
            project.members.get(user.id, 0), self.access(user, self.groups[project.group_id])
        )

    def can_see(self, user: User, group: Group) -> bool:
        """Members of a group, of its ancestors or descendants, or of a project inside it."""
        if self.access(user, group):
            return True
        if any(self.access(user, g) for g in self.groups.values() if group in self.ancestors(g)):
            return True
        return any(
            p.members.get(user.id) and group in self.ancestors(self.groups[p.group_id])
            for p in self.projects.values()
        )

    def group(self, ref: str, user: User) -> Group:
        found = next((g for g in self.groups.values() if str(g.id) == ref or g.path == ref), None)
        if found is None or not self.can_see(user, found):
            raise NotFound("404 Group Not Found")
        return found

    def project(self, ref: str, user: User) -> Project:
        found = next((p for p in self.projects.values() if str(p.id) == ref or p.path == ref), None)
        if found is None or not self.project_access(user, found):
            raise NotFound("404 Project Not Found")
        return found

    def require(self, user: User, group: Group, level: int) -> None:
        if self.access(user, group) < level:
            raise Forbidden("403 Forbidden")

    def require_in_project(self, user: User, project: Project, level: int) -> None:
        if self.project_access(user, project) < level:
            raise Forbidden("403 Forbidden")

    def issue(self, project: Project, iid: int) -> Issue:
        found = next(
            (i for i in self.issues.values() if i.project_id == project.id and i.iid == iid), None
        )
        if found is None:
            raise NotFound("404 Issue Not Found")
        return found

    def epic(self, group: Group, *, iid: int | None = None, id: int | None = None) -> Epic:
        for epic in self.epics.values():
            if epic.group_id == group.id and (epic.iid == iid or epic.id == id):
                return epic
        raise NotFound("404 Epic Not Found")

    def label_named(self, name: str, group: Group, project: Project | None = None) -> Label | None:
        scopes = {g.id for g in self.ancestors(group)}
        for label in self.labels.values():
            if label.name == name and (
                label.group_id in scopes or (project and label.project_id == project.id)
            ):
                return label
        return None

    # --- changes ----------------------------------------------------------------------------

    def create_label(
        self,
        name: str,
        color: str,
        description: str,
        *,
        group: Group | None = None,
        project: Project | None = None,
    ) -> Label:
        label = Label(
            self.next_id(),
            name,
            color,
            description,
            group.id if group else None,
            project.id if project else None,
        )
        self.labels[label.id] = label
        return label

    def _owner_group(self, item: Issuable) -> tuple[Group, Project | None]:
        if isinstance(item, Issue):
            project = self.projects[item.project_id]
            return self.groups[project.group_id], project
        assert isinstance(item, Epic)
        return self.groups[item.group_id], None

    def set_labels(self, item: Issuable, wanted: list[str], user: User) -> None:
        """Replace an item's labels, recording an event per label added or removed."""
        group, project = self._owner_group(item)
        if group.tier == "premium":
            wanted = _scoped_exclusive(wanted)
        resource = "Issue" if isinstance(item, Issue) else "Epic"
        for name in wanted:
            if name not in item.labels:
                label = self.label_named(name, group, project) or self.create_label(
                    name, "#6699cc", "", project=project, group=None if project else group
                )
                item.events.append(
                    LabelEvent(
                        self.next_id(), user.id, self.now(), resource, item.id, label.id, "add"
                    )
                )
        for name in item.labels:
            if name not in wanted:
                label = self.label_named(name, group, project)
                if label:
                    item.events.append(
                        LabelEvent(
                            self.next_id(),
                            user.id,
                            self.now(),
                            resource,
                            item.id,
                            label.id,
                            "remove",
                        )
                    )
        item.labels = list(dict.fromkeys(wanted))

    def set_state(self, item: Issuable, event: str, user: User) -> None:
        if event == "close" and item.state == "opened":
            item.state, item.closed_at, item.closed_by_id = "closed", self.now(), user.id
        elif event == "reopen" and item.state == "closed":
            item.state, item.closed_at, item.closed_by_id = "opened", None, None

    def set_description(self, item: Issuable, text: str, user: User) -> None:
        """New description; tick system notes exactly as GitLab writes them."""
        text = self.run_commands(item, text, user)
        if text == item.description:
            return
        old, new = tasks(item.description), tasks(text)
        flipped = [
            (t, done)
            for (t, done), (ot, odone) in zip(new, old, strict=False)
            if t == ot and done != odone
        ]
        item.description = text
        if flipped:
            for task, done in flipped:
                state = "completed" if done else "incomplete"
                self.add_note(
                    item, f"marked the checklist item **{task}** as {state}", user, system=True
                )
        else:
            self.add_note(item, "changed the description", user, system=True)

    def run_commands(self, item: Issuable, text: str, user: User) -> str:
        text, commands = split_commands(text)
        for command, argument in commands:
            names = [a or b for a, b in _LABEL_REF.findall(argument)]
            if command in ("close", "reopen"):
                self.set_state(item, command, user)
            elif command == "label":
                self.set_labels(item, [*item.labels, *names], user)
            elif command == "unlabel":
                self.set_labels(item, [n for n in item.labels if n not in names], user)
        return text

    def add_note(
        self, item: Issuable, body: str, user: User, *, system: bool = False
    ) -> Note | None:
        if not system:
            body = self.run_commands(item, body, user)
            if not body.strip():
                return None
        kind = "Issue" if isinstance(item, Issue) else "Epic"
        note = Note(self.next_id(), body, user.id, system, self.now(), kind, item.id, item.iid)
        item.notes.append(note)
        item.updated_at = self.now()
        return note


def _scoped_exclusive(names: list[str]) -> list[str]:
    """Premium: of several `key::value` labels with one key, only the last one stays."""
    result: list[str] = []
    for name in names:
        if "::" in name:
            key = name.rsplit("::", 1)[0]
            result = [n for n in result if not ("::" in n and n.rsplit("::", 1)[0] == key)]
        result.append(name)
    return result
