"""Stages, verdicts and the badge rule (SPEC §5), as data in, data out."""

from __future__ import annotations

import pytest

from accred_ops.core.model import EXAM_ITEM, PRACTICAL_ITEM, Course, Labels
from accred_ops.core.progress import (
    Authority,
    Stage,
    Ticks,
    award_basis,
    read_ticks,
    read_verdicts,
    stage_of_labels,
)
from accred_ops.core.state import LabelEvent

L = Labels()
COURSE = Course("c", "Course", ("One", "Two"))
NO_EXAM = Course("n", "No exam", ("One",), exam=False)
AUTH = Authority(frozenset({"sam", "alice", "bot"}), "bot")


def checklist(*ticked: str, course: Course = COURSE) -> str:
    items = (*course.objectives, *course.submission_items)
    return "\n".join(f"- [{'x' if item in ticked else ' '}] {item}" for item in items)


def event(label: str, user: str, action: str = "add", id: int = 1) -> LabelEvent:
    return LabelEvent(id, label, action, user, "2026-12-01T00:00:00Z")


@pytest.mark.parametrize(
    ("ticked", "stage"),
    [
        ((), Stage.ENROLLED),
        (("One",), Stage.IN_PROGRESS),
        ((EXAM_ITEM,), Stage.IN_PROGRESS),
        (("One", "Two"), Stage.IN_PROGRESS),
        (("One", "Two", EXAM_ITEM), Stage.IN_PROGRESS),
        (("One", "Two", EXAM_ITEM, PRACTICAL_ITEM), Stage.ASSESSMENT),
        (("One", EXAM_ITEM, PRACTICAL_ITEM), Stage.IN_PROGRESS),
    ],
    ids=[
        "nothing",
        "one-objective",
        "only-submission",
        "objectives-only",
        "one-submission",
        "everything",
        "objective-missing",
    ],
)
def test_stage_follows_the_ticks(ticked: tuple[str, ...], stage: Stage) -> None:
    assert read_ticks(COURSE, checklist(*ticked)).stage is stage


def test_course_without_exam_has_no_exam_item() -> None:
    assert (
        read_ticks(NO_EXAM, checklist("One", PRACTICAL_ITEM, course=NO_EXAM)).stage
        is Stage.ASSESSMENT
    )


@pytest.mark.parametrize(
    ("user", "allowed"),
    [("sam", True), ("alice", False), ("bot", False), ("mallory", False), ("SAM", True)],
    ids=["assessor", "learner-even-if-assessor", "the-tool-itself", "stranger", "case-insensitive"],
)
def test_who_may_set_a_verdict(user: str, allowed: bool) -> None:
    verdicts = read_verdicts(L, [L.exam_passed], [event(L.exam_passed, user)], AUTH, "alice")
    assert [v.allowed for v in verdicts] == [allowed]


def test_the_last_add_event_decides_who_set_a_label() -> None:
    events = [
        event(L.exam_passed, "sam", id=1),
        event(L.exam_passed, "sam", "remove", 2),
        event(L.exam_passed, "bob", id=3),
    ]
    assert read_verdicts(L, [L.exam_passed], events, AUTH, "alice")[0].allowed is False


def test_verdict_without_any_event_does_not_count() -> None:
    assert read_verdicts(L, [L.exam_passed], [], AUTH, "alice")[0].allowed is False


def _verdicts(*labels: str, user: str = "sam"):
    return read_verdicts(
        L, labels, [event(label, user, id=i) for i, label in enumerate(labels)], AUTH, "alice"
    )


@pytest.mark.parametrize(
    ("ticks", "labels", "basis"),
    [
        (
            Ticks(2, 2, 0, 2),
            (L.exam_passed, L.practical_approved),
            {L.exam_passed: "sam", L.practical_approved: "sam"},
        ),
        (Ticks(1, 2, 2, 2), (L.exam_passed, L.practical_approved), None),
        (Ticks(2, 2, 2, 2), (L.exam_passed,), None),
        (Ticks(2, 2, 2, 2), (L.exam_failed, L.practical_approved), None),
        (Ticks(2, 2, 2, 2), (L.exam_passed, L.practical_changes_requested), None),
    ],
    ids=[
        "verdicts-without-submission-ticks",
        "objective-unticked",
        "practical-missing",
        "exam-failed",
        "changes-requested",
    ],
)
def test_award_basis(ticks: Ticks, labels: tuple[str, ...], basis: dict[str, str] | None) -> None:
    assert award_basis(L, COURSE, ticks, _verdicts(*labels)) == basis


def test_verdicts_by_non_assessors_do_not_award() -> None:
    assert (
        award_basis(
            L,
            COURSE,
            Ticks(2, 2, 2, 2),
            _verdicts(L.exam_passed, L.practical_approved, user="mallory"),
        )
        is None
    )


def test_course_without_verdicts_awards_on_objectives_alone() -> None:
    plain = Course("p", "Plain", ("One",), exam=False, practical=False)
    assert award_basis(L, plain, Ticks(1, 1, 0, 0), []) == {}


def test_stage_of_labels() -> None:
    assert stage_of_labels(L, ["x", L.assessment]) is Stage.ASSESSMENT
    assert stage_of_labels(L, ["x"]) is None
