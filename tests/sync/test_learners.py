"""One learner's run: who can be given issues, and a failure that stops no one else."""

from __future__ import annotations

import dataclasses

import pytest

from accred_ops.core.context import Mode
from accred_ops.core.marker import EpicKey
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import IssueDetails, LabelEvent, LearnerState
from accred_ops.errors import AuthenticationError, GitLabError
from accred_ops.sync import learners
from tests.sync.conftest import BOT, Q4, FakeGitLab, issue, session, user


def test_a_learner_gitlab_does_not_know_gets_nothing_created() -> None:
    gitlab = FakeGitLab(find_user=None)
    with pytest.raises(GitLabError, match="no GitLab user 'alice': nothing was created"):
        learners.reachable(session(gitlab), "alice")


def test_a_learner_outside_the_project_gets_nothing_created() -> None:
    gitlab = FakeGitLab(find_user=user("alice"), project_members={"bob"})
    with pytest.raises(GitLabError, match="not a member of project g/p"):
        learners.reachable(session(gitlab), "alice")
    member = FakeGitLab(find_user=user("alice"), project_members={"alice"})
    assert learners.reachable(session(member), "alice") == 7


def test_one_learners_failure_is_recorded_and_a_rejected_token_stops_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fails(*_args: object) -> list[str]:
        raise GitLabError("403 on issue 4")

    monkeypatch.setattr(learners, "learner", fails)
    outcome = learners.guarded(session(FakeGitLab()), Q4, "alice", LearnerState(), Mode.SYNC, False)
    assert (outcome.cohort, outcome.username, outcome.error) == ("q4", "alice", "403 on issue 4")

    def rejected(*_args: object) -> list[str]:
        raise AuthenticationError("token rejected")

    monkeypatch.setattr(learners, "learner", rejected)
    with pytest.raises(AuthenticationError):
        learners.guarded(session(FakeGitLab()), Q4, "alice", LearnerState(), Mode.SYNC, False)


def _recorded(**iids: int) -> LearnerState:
    """alice's state as a listing by label left it: her record names c1 (#1) and c2 (#2),
    and the listing found only c2's issue (someone removed c1's `program::` label)."""
    found = LearnerRecord(EpicKey("alice", "sal", "p"), "q4", issues={"c1": 10, "c2": 20})
    found = dataclasses.replace(found, iids=iids)
    return LearnerState(record=found, issues={"c2": issue(2, BOT)})


def test_a_recorded_issue_the_listing_missed_is_read_by_iid_and_stays_the_courses() -> None:
    gitlab = FakeGitLab(get_issue=lambda iid: issue(iid, BOT))
    state = _recorded(c1=1, c2=2)
    learners.recover(session(gitlab), state, Q4)
    assert state.issues["c1"] == issue(1, BOT)
    assert gitlab.calls == [("get_issue", (1,))]  # one read, only for the missing one


def test_only_a_recorded_issue_gitlab_no_longer_has_is_replaced() -> None:
    for answer in (None, issue(9, BOT), issue(1, "bob")):  # gone; another issue; not the tool's
        state = _recorded(c1=1, c2=2)
        learners.recover(session(FakeGitLab(get_issue=answer)), state, Q4)
        assert "c1" not in state.issues
    state = _recorded()  # a record written before iids were recorded: nothing to read by
    learners.recover(session(FakeGitLab()), state, Q4)
    assert "c1" not in state.issues


def test_an_issue_someone_else_relabelled_for_a_course_is_never_adopted() -> None:
    relabelled = IssueDetails(
        (
            LabelEvent(1, "course::c9", "remove", "bob", ""),
            LabelEvent(2, "course::c1", "add", "bob", ""),
        ),
        (),
    )
    candidate = issue(3, BOT)
    state = LearnerState(candidates={"c1": (candidate,)}, issues={"c1": candidate})
    learners.adopt(session(FakeGitLab(issue_details=relabelled)), state)
    assert "c1" not in state.issues
    own = IssueDetails((LabelEvent(1, "course::c1", "add", BOT, ""),), ())
    state = LearnerState(candidates={"c1": (candidate,)})
    learners.adopt(session(FakeGitLab(issue_details=own)), state)
    assert state.issues["c1"] == candidate
