"""Imported attempts on the learner record: data in, data out."""

from __future__ import annotations

import dataclasses

from accred_ops.core import record
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Labels
from accred_ops.core.plan import CommentOnIssue
from accred_ops.core.revocation import merged
from accred_ops.core.score_record import entry, exam_cell, imported, recorded_score
from accred_ops.core.scores import plan_attempts, recorded
from tests.core.test_scores import BOT, COURSE, GIVEN, ISSUE, outcomes, posted, row

KEY = EpicKey("alice", "sal", "p")
REC = record.LearnerRecord(KEY, "q4")


def test_the_attempts_read_back_as_written_each_key_once() -> None:
    on = REC.with_scored("c1", ("k1 60 failed", "k2 85 passed")).with_scored("c1", ("k1 99 x",))
    assert on.scored == {"c1": ("k1 60 failed", "k2 85 passed")}
    assert record.parse(record.put("text", on)) == on
    assert imported(on, "c1") == {"k1", "k2"} and imported(None, "c1") == set()
    assert "scored" not in record.render(REC)  # a record without attempts reads as before


def test_a_stale_write_cannot_drop_attempts_another_run_recorded() -> None:
    now = REC.with_scored("c1", ("k1 60 failed",)).with_scored("c2", ("k9 90 passed",))
    stale = REC.with_scored("c1", ("k2 85 passed",))
    assert merged(now, stale).scored == {
        "c1": ("k1 60 failed", "k2 85 passed"),
        "c2": ("k9 90 passed",),
    }


def test_an_attempt_posted_twice_counts_once() -> None:
    """Two imports at the same moment may both post an attempt (its creation is not read
    back): the copies are one attempt, so they use up no extra attempt."""
    first = posted(plan_attempts(GIVEN, COURSE, ISSUE, [], [row(50, 1, "a")]))
    twice = first + [dataclasses.replace(n, id=9) for n in first]
    assert outcomes(twice) == ["failed"]
    [attempt] = recorded(twice, BOT, COURSE)
    assert entry(attempt) == f"{attempt.key} 50 failed"
    more = plan_attempts(GIVEN, COURSE, ISSUE, twice, [row(55, 9, "b"), row(60, 17, "c")])
    assert sum(isinstance(c, CommentOnIssue) for c in more) == 2
    assert "attempt 3" in more[1].body  # not 4: the copy is no attempt


def test_the_epic_shows_the_score_its_exam_verdict_rests_on() -> None:
    labels = Labels()
    on = REC.with_scored("c1", ("k1 60 failed", "k2 85 passed", "k3 40 after-pass"))
    assert recorded_score(on, "c1") == (85.0, "passed")
    assert exam_cell("passed", labels, COURSE, on, ("exam::passed",)) == "passed (85 %)"
    failed = REC.with_scored("c1", ("k1 60 failed", "k2 70 failed", "k3 20 too-early"))
    assert exam_cell("failed", labels, COURSE, failed, ("exam::failed",)) == "failed (70 %)"
    # an assessor's verdict over the score, no attempt, or an exam without a pass mark: the word
    assert exam_cell("passed", labels, COURSE, failed, ("exam::passed",)) == "passed"
    assert exam_cell("pending", labels, COURSE, REC, ()) == "pending"
    unscored = dataclasses.replace(COURSE, exam_rules=None)
    assert exam_cell("passed", labels, unscored, on, ("exam::passed",)) == "passed"
