"""Self-enrollment requests and feedback: read only when the run may answer them."""

from __future__ import annotations

from accred_ops.core.context import Mode
from accred_ops.core.state import LabelEvent
from accred_ops.sync import feedback, requests
from accred_ops.sync.selection import choose
from tests.sync.conftest import BOT, WS, WS_OPEN, FakeGitLab, issue, session

REQUEST = WS_OPEN.config.labels.enrollment_request


def _labelled_by(*users: str):
    """Label events per iid: issue N's request label added by users[N - 3]."""
    return lambda iid: [LabelEvent(1, REQUEST, "add", users[iid - 3], "2026-12-01T00:00:00Z")]


def test_requests_are_not_read_by_enroll_a_cohort_run_or_without_an_open_path() -> None:
    gitlab = FakeGitLab()  # any read would fail the test
    assert requests.open_requests(session(gitlab, WS_OPEN), Mode.ENROLL, choose(WS_OPEN)) == (
        [],
        {},
    )
    narrowed = choose(WS_OPEN, cohort_id="self-paced")
    assert requests.open_requests(session(gitlab, WS_OPEN), Mode.SYNC, narrowed) == ([], {})
    assert requests.open_requests(session(gitlab, WS), Mode.SYNC, choose(WS)) == ([], {})


def test_a_request_from_outside_the_project_is_answered_at_once() -> None:
    gitlab = FakeGitLab(
        list_issues=[issue(3, "zoe"), issue(4, BOT)],
        project_members=["alice"],
        label_events=_labelled_by("zoe", BOT),
    )
    answered, pending = requests.open_requests(session(gitlab, WS_OPEN), Mode.SYNC, choose(WS_OPEN))
    assert pending == {}
    assert [(d.request.author, d.outcome.name) for d, _states in answered] == [
        ("zoe", "NOT_ALLOWED")
    ]


def test_an_issue_someone_else_labelled_a_request_is_left_alone() -> None:
    """A Reporter may label anybody's issue: only its author's label makes it a request, so
    alice is neither enrolled nor answered (her issue stays open, untouched)."""
    gitlab = FakeGitLab(
        list_issues=[issue(3, "alice")],
        project_members=["alice", "bob"],
        label_events=_labelled_by("bob"),
    )
    assert requests.open_requests(session(gitlab, WS_OPEN), Mode.SYNC, choose(WS_OPEN)) == (
        [],
        {},
    )


def test_feedback_by_the_tool_itself_is_left_alone() -> None:
    gitlab = FakeGitLab(list_issues=[issue(5, BOT, ("feedback",))])
    assert feedback.triage(session(gitlab), None, dry_run=True) == []
    assert gitlab.names == ["list_issues"]
