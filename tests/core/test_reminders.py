"""Reminders: who is nudged about a quiet course issue, when, and never too often."""

from __future__ import annotations

import dataclasses
import datetime as dt

from accred_ops.core.context import LearnerContext, Mode
from accred_ops.core.model import Course, Reminders
from accred_ops.core.plan import CommentOnIssue
from accred_ops.core.planner import plan_learner
from accred_ops.core.progress import Stage
from accred_ops.core.reminders import Audience, reminder_for
from accred_ops.core.state import Issue, LearnerState
from tests.core.test_planner import C1, C2, CTX, FakeTexts, L, epic, issue, settled

NOW = dt.datetime(2026, 12, 30, 9, 0, tzinfo=dt.UTC)
RULES = Reminders(stalled_after_days=14, repeat_every_days=7, assessment_after_days=5)


class Texts(FakeTexts):
    def reminder(self, course, learner, due, mentions, note_marker):  # type: ignore[no-untyped-def]
        return f"remind {due.to} {' '.join(mentions)} {course.id}: {due.reason} {note_marker}"


def quiet(days: float, due_date: str | None = None, state: str = "opened") -> Issue:
    """An issue last changed `days` ago (GitLab's time format, with its Z)."""
    changed = (NOW - dt.timedelta(days=days)).isoformat().replace("+00:00", "Z")
    return dataclasses.replace(issue(C1, 1, state=state), updated_at=changed, due_date=due_date)


def test_learner_is_reminded_after_the_stall_limit_not_before() -> None:
    assert reminder_for(quiet(13.9), Stage.ENROLLED, RULES, NOW) is None
    due = reminder_for(quiet(14), Stage.IN_PROGRESS, RULES, NOW)
    assert due is not None and due.to is Audience.LEARNER
    assert due.reason == "has had no activity for 14 days"


def test_overdue_issue_is_reminded_every_repeat_period_not_more_often() -> None:
    assert reminder_for(quiet(6, "2026-12-20"), Stage.ENROLLED, RULES, NOW) is None
    due = reminder_for(quiet(7, "2026-12-20"), Stage.ENROLLED, RULES, NOW)
    assert due is not None and due.reason == "was due on 2026-12-20"
    assert reminder_for(quiet(7, "2026-12-30"), Stage.ENROLLED, RULES, NOW) is None  # due today


def test_assessors_not_the_learner_hear_about_an_issue_waiting_in_assessment() -> None:
    assert reminder_for(quiet(6), Stage.ASSESSMENT, RULES, NOW) is None  # under repeat_every
    due = reminder_for(quiet(7, "2026-12-01"), Stage.ASSESSMENT, RULES, NOW)
    assert due is not None and due.to is Audience.ASSESSORS
    assert due.reason == "has waited 7 days for assessment"


def test_awarded_revoked_and_closed_issues_are_never_reminded() -> None:
    for stage in (Stage.BADGE_AWARDED, Stage.REVOKED):
        assert reminder_for(quiet(90, "2026-01-01"), stage, RULES, NOW) is None
    assert reminder_for(quiet(90, None, "closed"), Stage.ENROLLED, RULES, NOW) is None


def _ctx(rules: Reminders | None = RULES) -> LearnerContext:
    return dataclasses.replace(
        CTX, texts=Texts(), reminders=rules, now=NOW, assessor_mentions=("@sam", "@fe/assessors")
    )


def _stale(course: Course, iid: int, *ticked: str, stage_label: str = L.enrolled) -> Issue:
    """An issue quiet for 20 days, with its stage label as a past sync left it."""
    found = issue(course, iid, *ticked, labels=(stage_label,))
    changed = (NOW - dt.timedelta(days=20)).isoformat()
    return dataclasses.replace(found, updated_at=changed)


def test_a_learner_is_reminded_only_of_the_course_they_are_on() -> None:
    ctx = _ctx()
    state = LearnerState(epic=epic(), issues={"c1": _stale(C1, 1), "c2": _stale(C2, 2)})
    state = settled(state)
    comments = [
        c for c in plan_learner(ctx, state, Mode.SYNC, None) if isinstance(c, CommentOnIssue)
    ]
    assert [(c.iid, c.body.split(":")[0]) for c in comments] == [
        (1, "remind learner @sam @fe/assessors c1")
    ]
    assert "reminder" in comments[0].body and "on=2026-12-30" in comments[0].body


def test_assessors_are_mentioned_on_each_waiting_issue_and_no_reminder_rides_on_a_change() -> None:
    ctx = _ctx()
    waiting = _stale(C1, 1, "all", stage_label=L.assessment)
    ticked_now = _stale(C2, 2, "Obj C")  # stage moves to in-progress this run: no reminder
    state = settled(LearnerState(epic=epic(), issues={"c1": waiting, "c2": ticked_now}))
    comments = [
        c for c in plan_learner(ctx, state, Mode.SYNC, None) if isinstance(c, CommentOnIssue)
    ]
    assert [c.iid for c in comments] == [1]
    assert comments[0].body.startswith("remind assessors @sam @fe/assessors c1")


def test_no_reminders_without_the_setting_or_under_enroll() -> None:
    state = LearnerState(epic=epic(), issues={"c1": _stale(C1, 1), "c2": _stale(C2, 2)})
    for ctx, mode in ((_ctx(None), Mode.SYNC), (_ctx(), Mode.ENROLL)):
        plan = plan_learner(ctx, settled(state), mode, None)
        assert not [c for c in plan if isinstance(c, CommentOnIssue)]


def test_no_learner_reminder_when_the_course_they_are_on_is_not_due_one() -> None:
    ctx = _ctx()
    fresh = dataclasses.replace(_stale(C1, 1), updated_at=NOW.isoformat())  # worked on today
    state = settled(LearnerState(epic=epic(), issues={"c1": fresh, "c2": _stale(C2, 2)}))
    assert not [
        c for c in plan_learner(ctx, state, Mode.SYNC, None) if isinstance(c, CommentOnIssue)
    ]
