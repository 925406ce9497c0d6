"""The sandbox's in-memory records: plain dataclasses, no behaviour.

Everything the HTTP layer shows is derived from these, so a deep copy of `State` is a complete
save point (used to restore a world between crash-recovery runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

GUEST, REPORTER, DEVELOPER, MAINTAINER, OWNER = 10, 20, 30, 40, 50


@dataclass
class User:
    id: int
    username: str
    name: str
    email: str
    token: str
    created_at: datetime
    bot: bool = False  # an access token's bot user or a service account (GitLab's `bot`)


@dataclass
class Member:
    user_id: int
    access_level: int
    created_at: datetime


@dataclass
class Group:
    id: int
    path: str  # full path, e.g. "field-enablement/assessors"
    name: str
    parent_id: int | None
    tier: str  # "premium" or "free"; subgroups copy their root's tier
    created_at: datetime
    members: dict[int, Member] = field(default_factory=dict)


@dataclass
class Project:
    id: int
    path: str  # full path, e.g. "field-enablement/accreditation"
    name: str
    group_id: int
    created_at: datetime
    members: dict[int, Member] = field(default_factory=dict)


@dataclass
class Label:
    id: int
    name: str
    color: str
    description: str
    group_id: int | None  # exactly one of group_id / project_id is set
    project_id: int | None
    priority: int | None = None


@dataclass
class Note:
    id: int
    body: str
    author_id: int
    system: bool
    created_at: datetime
    updated_at: datetime
    internal: bool = False


@dataclass
class LabelEvent:
    id: int
    user_id: int
    created_at: datetime
    label_id: int
    action: str  # "add" | "remove"


@dataclass
class Issuable:
    """What issues and epics share: text, labels (by id), state, notes and label events."""

    id: int
    iid: int
    title: str
    description: str
    author_id: int
    created_at: datetime
    updated_at: datetime
    label_ids: list[int] = field(default_factory=list)
    state: str = "opened"
    closed_at: datetime | None = None
    closed_by_id: int | None = None
    confidential: bool = False
    notes: list[Note] = field(default_factory=list)
    label_events: list[LabelEvent] = field(default_factory=list)


@dataclass
class Issue(Issuable):
    project_id: int = 0
    assignee_ids: list[int] = field(default_factory=list)
    due_date: str | None = None
    epic_id: int | None = None  # global epic id
    epic_issue_id: int | None = None  # id of the epic-issue association
    weight: int | None = None  # Premium (issue_weights)


@dataclass
class MergeRequest(Issue):
    """Only what a merge-request comment needs: an Issue's ownership (labels, notes) and branches."""

    source_branch: str = ""
    target_branch: str = "main"


@dataclass
class Epic(Issuable):
    group_id: int = 0
    work_item_id: int = 0  # its id as a work item (GraphQL): not the epic's id (facts §4.2)


@dataclass
class IssueLink:
    id: int
    source_id: int  # global issue ids
    target_id: int
    link_type: str
    created_at: datetime


@dataclass
class BoardList:
    id: int
    label_id: int
    position: int


@dataclass
class Board:
    id: int
    name: str
    group_id: int
    lists: list[BoardList] = field(default_factory=list)
    label_ids: list[int] = field(default_factory=list)  # the board's scope (Premium)


@dataclass
class Hook:
    """A project webhook: where GitLab posts which events, with which secret token."""

    id: int
    project_id: int
    url: str
    token: str
    issues_events: bool
    note_events: bool
    created_at: datetime


@dataclass
class State:
    """All data of one world; ids come from one counter so ids of different kinds never collide."""

    next_id: int = 1
    users: dict[int, User] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)
    projects: dict[int, Project] = field(default_factory=dict)
    labels: dict[int, Label] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    epics: dict[int, Epic] = field(default_factory=dict)
    merge_requests: dict[int, MergeRequest] = field(default_factory=dict)
    links: dict[int, IssueLink] = field(default_factory=dict)
    boards: dict[int, Board] = field(default_factory=dict)
    hooks: dict[int, Hook] = field(default_factory=dict)
    iids: dict[tuple[str, int], int] = field(default_factory=dict)  # ("issue", project id) → last

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def new_iid(self, kind: str, owner_id: int) -> int:
        value = self.iids.get((kind, owner_id), 0) + 1
        self.iids[(kind, owner_id)] = value
        return value
