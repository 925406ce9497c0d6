"""Selecting: which learners a run works on, from options or from a webhook event."""

from __future__ import annotations

import pytest

from accred_ops.core.event import EPIC, ISSUE
from accred_ops.core.event import Selection as Event
from accred_ops.core.marker import EpicKey
from accred_ops.errors import InputError
from accred_ops.sync import selection
from accred_ops.sync.selection import Scope, choose, in_shard
from tests.sync.conftest import BOT, NAMES, WS, WS_OPEN, FakeGitLab, issue, session


def _names(scope: Scope, touched: set[EpicKey] | None = None) -> list[str]:
    return [name for _cohort, name in selection.learners(WS, scope, "sal", touched)]


def test_an_unknown_cohort_or_learner_is_refused_before_any_request() -> None:
    with pytest.raises(InputError, match="no cohort 'q5'"):
        choose(WS, cohort_id="q5")
    with pytest.raises(InputError, match="'zoe' is not a learner"):
        choose(WS, username="zoe")
    assert choose(WS_OPEN, username="zoe").username == "zoe"  # may have enrolled by request


def test_one_learner_is_chosen_whatever_the_case() -> None:
    assert _names(choose(WS, username="ALICE")) == ["alice"]


def test_shards_split_the_learners_without_overlap_or_loss() -> None:
    shards = [_names(choose(WS, shard=(i, 3))) for i in (1, 2, 3)]
    assert sorted(n for names in shards for n in names) == sorted(NAMES)
    assert all(in_shard(n, i, 3) for i, names in enumerate(shards, 1) for n in names)


def test_reading_changes_keeps_only_the_learners_touched() -> None:
    touched = {EpicKey("bob", "sal", "p")}
    assert _names(choose(WS), touched) == ["bob"]
    assert _names(choose(WS), None) == list(NAMES)


def test_a_narrowed_run_is_known_as_such() -> None:
    assert not choose(WS).narrowed
    assert choose(WS, cohort_id="q4").narrowed and choose(WS, shard=(1, 2)).narrowed


def test_requests_by_the_tool_itself_or_outside_the_scope_are_not_answered() -> None:
    found = [issue(1, BOT), issue(2, "alice"), issue(3, "bob"), issue(4, "")]
    assert [r.author for r in selection.requests(found, choose(WS), BOT)] == ["alice", "bob"]
    narrowed = choose(WS, username="Bob")
    assert [r.author for r in selection.requests(found, narrowed, BOT)] == ["bob"]


def test_an_event_elsewhere_or_by_the_tool_is_ignored_without_reading_the_object() -> None:
    gitlab = FakeGitLab()  # any read would fail the test
    other = Event("Issue Hook", ISSUE, 5, "alice", project="other/p")
    assert selection.of_event(session(gitlab), other) == (None, "an issue of other/p, not g/p")
    epic = Event("Work Item Hook", EPIC, 5, "alice", group="elsewhere")
    assert selection.of_event(session(gitlab), epic)[1] == "an epic of elsewhere, not g"
    own = Event("Issue Hook", ISSUE, 5, BOT, project="g/p")
    assert selection.of_event(session(gitlab), own) == (None, "the tool's own change")
    assert gitlab.calls == []


def test_an_event_names_the_learner_the_object_in_gitlab_belongs_to() -> None:
    gitlab = FakeGitLab(get_issue=None)
    event = Event("Issue Hook", ISSUE, 5, "mallory", project="g/p", author="alice")
    assert selection.of_event(session(gitlab), event) == (None, "not part of the program")
    assert gitlab.names == ["get_issue"]  # the payload's claims were not believed
