"""One learner's run: who can be given issues, and a failure that stops no one else."""

from __future__ import annotations

import pytest

from accred_ops.core.planner import Mode
from accred_ops.core.state import LearnerState
from accred_ops.errors import AuthenticationError, GitLabError
from accred_ops.sync import learners
from tests.sync.conftest import Q4, FakeGitLab, session, user


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
