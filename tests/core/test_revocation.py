"""Merging a record with the one GitLab holds: what is final only grows (core/revocation.py)."""

from __future__ import annotations

from accred_ops.core import record
from accred_ops.core.marker import EpicKey
from accred_ops.core.revocation import merged

KEY = EpicKey("alice", "sal", "p")


def test_a_stale_record_cannot_take_a_revocation_or_an_award_away() -> None:
    stale = record.LearnerRecord(KEY, "q4", issues={"c1": 11, "c2": 12}, awards={"c1": ("sam",)})
    now = stale.with_revoked("c1").with_award("c2", ("sam",))
    found = merged(now, stale)
    assert found.revoked == ("c1",)
    assert set(found.awards) == {"c1", "c2"}


def test_the_writers_issues_win_and_a_replaced_one_stays_retired() -> None:
    now = record.LearnerRecord(KEY, "q4", issues={"c1": 11}, iids={"c1": 1})
    wanted = record.LearnerRecord(KEY, "q4", issues={"c1": 21}, iids={"c1": 2})
    found = merged(now, wanted)
    assert found.issues == {"c1": 21} and found.iids == {"c1": 2}
    assert 11 in found.retired


def test_another_learners_record_or_none_changes_nothing() -> None:
    wanted = record.LearnerRecord(KEY, "q4", awards={"c1": ("sam",)})
    other = record.LearnerRecord(EpicKey("bob", "sal", "p"), "q4", revoked=("c1",))
    assert merged(None, wanted) == wanted
    assert merged(other, wanted) == wanted
