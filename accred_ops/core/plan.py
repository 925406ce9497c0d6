"""A plan: the ordered, typed changes that bring GitLab to what the program files say.

The planner returns these; the executor applies them, or prints `describe()` under --dry-run.
A change names what it touches by key (learner, course) or iid, so a plan is readable as is.
"""

from __future__ import annotations

from dataclasses import dataclass

from accred_ops.core.marker import EpicKey, IssueKey


@dataclass(frozen=True)
class Change:
    def describe(self, issue_mode: bool = False) -> str:
        """One line for the plan; `issue_mode`: the learner's path is a learner issue (GitLab
        Free), not an epic, and is named so."""
        raise NotImplementedError

    @property
    def creates(self) -> bool:
        return False


@dataclass(frozen=True)
class CreateLabel(Change):
    name: str
    color: str
    description: str

    def describe(self, issue_mode: bool = False) -> str:
        return f'create group label ~"{self.name}" ({self.color})'


@dataclass(frozen=True)
class CreateBoard(Change):
    name: str

    def describe(self, issue_mode: bool = False) -> str:
        return f'create group board "{self.name}"'


@dataclass(frozen=True)
class CreateBoardList(Change):
    board: str
    label: str

    def describe(self, issue_mode: bool = False) -> str:
        return f'add list ~"{self.label}" to board "{self.board}"'


@dataclass(frozen=True)
class ScopeBoard(Change):
    """Show only issues with these labels on the board (GitLab Premium: board scope)."""

    board: str
    labels: tuple[str, ...]

    def describe(self) -> str:
        names = ", ".join(f'~"{label}"' for label in self.labels)
        return f'scope board "{self.board}" to {names}'


@dataclass(frozen=True)
class CreateEpic(Change):
    key: EpicKey
    title: str
    description: str
    labels: tuple[str, ...]

    @property
    def creates(self) -> bool:
        return True

    def describe(self, issue_mode: bool = False) -> str:
        return f'create {"learner issue" if issue_mode else "epic"} "{self.title}"'


@dataclass(frozen=True)
class CreateIssue(Change):
    key: IssueKey
    title: str
    description: str
    labels: tuple[str, ...]
    assignee_id: int
    due_date: str | None
    epic: EpicKey | None

    @property
    def creates(self) -> bool:
        return True

    def describe(self, issue_mode: bool = False) -> str:
        due = f", due {self.due_date}" if self.due_date else ""
        where = "linked to the learner issue" if issue_mode else "in the learner's epic"
        return f'create issue "{self.title}"{due}, {where}'


@dataclass(frozen=True)
class AddToEpic(Change):
    issue_id: int
    issue_iid: int
    epic: EpicKey

    def describe(self, issue_mode: bool = False) -> str:
        return f"add issue #{self.issue_iid} to the {_path(issue_mode)} of @{self.epic.learner}"


@dataclass(frozen=True)
class UpdateIssue(Change):
    iid: int
    add_labels: tuple[str, ...] = ()
    remove_labels: tuple[str, ...] = ()
    state_event: str | None = None
    why: str = ""

    def describe(self, issue_mode: bool = False) -> str:
        return f"issue #{self.iid}: {_edits(self.add_labels, self.remove_labels, self.state_event)}{_why(self.why)}"


@dataclass(frozen=True)
class UpdateEpic(Change):
    key: EpicKey
    iid: int
    description: str | None = None
    add_labels: tuple[str, ...] = ()
    remove_labels: tuple[str, ...] = ()
    state_event: str | None = None
    why: str = ""

    def describe(self, issue_mode: bool = False) -> str:
        edits = _edits(self.add_labels, self.remove_labels, self.state_event)
        if self.description is not None:
            edits = "refresh progress table" + (f", {edits}" if edits else "")
        return f"{_ref(self.iid, issue_mode)} of @{self.key.learner}: {edits}{_why(self.why)}"


@dataclass(frozen=True)
class CommentOnIssue(Change):
    iid: int
    body: str
    why: str
    read_back: bool = True  # False: its readers count its marker once (no concurrent copies)

    def describe(self, issue_mode: bool = False) -> str:
        return f"issue #{self.iid}: comment ({self.why})"


@dataclass(frozen=True)
class CommentOnEpic(Change):
    key: EpicKey
    epic_id: int
    iid: int
    body: str
    why: str

    def describe(self, issue_mode: bool = False) -> str:
        return f"{_ref(self.iid, issue_mode)} of @{self.key.learner}: comment ({self.why})"


@dataclass(frozen=True)
class AssignIssue(Change):
    """Set the issue's assignees (the learner kept, the assessor added)."""

    iid: int
    usernames: tuple[str, ...]
    why: str = ""

    def describe(self, issue_mode: bool = False) -> str:
        names = ", ".join(f"@{n}" for n in self.usernames)
        return f"issue #{self.iid}: assign {names} ({self.why})"


@dataclass(frozen=True)
class WriteRecord(Change):
    """Issue mode: the tool's record of a learner, in its own comment on the learner issue
    (created once, then edited in place). In epic mode the record rides on UpdateEpic."""

    key: EpicKey
    iid: int
    note_id: int | None  # None: post the comment
    body: str

    def describe(self, issue_mode: bool = False) -> str:
        what = "record" if self.note_id is None else "update"
        return f"learner issue #{self.iid} of @{self.key.learner}: {what} the learner record"


def _edits(add: tuple[str, ...], remove: tuple[str, ...], state_event: str | None) -> str:
    parts = [f'add ~"{label}"' for label in add] + [f'remove ~"{label}"' for label in remove]
    if state_event:
        parts.append(state_event)
    return ", ".join(parts)


def _why(why: str) -> str:
    return f" ({why})" if why else ""


def _path(issue_mode: bool) -> str:
    return "learner issue" if issue_mode else "epic"


def _ref(iid: int, issue_mode: bool) -> str:
    """How GitLab writes a reference: `&1` for an epic, `#12` for an issue."""
    if iid <= 0:  # not created yet (a dry run)
        return f"the new {_path(issue_mode)}"
    return f"learner issue #{iid}" if issue_mode else f"epic &{iid}"
