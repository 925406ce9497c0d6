"""Recording: the sync record written once, edited in place, and the wait for GitLab's clock."""

from __future__ import annotations

import datetime as dt

import pytest

from accred_ops.core import syncstate
from accred_ops.core.state import Issue
from accred_ops.sync import recording
from accred_ops.sync.reading import Reading
from tests.sync.conftest import FakeGitLab, note, session

T0 = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
STATE = Issue(1, 4, syncstate.TITLE, "", (), "closed", "")


def _text(started: dt.datetime) -> str:
    return syncstate.record_text(syncstate.next_record(None, started, "abc", True, None))


def test_the_first_record_is_a_comment_on_a_new_closed_issue() -> None:
    gitlab = FakeGitLab(create_plain_issue=STATE, update_issue=None, comment_on_issue=None)
    recording.record(session(gitlab), Reading(None, None, None, "first", T0, "abc"))
    assert gitlab.calls == [
        ("create_plain_issue", (syncstate.TITLE, syncstate.ISSUE_TEXT)),
        ("update_issue", (4, {"state_event": "close"})),
        ("comment_on_issue", (4, _text(T0))),
    ]


def test_the_record_is_edited_in_place_and_not_rewritten_unchanged() -> None:
    gitlab = FakeGitLab(edit_issue_note=None)
    same = Reading(STATE, note(_text(T0), id=9), None, "again", T0, "abc")
    recording.record(session(gitlab), same)
    assert gitlab.calls == []
    later = T0 + dt.timedelta(hours=1)
    recording.record(
        session(gitlab), Reading(STATE, note(_text(T0), id=9), None, "x", later, "abc")
    )
    assert gitlab.calls == [("edit_issue_note", (4, 9, _text(later)))]


def test_the_clock_is_read_again_until_gitlab_has_passed_the_moment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    times = [T0, T0 + dt.timedelta(minutes=1), T0 + dt.timedelta(minutes=3)]
    gitlab = FakeGitLab(clock=lambda: times.pop(0))
    waits: list[float] = []
    monkeypatch.setattr(recording, "_sleep", waits.append)
    assert recording.clock_after(
        session(gitlab), T0 + dt.timedelta(minutes=2)
    ) == T0 + dt.timedelta(minutes=3)
    assert len(waits) == 2 and all(0 < w <= syncstate.OVERLAP.total_seconds() + 0.5 for w in waits)


def test_nothing_is_listed_to_settle_after_a_small_run() -> None:
    gitlab = FakeGitLab()  # a listing would fail the test
    gitlab.own_versions = {}  # type: ignore[attr-defined]
    reading = Reading(None, None, None, "first", T0, "abc")
    assert recording.settle(session(gitlab), reading, ["sal"]) is None
