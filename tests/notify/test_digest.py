"""The weekly digest: per manager, their learners accredited, waiting and stalled; per program
for the others; one id per week."""

from __future__ import annotations

import dataclasses
import datetime as dt

from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Cohort, Course, Labels, LearningPath, Program
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Issue, LearnerState
from accred_ops.core.validity import Period, Validity
from accred_ops.notify.digest import digests
from accred_ops.notify.events import Learner

COURSES = (Course("a", "Course A", ("x",)), Course("b", "Course B", ("y",)))
PATH = LearningPath("p", "The Path", COURSES)
PROGRAM = Program("sal", "SAL", (PATH,))
COHORT = Cohort("q4", "sal", "p", ())
NOW = dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC)  # ISO week 2026-W50


def _issue(
    course: str, labels: tuple[str, ...] = (), updated: str = "2026-12-08T00:00:00Z"
) -> Issue:
    return Issue(hash(course) % 1000, 1, course, "", labels, "opened", "", updated_at=updated)


def _state(awards: tuple[str, ...] = (), **issues: Issue) -> LearnerState:
    record = LearnerRecord(EpicKey("x", "sal", "p"), "q4", awards={c: ("sam",) for c in awards})
    return LearnerState(issues=dict(issues), record=record)


def _who(name: str, manager: str = "") -> Learner:
    return Learner(PROGRAM, PATH, COHORT, name, manager)


def test_one_digest_per_manager_and_one_for_the_rest() -> None:
    labels = Labels()
    seen = [
        (_who("alice", "carol"), _state(("a", "b"))),
        (_who("bob", "carol"), _state(("a",), b=_issue("b", (labels.assessment,)))),
        (_who("dan", "carol"), _state(a=_issue("a", updated="2026-11-01T00:00:00Z"))),
        (_who("eve"), _state(a=_issue("a", (labels.assessment,)))),
        (_who("fay"), _state(a=_issue("a"))),  # recently active: nothing to say
    ]
    found = digests(seen, labels, NOW, 14, "2026-12-09T12:00:00Z")
    assert [(e.id, e.manager, e.summary) for e in found] == [
        (
            "digest:program:sal:2026-W50",
            "",
            "@eve waiting for assessment in Course A",
        ),
        (
            "digest:carol:2026-W50",
            "carol",
            "@alice accredited (The Path); @bob waiting for assessment in Course B; "
            "@dan stalled in Course A",
        ),
    ]


def test_a_quiet_team_gets_no_digest() -> None:
    assert digests([(_who("fay", "carol"), _state(a=_issue("a")))], Labels(), NOW, 14, "") == []


def test_a_badge_whose_renewal_is_open_is_listed_expiring_then_expired() -> None:
    """The record's `renewing` says the tool opened the renewal; the days say until when."""
    rule = Validity(valid_for=Period(6, "month"), grace=Period(14, "day"))
    courses = tuple(dataclasses.replace(c, validity=rule) for c in COURSES)
    path = LearningPath("p", "The Path", courses)
    who = Learner(Program("sal", "SAL", (path,)), path, COHORT, "alice", "carol")
    record = LearnerRecord(
        EpicKey("x", "sal", "p"),
        "q4",
        awards={"a": ("sam",), "b": ("sam",)},
        awarded_on={"a": ("2026-06-20",), "b": ("2026-06-20",)},
        renewing={"a": "2026-H2"},
    )
    state = LearnerState(record=record)
    (found,) = digests([(who, state)], Labels(), NOW, 14, "2026-12-09T12:00:00Z")
    assert found.summary == (
        "@alice accredited (The Path), renewal open: Course A expiring 2027-01-03"
    )
    later = NOW + dt.timedelta(days=30)  # 2027-01-08
    (found,) = digests([(who, state)], Labels(), later, 14, "2027-01-08T12:00:00Z")
    assert found.summary == "@alice renewal open: Course A expired since 2027-01-04"
