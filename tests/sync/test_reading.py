"""Reading: full or incremental, and the tool's own objects grouped by learner."""

from __future__ import annotations

import dataclasses
import datetime as dt

from accred_ops.core import marker, syncstate
from accred_ops.core.marker import EpicKey, IssueKey
from accred_ops.core.model import Labels
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Issue, LearnerState
from accred_ops.sync.reading import Reading, complete, index_states, program_states
from tests.core.test_planner import PATH, PROGRAM
from tests.sync.conftest import BOT, FakeGitLab, session

T0 = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
RECORD = syncstate.SyncRecord(T0, T0, "abc")


def _reading(reason: str | None, started: dt.datetime = T0) -> Reading:
    return Reading(None, None, RECORD, reason, started, "abc")


def test_a_full_pass_reads_everything_and_is_always_recorded() -> None:
    full = _reading("asked for (--full)")
    assert full.since is None and full.worth_recording(touched=False)
    assert full.describe() == "full pass: asked for (--full)"


def test_reading_changes_starts_at_the_record_and_moves_it_only_when_worth_a_write() -> None:
    soon = _reading(None, T0 + syncstate.OVERLAP)
    assert soon.since == "2026-12-01T08:00:00Z"
    assert soon.describe() == "read what changed since 2026-12-01T08:00:00Z"
    assert not soon.worth_recording(touched=True)
    later = _reading(None, T0 + 3 * syncstate.OVERLAP)
    assert later.worth_recording(touched=True) and not later.worth_recording(touched=False)


def test_without_a_reading_of_changes_the_program_is_listed_whole() -> None:
    gitlab = FakeGitLab(list_epics=[], list_issues=[])
    states, touched = program_states(session(gitlab), "sal", None, set(), "@alice")
    assert (states, touched) == ({}, None)
    assert gitlab.calls == [
        ("list_epics", (["program::sal"], "@alice")),
        ("list_issues", (["program::sal"], "@alice")),
    ]


def _epic(iid: int, learner: str, author: str) -> Epic:
    key = EpicKey(learner, "sal", "p")
    return Epic(
        iid, iid, f"x — @{learner}", marker.epic_marker(key), (), "opened", "", author=author
    )


def test_only_the_tools_own_epics_count_and_the_oldest_copy_wins() -> None:
    epics = [_epic(3, "alice", BOT), _epic(2, "alice", BOT), _epic(1, "bob", "mallory")]
    states = index_states(epics, [], PROGRAM, Labels(), BOT)
    assert list(states) == [EpicKey("alice", "sal", "p")]
    assert states[EpicKey("alice", "sal", "p")].epic.iid == 2  # type: ignore[union-attr]


def test_a_learner_is_complete_with_an_epic_and_every_course_issue() -> None:
    assert not complete(PATH, None)
    assert not complete(PATH, LearnerState(epic=_epic(1, "alice", BOT)))


def test_an_issue_a_record_once_named_is_no_candidate_for_adoption() -> None:
    """bob's record replaced his c1 issue #5 (retired); marked for c2, it is nobody's."""
    key = EpicKey("bob", "sal", "p")
    found = LearnerRecord(key, "q4", issues={"c1": 60}, retired=(50,))
    old = Issue(
        50,
        5,
        "x",
        marker.issue_marker(IssueKey("bob", "sal", "p", "c2")),
        (),
        "opened",
        "",
        ("bob",),
    )
    old = dataclasses.replace(old, author=BOT)
    epic = _epic(1, "bob", BOT)
    states = index_states([epic], [old], PROGRAM, Labels(), BOT, {epic.id: (found, None)})
    assert states[key].candidates == {} and "c2" not in states[key].issues
    fresh = LearnerRecord(key, "q4", issues={"c1": 60})
    states = index_states([epic], [old], PROGRAM, Labels(), BOT, {epic.id: (fresh, None)})
    assert states[key].candidates == {"c2": (old,)}  # the rule above is what refuses it
