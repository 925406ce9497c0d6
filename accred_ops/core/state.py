"""What GitLab has, as plain data: the adapter returns these, the planner reads them.

python-gitlab objects never leak past the adapter; these frozen records are all the core sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accred_ops.core import marker
from accred_ops.core.record import LearnerRecord


@dataclass(frozen=True)
class User:
    id: int
    username: str


@dataclass(frozen=True)
class LabelEvent:
    """One label added to or removed from an issue, and by whom (GitLab records it; nobody can forge it)."""

    id: int
    label: str
    action: str  # "add" | "remove"
    user: str
    created_at: str


@dataclass(frozen=True)
class Note:
    id: int
    body: str
    author: str
    system: bool
    created_at: str
    updated_at: str = ""


@dataclass(frozen=True)
class Issue:
    id: int
    iid: int
    title: str
    description: str
    labels: tuple[str, ...]
    state: str  # "opened" | "closed"
    web_url: str
    assignees: tuple[str, ...] = ()
    closed_by: str | None = None
    due_date: str | None = None
    epic_iid: int | None = None
    created_at: str = ""
    updated_at: str = ""
    closed_at: str | None = None
    author: str = ""
    assignee_ids: tuple[int, ...] = ()  # the same people as `assignees`, by user id
    # GitLab's count of the issue's comments (system notes aside), as its listing gives it;
    # None where the source does not say. Only 0 is ever relied on: nobody can have commented.
    user_notes: int | None = None

    @property
    def key(self) -> marker.IssueKey | None:
        return marker.issue_key(self.description)


@dataclass(frozen=True)
class Epic:
    id: int
    iid: int
    title: str
    description: str
    labels: tuple[str, ...]
    state: str
    web_url: str
    created_at: str = ""
    updated_at: str = ""
    author: str = ""

    @property
    def key(self) -> marker.EpicKey | None:
        return marker.epic_key(self.description)


@dataclass(frozen=True)
class GroupLabel:
    id: int
    name: str
    color: str = ""
    description: str = ""


@dataclass(frozen=True)
class Board:
    id: int
    name: str
    list_labels: tuple[str, ...] = ()
    scope_labels: tuple[str, ...] = ()  # the board's label scope (Premium): issues it shows


@dataclass(frozen=True)
class IssueDetails:
    """What is read only for the few issues that need it: label events and comments."""

    events: tuple[LabelEvent, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass
class LearnerState:
    """Everything GitLab has for one learner on one path (found by marker)."""

    epic: Epic | None = None
    issues: dict[str, Issue] = field(default_factory=dict)  # course id -> issue
    details: dict[int, IssueDetails] = field(default_factory=dict)  # issue iid -> details
    epic_notes: tuple[Note, ...] | None = None
    user: User | None = None
    # The tool's record of this learner (core/record.py): None until read, or for a learner the
    # tool has not recorded yet (new, or enrolled by an earlier version: adopted, then written).
    record: LearnerRecord | None = None
    record_note: Note | None = None  # issue mode: the tool's comment that holds the record
    # Issues that may be adopted for a course the record does not name (oldest first); a sync
    # checks their assignment history before adopting one (core/identity.py, rule 4).
    candidates: dict[str, tuple[Issue, ...]] = field(default_factory=dict)
    # What GitLab refused this run that blocks nothing (a learner issue padded past the size
    # limit refuses the rewrite of its description): reported after the rest is applied.
    refused: list[str] = field(default_factory=list)
    epic_made: bool = False  # this run created the epic: no other run wrote its record before
    # The tool's issues for a course the record names another issue for, that no record names:
    # a renewal issue a killed run created but did not record (core/renewal.py adopts it).
    orphans: dict[str, tuple[Issue, ...]] = field(default_factory=dict)
