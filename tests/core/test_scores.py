"""The pure rules of imported exam scores: outcomes, attempts, the proof, idempotence."""

from __future__ import annotations

import dataclasses
import datetime as dt

from accred_ops.core.model import Course, ExamRules, Labels
from accred_ops.core.plan import CommentOnIssue, UpdateIssue
from accred_ops.core.scores import (
    AFTER_PASS,
    FAILED,
    OVER_LIMIT,
    PASSED,
    TOO_EARLY,
    ScoreInput,
    ScoreRow,
    plan_attempts,
    recorded,
    scored_verdict,
    with_scores,
)
from accred_ops.core.state import Issue, LabelEvent, Note
from accred_ops.render import Texts

BOT = "accred-bot"
LABELS = Labels()
COURSE = Course("c1", "Course One", ("Do it",), exam_rules=ExamRules(80, 3, 7))
ISSUE = Issue(1, 7, "t", "", ("accreditation::assessment",), "opened", "u")
GIVEN = ScoreInput(LABELS, BOT, "alice", Texts())


def row(score: float, day: int, attempt_id: str | None = None, top: float = 100) -> ScoreRow:
    taken = dt.datetime(2026, 12, day, 10, tzinfo=dt.UTC)
    return ScoreRow(f"r.csv row {day}", "alice", "c1", score, top, taken, attempt_id)


def posted(changes: list, author: str = BOT, at: str = "2026-12-20T00:00:00Z") -> list[Note]:
    return [
        Note(i, c.body, author, False, at)
        for i, c in enumerate(changes, 1)
        if isinstance(c, CommentOnIssue)
    ]


def outcomes(notes: list[Note]) -> list[str]:
    return [a.outcome for a in recorded(notes, BOT, COURSE)]


def test_a_pass_and_a_failure_each_give_a_comment_then_one_label_edit() -> None:
    changes = plan_attempts(GIVEN, COURSE, ISSUE, [], [row(85, 2)])
    assert [type(c) for c in changes] == [CommentOnIssue, UpdateIssue]
    assert changes[1].add_labels == ("exam::passed",)
    failing = plan_attempts(GIVEN, COURSE, ISSUE, [], [row(79.9, 2)])
    assert failing[1].add_labels == ("exam::failed", "Retake")


def test_pass_mark_is_inclusive_and_scores_are_percent_of_their_maximum() -> None:
    changes = plan_attempts(GIVEN, COURSE, ISSUE, [], [row(8, 2, top=10)])
    assert outcomes(posted(changes)) == [PASSED]


def test_reimport_writes_nothing_by_attempt_id_or_by_learner_time_and_score() -> None:
    rows = [row(50, 2), row(85, 10, "x-1")]
    first = plan_attempts(GIVEN, COURSE, ISSUE, [], rows)
    assert plan_attempts(GIVEN, COURSE, ISSUE, posted(first), rows) == []
    moved = dataclasses.replace(rows[1], score=20)  # same attempt_id: the same attempt
    assert plan_attempts(GIVEN, COURSE, ISSUE, posted(first), [moved]) == []


def test_after_a_pass_attempts_are_recorded_and_change_nothing() -> None:
    first = posted(plan_attempts(GIVEN, COURSE, ISSUE, [], [row(90, 2)]))
    passed = dataclasses.replace(ISSUE, labels=("exam::passed",))
    later = plan_attempts(GIVEN, COURSE, passed, first, [row(10, 20), row(95, 21)])
    assert [type(c) for c in later] == [CommentOnIssue, CommentOnIssue]
    assert outcomes(first + posted(later)) == [PASSED, AFTER_PASS, AFTER_PASS]


def test_an_assessors_pass_also_stands() -> None:
    given = dataclasses.replace(GIVEN, assessor_passed=True)
    changes = plan_attempts(given, COURSE, ISSUE, [], [row(10, 2)])
    assert [type(c) for c in changes] == [CommentOnIssue]
    assert outcomes(posted(changes)) == [AFTER_PASS]


def test_retake_too_soon_is_recorded_and_does_not_count() -> None:
    changes = plan_attempts(GIVEN, COURSE, ISSUE, [], [row(50, 1), row(95, 5), row(95, 8)])
    assert outcomes(posted(changes)) == [FAILED, TOO_EARLY, PASSED]
    assert "exam::passed" in changes[-1].add_labels


def test_max_attempts_then_recorded_only_and_the_learner_is_sent_to_the_team() -> None:
    rows = [row(10, 1), row(10, 9), row(10, 17), row(99, 25)]
    changes = plan_attempts(GIVEN, COURSE, ISSUE, [], rows)
    assert outcomes(posted(changes)) == [FAILED, FAILED, FAILED, OVER_LIMIT]
    assert "contact the Field Enablement team" in changes[2].body
    assert "contact the Field Enablement team" in changes[3].body


def test_only_the_tools_own_comment_proves_a_scored_verdict() -> None:
    changes = plan_attempts(GIVEN, COURSE, ISSUE, [], [row(90, 2)])
    assert scored_verdict(LABELS, BOT, COURSE, posted(changes, author="alice")) is None
    label, event = scored_verdict(LABELS, BOT, COURSE, posted(changes))
    assert label == "exam::passed" and event.user == BOT


def test_the_later_of_an_assessors_verdict_and_a_score_stands() -> None:
    notes = posted(plan_attempts(GIVEN, COURSE, ISSUE, [], [row(90, 2)]))  # at 2026-12-20
    early = {"exam::failed": LabelEvent(5, "exam::failed", "add", "sam", "2026-12-19T00:00:00Z")}
    assert set(with_scores(LABELS, BOT, COURSE, notes, early)) == {"exam::passed"}
    late = {"exam::failed": LabelEvent(5, "exam::failed", "add", "sam", "2026-12-21T00:00:00Z")}
    assert set(with_scores(LABELS, BOT, COURSE, notes, late)) == {"exam::failed"}


def test_courses_without_a_pass_mark_and_closed_issues_get_nothing() -> None:
    plain = dataclasses.replace(COURSE, exam_rules=None)
    assert plan_attempts(GIVEN, plain, ISSUE, [], [row(90, 2)]) == []
    closed = dataclasses.replace(ISSUE, state="closed")
    assert plan_attempts(GIVEN, COURSE, closed, [], [row(90, 2)]) == []
