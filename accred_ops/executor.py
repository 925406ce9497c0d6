"""The executor: applies a plan through the adapter, or only describes it (--dry-run).

It keeps the learner's state current with what GitLab answered, so the service can plan again
right after (for example to put the new issues' links into the epic's progress table).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from accred_ops.core import record, seal
from accred_ops.core.plan import (
    AddToEpic,
    AssignIssue,
    Change,
    CommentOnEpic,
    CommentOnIssue,
    CreateBoard,
    CreateBoardList,
    CreateEpic,
    CreateIssue,
    CreateLabel,
    ScopeBoard,
    UpdateEpic,
    UpdateIssue,
    WriteRecord,
)
from accred_ops.core.revocation import merged
from accred_ops.core.state import (
    Board,
    Epic,
    GroupLabel,
    Issue,
    IssueDetails,
    LearnerState,
    Note,
    User,
)
from accred_ops.gitlab import GitLabAdapter, Tracker
from accred_ops.gitlab.errors import GitLabError

T = TypeVar("T")


@dataclass
class GroupState:
    """The group's labels and boards, as setup plans and changes them."""

    labels: dict[str, GroupLabel] = field(default_factory=dict)
    boards: dict[str, Board] = field(default_factory=dict)


def apply_group(gitlab: GitLabAdapter, changes: Sequence[Change], state: GroupState) -> None:
    for change in changes:
        if isinstance(change, CreateLabel):
            state.labels[change.name] = gitlab.create_group_label(
                change.name, change.color, change.description
            )
        elif isinstance(change, CreateBoard):
            state.boards[change.name] = gitlab.create_board(change.name)
        elif isinstance(change, ScopeBoard):
            board = state.boards[change.board]
            scope = gitlab.scope_board(board.id, list(change.labels))
            state.boards[change.board] = dataclasses.replace(board, scope_labels=scope)
        elif isinstance(change, CreateBoardList):
            board = state.boards[change.board]
            gitlab.create_board_list(board.id, state.labels[change.label].id)
            state.boards[change.board] = dataclasses.replace(
                board, list_labels=(*board.list_labels, change.label)
            )
        else:
            raise TypeError(f"not a group change: {change!r}")


def _label_edits(
    add: Sequence[str], remove: Sequence[str], state_event: str | None
) -> dict[str, str]:
    data = {}
    if add:
        data["add_labels"] = ",".join(add)
    if remove:
        data["remove_labels"] = ",".join(remove)
    if state_event:
        data["state_event"] = state_event
    return data


def apply_learner(
    gitlab: GitLabAdapter | Rehearsal, changes: Sequence[Change], state: LearnerState
) -> None:
    """Apply one learner's changes in order, keeping `state` equal to what GitLab now has."""
    for change in changes:
        if isinstance(change, CreateEpic):
            state.epic = gitlab.create_epic(change.title, change.description, list(change.labels))
            state.epic_made = True
            _record_from_epic(gitlab, state)
        elif isinstance(change, CreateIssue):
            _create_issue(gitlab, change, state)
        elif isinstance(change, AddToEpic):
            assert state.epic is not None
            gitlab.add_issue_to_epic(state.epic.iid, change.issue_id, change.issue_iid)
            _replace_issue(state, change.issue_iid, epic_iid=state.epic.iid)
        elif isinstance(change, UpdateIssue):
            updated = gitlab.update_issue(
                change.iid,
                _label_edits(change.add_labels, change.remove_labels, change.state_event),
            )
            course = next(c for c, i in state.issues.items() if i.iid == change.iid)
            state.issues[course] = updated
        elif isinstance(change, UpdateEpic):
            data: dict[str, str] = _label_edits(
                change.add_labels, change.remove_labels, change.state_event
            )
            if change.description is not None:
                merged_text = _merged_epic_record(gitlab, change, state.epic_made)
                data["description"] = _sealed(gitlab, state.epic, merged_text)
            state.epic = _bare(update_epic(gitlab, change.iid, data, state))
            _record_from_epic(gitlab, state)
        elif isinstance(change, WriteRecord):
            note = _bare(write_record(gitlab, change, state.epic))
            state.record_note, state.record = note, record.parse(note.body)
        elif isinstance(change, CommentOnIssue):
            note = gitlab.comment_on_issue(change.iid, change.body, change.read_back)
            details = state.details.get(change.iid, IssueDetails())
            state.details[change.iid] = dataclasses.replace(details, notes=(*details.notes, note))
        elif isinstance(change, CommentOnEpic):
            note = gitlab.comment_on_epic(change.epic_id, change.iid, change.body)
            state.epic_notes = (*(state.epic_notes or ()), note)
        elif isinstance(change, AssignIssue):
            _assign(gitlab, change, state)
        else:
            raise TypeError(f"not a learner change: {change!r}")


def _create_issue(
    gitlab: GitLabAdapter | Rehearsal, change: CreateIssue, state: LearnerState
) -> None:
    """A course issue, then put in the learner's epic unless GitLab created it there."""
    epic = state.epic
    issue = gitlab.create_issue(
        change.title,
        change.description,
        list(change.labels),
        change.assignee_id,
        change.due_date,
        epic.id if epic else None,
    )
    if epic is not None and issue.epic_iid != epic.iid:
        gitlab.add_issue_to_epic(epic.iid, issue.id, issue.iid)
        issue = dataclasses.replace(issue, epic_iid=epic.iid)
    state.issues[change.key.course] = issue


def _assign(gitlab: GitLabAdapter | Rehearsal, change: AssignIssue, state: LearnerState) -> None:
    """Assign the issue to these users (ids known from its assignees, else looked up)."""
    issue = next(i for i in state.issues.values() if i.iid == change.iid)
    known = dict(zip((a.lower() for a in issue.assignees), issue.assignee_ids, strict=False))
    ids = []
    for name in change.usernames:  # only the assessor is looked up (once a run)
        user_id = known.get(name.lower())
        if user_id is None and (user := gitlab.find_user(name)) is not None:
            user_id = user.id
        if user_id is not None:
            ids.append(user_id)
    updated = gitlab.update_issue(change.iid, {"assignee_ids": ids})
    course = next(c for c, i in state.issues.items() if i.iid == change.iid)
    state.issues[course] = updated


def _sealed(gitlab: GitLabAdapter, on: Epic | None, text: str) -> str:
    """A record's text with the tool's seal for the object it is on, when a key is set
    (core/seal.py); a dry run's stand-in has no key and seals nothing."""
    key = getattr(gitlab, "record_key", None)
    if not key or on is None:
        return text
    return seal.seal(key, on.id, text, int(time.time() * 1000))


def _bare(written: T) -> T:
    """What GitLab answered, without the seal: the planner compares and rewrites bare text."""
    if isinstance(written, Note):
        return dataclasses.replace(written, body=seal.unsealed(written.body))  # type: ignore[return-value]
    if isinstance(written, Epic):
        return dataclasses.replace(written, description=seal.unsealed(written.description))  # type: ignore[return-value]
    return written


def _merged_epic_record(
    gitlab: GitLabAdapter | Rehearsal, change: UpdateEpic, made_here: bool
) -> str:
    """Epic mode: the description to write, its record merged with the one the epic holds
    now (re-read), so that no run writes back a record read before another run's write. Not
    for an epic this run created (enrolment): no other run has written its record."""
    assert change.description is not None
    wanted = record.parse(change.description)
    skip = made_here or isinstance(gitlab, Rehearsal) or gitlab.tracker.record_in_note
    if wanted is None or skip:
        return change.description
    now = gitlab.get_epic(change.iid)
    found = merged(record.parse(now.description) if now else None, wanted)
    return change.description if found == wanted else record.put(change.description, found)


def write_record(gitlab: GitLabAdapter | Rehearsal, change: WriteRecord, on: Epic | None) -> Note:
    """Issue mode: the record comment posted, or edited after re-reading it and merging;
    sealed for the learner issue `on` when a key is set."""
    if change.note_id is None:
        return gitlab.comment_on_issue(change.iid, _sealed(gitlab, on, change.body))
    body, wanted = change.body, record.parse(change.body)
    if wanted is not None and not isinstance(gitlab, Rehearsal):
        now = gitlab.get_issue_note(change.iid, change.note_id)
        found = merged(record.parse(now.body) if now else None, wanted)
        body = body if found == wanted else record.note_text(found)
    return gitlab.edit_issue_note(change.iid, change.note_id, _sealed(gitlab, on, body))


def update_epic(
    gitlab: GitLabAdapter | Rehearsal, iid: int, data: dict[str, str], state: LearnerState
) -> Epic:
    """The epic (or learner issue) edited. A learner issue's description is the learner's to
    edit: when GitLab refuses the rewrite (they padded it past its size limit), the labels and
    state are still set, and the refusal is reported after the rest of the plan is applied."""
    try:
        return gitlab.update_epic(iid, data)
    except GitLabError as err:
        if "description" not in data or not _too_large(err):
            raise
        state.refused.append(f"GitLab refused the rewrite of #{iid}'s description: {err}")
        rest = {k: v for k, v in data.items() if k != "description"}
        assert state.epic is not None
        return gitlab.update_epic(iid, rest) if rest else state.epic


def _too_large(err: GitLabError) -> bool:
    text = str(err).lower()
    return "too long" in text or "too large" in text or "413" in text


def _record_from_epic(gitlab: GitLabAdapter, state: LearnerState) -> None:
    """Epic mode: the record is the epic's description, as GitLab now has it."""
    if not gitlab.tracker.record_in_note and state.epic is not None:
        state.record = record.parse(state.epic.description) or state.record


def _replace_issue(state: LearnerState, iid: int, **fields: object) -> None:
    for course, issue in state.issues.items():
        if issue.iid == iid:
            state.issues[course] = dataclasses.replace(issue, **fields)  # type: ignore[arg-type]


def apply_request(gitlab: GitLabAdapter, changes: Sequence[Change]) -> None:
    """Answer an enrollment request: the reply, then closing it."""
    for change in changes:
        if isinstance(change, CommentOnIssue):
            gitlab.comment_on_issue(change.iid, change.body)
        elif isinstance(change, UpdateIssue):
            gitlab.update_issue(
                change.iid,
                _label_edits(change.add_labels, change.remove_labels, change.state_event),
            )
        else:
            raise TypeError(f"not a request change: {change!r}")


class Rehearsal:
    """What GitLab would answer, without sending anything: `--dry-run` applies each round of
    a learner's plan here, so it can plan the next round as the real run does (the epic's
    progress table refreshed with the new issues' links) and list every change the run makes.

    Objects it "creates" get negative ids and iids, which plans describe as "the new epic".
    """

    def __init__(self, state: LearnerState, learner: str, bot: str, tracker: Tracker) -> None:
        self.state = state
        self.learner = learner
        self.bot = bot
        self.tracker = tracker  # its facts (where the learner record lives), as on the real adapter
        self._last = 0

    def _next(self) -> int:
        self._last -= 1
        return self._last

    def create_epic(self, title: str, description: str, labels: list[str]) -> Epic:
        number = self._next()
        self.state.epic_notes = ()  # a new epic has no comments to read
        return Epic(
            number, number, title, description, tuple(labels), "opened", "(new)", author=self.bot
        )

    def create_issue(
        self,
        title: str,
        description: str,
        labels: list[str],
        assignee_id: int,
        due_date: str | None,
        epic_id: int | None,
    ) -> Issue:
        number = self._next()
        self.state.details[number] = IssueDetails()
        return Issue(
            number,
            number,
            title,
            description,
            tuple(labels),
            "opened",
            "(new)",
            assignees=(self.learner,),
            due_date=due_date,
            author=self.bot,
        )

    def add_issue_to_epic(self, epic_iid: int, issue_id: int, issue_iid: int) -> None:
        pass

    def update_issue(self, iid: int, changes: dict[str, str]) -> Issue:
        issue = next(i for i in self.state.issues.values() if i.iid == iid)
        return dataclasses.replace(issue, **_edited(issue.labels, issue.state, changes))

    def update_epic(self, iid: int, changes: dict[str, str]) -> Epic:
        assert self.state.epic is not None
        epic = dataclasses.replace(
            self.state.epic, **_edited(self.state.epic.labels, self.state.epic.state, changes)
        )
        if "description" in changes:
            epic = dataclasses.replace(epic, description=changes["description"])
        return epic

    def comment_on_issue(self, iid: int, body: str, read_back: bool = True) -> Note:
        return Note(self._next(), body, self.bot, False, "")

    def comment_on_epic(self, epic_id: int, iid: int, body: str) -> Note:
        return Note(self._next(), body, self.bot, False, "")

    def edit_issue_note(self, iid: int, note_id: int, body: str) -> Note:
        return Note(note_id, body, self.bot, False, "")

    def find_user(self, username: str) -> User | None:
        """The assessor an assignment names: a stand-in, so the plan shows the assignment."""
        return User(self._next(), username)


def _edited(labels: tuple[str, ...], state: str, changes: dict[str, str]) -> dict[str, object]:
    """Labels and state after a REST edit's add_labels, remove_labels and state_event."""
    removed = set(filter(None, changes.get("remove_labels", "").split(",")))
    added = [x for x in changes.get("add_labels", "").split(",") if x and x not in labels]
    event = changes.get("state_event")
    new_state = {"close": "closed", "reopen": "opened"}.get(event or "", state)
    return {"labels": tuple(x for x in (*labels, *added) if x not in removed), "state": new_state}
