"""The executor: applies a plan through the adapter, or only describes it (--dry-run).

It keeps the learner's state current with what GitLab answered, so the service can plan again
right after (for example to put the new issues' links into the epic's progress table).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from accred_ops.adapter import GitLabAdapter
from accred_ops.core.plan import (
    AddToEpic,
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
)
from accred_ops.core.state import Board, GroupLabel, IssueDetails, LearnerState


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


def apply_learner(gitlab: GitLabAdapter, changes: Sequence[Change], state: LearnerState) -> None:
    """Apply one learner's changes in order, keeping `state` equal to what GitLab now has."""
    for change in changes:
        if isinstance(change, CreateEpic):
            state.epic = gitlab.create_epic(change.title, change.description, list(change.labels))
        elif isinstance(change, CreateIssue):
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
                data["description"] = change.description
            state.epic = gitlab.update_epic(change.iid, data)
        elif isinstance(change, CommentOnIssue):
            note = gitlab.comment_on_issue(change.iid, change.body)
            details = state.details.get(change.iid, IssueDetails())
            state.details[change.iid] = dataclasses.replace(details, notes=(*details.notes, note))
        elif isinstance(change, CommentOnEpic):
            note = gitlab.comment_on_epic(change.epic_id, change.iid, change.body)
            state.epic_notes = (*(state.epic_notes or ()), note)
        else:
            raise TypeError(f"not a learner change: {change!r}")


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
