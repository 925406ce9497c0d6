"""Self-enrollment decisions: what a request asks for, and who is enrolled. No GitLab."""

from __future__ import annotations

import dataclasses

from accred_ops.core.enrollment import (
    Outcome,
    decide,
    plan_answer,
    reply_marker,
    requested,
    with_self_enrolled,
)
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Cohort, Config, GitLabSettings, Learner, Workspace
from accred_ops.core.plan import CommentOnIssue, UpdateIssue
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Issue, LearnerState, Note
from tests.core.test_planner import PROGRAM

FILED = Cohort("q4", "sal", "p", (Learner("alice"),))
OPEN = Cohort("self-paced", "sal", "p", (), self_enrollment=True)
WS = Workspace(
    Config(GitLabSettings(None, "g", "g/p")), {"sal": PROGRAM}, {"q4": FILED, "self-paced": OPEN}
)


def request(author: str, body: str = "Program: sal\nPath: p", created: str = "2026-12-02") -> Issue:
    return Issue(
        7, 3, "Accreditation enrollment", body, (), "opened", "", author=author, created_at=created
    )


def epic(learner: str, cohort: str, created: str = "2026-12-01") -> Epic:
    return Epic(
        1, 1, f"x — @{learner}", "", (f"cohort::{cohort}",), "opened", "http://x/epics/1", created
    )


def test_the_choice_lines_are_read_outside_comments_and_code_whatever_the_case() -> None:
    body = "<!--\nProgram: other\n-->\n```\nPath: no\n```\n* **Program:** `SAL`\nPATH: p\nProgram: sal extra"
    assert requested(body) == {"program": "sal", "path": "p"}


def test_program_and_path_may_be_left_out_when_there_is_only_one() -> None:
    assert decide(WS, request("frank", "please enrol me"), True, {}).outcome is Outcome.ACCEPTED


def test_outcomes() -> None:
    assert decide(WS, request("frank"), False, {}).outcome is Outcome.NOT_ALLOWED
    assert decide(WS, request("frank", "Path: nope"), True, {}).outcome is Outcome.UNKNOWN_PATH
    closed = dataclasses.replace(WS, cohorts={"q4": FILED})
    assert decide(closed, request("frank"), True, {}).outcome is Outcome.NOT_OPEN
    assert decide(WS, request("ALICE"), True, {}).outcome is Outcome.ALREADY_ENROLLED


def test_an_acceptance_is_resumed_but_a_second_request_is_already_enrolled() -> None:
    key = EpicKey("frank", "sal", "p")
    made_for_this = {key: LearnerState(epic=epic("frank", "self-paced", "2026-12-02T10:00:00Z"))}
    assert (
        decide(WS, request("frank", created="2026-12-02T09:00:00Z"), True, made_for_this).outcome
        is Outcome.ACCEPTED
    )
    later = request("frank", created="2026-12-09T09:00:00Z")
    decision = decide(WS, later, True, made_for_this)
    assert (decision.outcome, decision.epic_url) == (Outcome.ALREADY_ENROLLED, "http://x/epics/1")


def _recorded(name: str, cohort: str, via: str) -> LearnerState:
    key = EpicKey(name, "sal", "p")
    return LearnerState(epic=epic(name, cohort), record=LearnerRecord(key, cohort, via))


def test_self_enrolled_learners_join_their_open_cohort_from_the_tools_records() -> None:
    states = {
        EpicKey("frank", "sal", "p"): _recorded("frank", "self-paced", "request:7"),
        EpicKey("alice", "sal", "p"): _recorded("alice", "self-paced", "request:8"),  # in a file
        EpicKey("zoe", "sal", "p"): _recorded("zoe", "self-paced", "file"),  # not by request
        EpicKey("erin", "sal", "p"): LearnerState(epic=epic("erin", "self-paced")),  # no record
    }
    gina = decide(WS, request("Gina"), True, {})
    ws = with_self_enrolled(WS, states, [gina])
    joined = ws.cohorts["self-paced"].learners
    assert [(lr.username, lr.request) for lr in joined] == [("frank", 7), ("gina", 3)]
    assert ws.cohorts["q4"] == FILED


def test_an_earlier_versions_epic_is_adopted_by_its_label_only_where_learners_cannot_write() -> (
    None
):
    states = {EpicKey("erin", "sal", "p"): LearnerState(epic=epic("erin", "self-paced"))}
    assert [
        lr.username for lr in with_self_enrolled(WS, states).cohorts["self-paced"].learners
    ] == []
    adopted = with_self_enrolled(WS, states, adopt_epics=True).cohorts["self-paced"].learners
    assert [(lr.username, lr.request) for lr in adopted] == [("erin", 0)]


def test_the_reply_is_posted_once_and_the_request_closed() -> None:
    decision = decide(WS, request("frank"), True, {})
    plan = plan_answer(decision, "hi", [], "bot")
    assert [type(c) for c in plan] == [CommentOnIssue, UpdateIssue]
    replied = [Note(1, f"hi {reply_marker(decision.request)}", "bot", False, "")]
    assert [type(c) for c in plan_answer(decision, "hi", replied, "bot")] == [UpdateIssue]
    forged = [Note(1, f"hi {reply_marker(decision.request)}", "frank", False, "")]
    assert len(plan_answer(decision, "hi", forged, "bot")) == 2
