"""The rubric verdict of one issue (core/judging.py), pure: comments in, the standing practical
label and the tool's comments out."""

from __future__ import annotations

import dataclasses

from accred_ops.core import marker
from accred_ops.core.context import LearnerContext
from accred_ops.core.judging import (
    MODERATION,
    TALLY,
    ScoreSheet,
    Tally,
    judge,
    tally_marker,
)
from accred_ops.core.model import Cohort, Course, Labels, Learner, LearningPath, Program
from accred_ops.core.plan import CommentOnIssue
from accred_ops.core.progress import Authority
from accred_ops.core.rubric import Criterion, Rubric
from accred_ops.core.state import Issue, IssueDetails, LabelEvent, Note

L = Labels()
RUBRIC = Rubric(
    "call",
    (Criterion("discovery", "Discovery"), Criterion("value", "Value")),
    1,
    5,
    each_at_least=3,
    average_at_least=3.5,
    assessors=2,
    max_spread=2,
    exclude_manager=True,
)
COURSE = Course("c1", "One", ("Obj",), rubric=RUBRIC)
PATH = LearningPath("p", "Path", (COURSE,))


class Texts:
    def rubric_tally(self, course, learner, tally: Tally, sheets, superseded, note_marker):  # type: ignore[no-untyped-def]
        return f"tally {[s.who for s in sheets]} superseded={superseded} {note_marker}"

    def rubric_moderation(self, course, learner, moderators, reason, sheets, note_marker):  # type: ignore[no-untyped-def]
        return f"moderate {list(moderators)} {reason} {note_marker}"

    def rubric_form_problem(self, course, author, problems, note_marker):  # type: ignore[no-untyped-def]
        return f"fix {author} {list(problems)} {note_marker}"

    def rubric_label_refused(self, course, label, actor, note_marker):  # type: ignore[no-untyped-def]
        return f"refused {label} {actor} {note_marker}"


def ctx(manager: str | None = None, moderators: tuple[str, ...] = ("erin",)) -> LearnerContext:
    learner = Learner("alice", manager)
    return LearnerContext(
        Program("sal", "SAL", (PATH,)),
        PATH,
        Cohort("q4", "sal", "p", (learner,)),
        learner,
        L,
        Texts(),  # type: ignore[arg-type]
        Authority(frozenset({"sam", "dana", "mo"}), "bot"),
        moderators=moderators,
    )


ISSUE = Issue(10, 1, "One — @alice", "", (), "opened", "http://x/1")


def note(i: int, author: str, body: str) -> Note:
    return Note(i, body, author, False, f"2026-12-01T10:{i:02d}:00Z")


def form(discovery: int, value: int) -> str:
    return f"value: {value}\ndiscovery: {discovery}\nremarks"


def bodies(verdict) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.body for c in verdict.changes if isinstance(c, CommentOnIssue)]


def test_one_assessor_is_not_enough_and_two_agreeing_decide() -> None:
    one = IssueDetails((), (note(1, "sam", form(4, 4)),))
    assert judge(ctx(), COURSE, ISSUE, one, True).changes == ()
    two = IssueDetails((), (note(1, "sam", form(4, 4)), note(2, "dana", form(5, 3))))
    verdict = judge(ctx(), COURSE, ISSUE, two, True)
    assert verdict is not None and verdict.label == L.practical_approved
    assert verdict.tally is not None and verdict.tally.scores == {"discovery": 4.5, "value": 3.5}
    (body,) = bodies(verdict)
    assert "verdict=pass" in body and "by=sam:dana" in body


def test_nothing_is_decided_outside_assessment_but_a_posted_tally_stands() -> None:
    two = IssueDetails((), (note(1, "sam", form(4, 4)), note(2, "dana", form(4, 4))))
    assert judge(ctx(), COURSE, ISSUE, two, False).label is None
    tally = Tally(1, True, {"discovery": 4.0, "value": 4.0}, ("sam", "dana"))
    posted = IssueDetails((), (*two.notes, note(3, "bot", "t " + tally_marker(tally))))
    assert judge(ctx(), COURSE, ISSUE, posted, False).label == L.practical_approved
    forged = IssueDetails((), (*two.notes[:1], note(3, "alice", "t " + tally_marker(tally))))
    assert judge(ctx(), COURSE, ISSUE, forged, False).label is None  # a marker proves nothing


def test_the_manager_and_the_learner_do_not_count() -> None:
    notes = (note(1, "sam", form(4, 4)), note(2, "dana", form(4, 4)), note(3, "alice", form(5, 5)))
    assert judge(ctx(manager="dana"), COURSE, ISSUE, IssueDetails((), notes), True).changes == ()


def test_disagreement_calls_the_eligible_moderators_once_and_one_decides() -> None:
    split = (note(1, "sam", form(5, 5)), note(2, "dana", form(2, 2)))
    verdict = judge(ctx(moderators=("alice", "erin")), COURSE, ISSUE, IssueDetails((), split), True)
    (body,) = bodies(verdict)
    assert body.startswith("moderate ['erin']") and marker.find(body, MODERATION)
    called = (*split, note(3, "bot", body))
    assert bodies(judge(ctx(), COURSE, ISSUE, IssueDetails((), called), True)) == []
    decided = (*called, note(4, "sam", form(5, 5)), note(5, "erin", form(2, 3)))
    verdict = judge(ctx(), COURSE, ISSUE, IssueDetails((), decided), True)
    assert verdict.label == L.practical_changes_requested
    assert verdict.tally is not None and verdict.tally.moderator == "erin"


def test_a_spread_over_max_spread_is_a_disagreement_even_when_both_pass() -> None:
    two_apart = (note(1, "sam", form(5, 4)), note(2, "dana", form(3, 4)))
    (body,) = bodies(judge(ctx(), COURSE, ISSUE, IssueDetails((), two_apart), True))
    assert "verdict=pass" in body  # 2 points apart: within max_spread 2
    course = dataclasses.replace(COURSE, rubric=dataclasses.replace(RUBRIC, max_spread=1))
    (body,) = bodies(judge(ctx(), course, ISSUE, IssueDetails((), two_apart), True))
    assert body.startswith("moderate") and "differ by 2 points" in body


def test_a_broken_form_gets_one_reply_by_comment_id() -> None:
    broken = note(1, "sam", "discovery: 7\nvalue: 4")
    (reply,) = bodies(judge(ctx(), COURSE, ISSUE, IssueDetails((), (broken,)), True))
    assert "fix sam" in reply and "'discovery: 7'" in reply
    answered = IssueDetails((), (broken, note(2, "bot", reply)))
    assert bodies(judge(ctx(), COURSE, ISSUE, answered, True)) == []


def test_a_failed_round_needs_fresh_scores() -> None:
    failed = Tally(1, False, {"discovery": 2.0, "value": 2.0}, ("sam", "dana"))
    notes = (
        note(1, "sam", form(2, 2)),
        note(2, "dana", form(2, 2)),
        note(3, "bot", tally_marker(failed)),
        note(4, "sam", form(4, 4)),
    )
    verdict = judge(ctx(), COURSE, ISSUE, IssueDetails((), notes), True)
    assert verdict.label == L.practical_changes_requested and bodies(verdict) == []
    again = IssueDetails((), (*notes, note(5, "dana", form(4, 5))))
    verdict = judge(ctx(), COURSE, ISSUE, again, True)
    (body,) = bodies(verdict)
    assert verdict.label == L.practical_approved and "round=2" in body and "superseded=2" in body
    assert ScoreSheet  # the type the texts receive


def test_a_practical_label_set_by_hand_is_explained_once() -> None:
    labelled = dataclasses.replace(ISSUE, labels=(L.practical_approved,))
    event = LabelEvent(7, L.practical_approved, "add", "sam", "2026-12-01T10:00:00Z")
    verdict = judge(ctx(), COURSE, labelled, IssueDetails((event,), ()), True)
    (body,) = bodies(verdict)
    assert body.startswith(f"refused {L.practical_approved} sam") and "event=7" in body
    told = IssueDetails((event,), (note(1, "bot", body),))
    assert bodies(judge(ctx(), COURSE, labelled, told, True)) == []
    assert TALLY
