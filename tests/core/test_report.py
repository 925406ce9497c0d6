"""The program report (SPEC §6 `report`): GitLab's states in, every figure out, checked by hand.

The expected values below are worked out from the fixture by hand (dates, weeks, medians),
not by calling the report's helpers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from accred_ops.core.marker import EpicKey
from accred_ops.core.model import (
    Cohort,
    Config,
    Course,
    GitLabSettings,
    Labels,
    Learner,
    LearningPath,
    Program,
    Workspace,
)
from accred_ops.core.report import (
    CohortSummary,
    CourseCounts,
    CourseStats,
    CourseStatus,
    LearnerRow,
    QueueItem,
    StalledItem,
    build_report,
)
from accred_ops.core.state import Epic, Issue, LearnerState
from accred_ops.errors import InputError

L = Labels()
URL = "https://gitlab.example.com/g/p"
NOW = dt.datetime(2026, 12, 10, 12, 0, tzinfo=dt.UTC)

C1 = Course("c1", "Course one", ("o",))
C2 = Course("c2", "Course two", ("o",), practical=False)
C3 = Course("c3", "Course three", ("o",))
D1 = Course("d1", "Course D1", ("o",), exam=False)
D2 = Course("d2", "Course D2", ("o",))
PROGRAM = Program(
    "p",
    "Program",
    (LearningPath("a", "Path A", (C1, C2, C3)), LearningPath("b", "Path B", (D1, D2))),
)
COHORTS = {
    # Course n is due 2026-11-02 + 2(n+1) weeks: 11-16, 11-30, 12-14.
    "c-one": Cohort(
        "c-one",
        "p",
        "a",
        tuple(map(Learner, ("Zed", "dan", "cat", "bob", "amy"))),
        dt.date(2026, 11, 2),
        2,
    ),
    "c-two": Cohort("c-two", "p", "b", (Learner("fay"), Learner("eve"))),
    "c-three": Cohort("c-three", "p", "a", (Learner("amy"),)),  # amy again: her badges count once
}
WS = Workspace(Config(GitLabSettings(None, "g", "g/p")), {"p": PROGRAM}, COHORTS)


def issue(
    iid: int,
    stage: str,
    created: str,
    updated: str | None = None,
    closed: str | None = None,
    due: str | None = None,
    verdicts: tuple[str, ...] = (),
) -> Issue:
    return Issue(
        id=1000 + iid,
        iid=iid,
        title="",
        description="",
        labels=(L.scope, stage, *verdicts),
        state="closed" if closed else "opened",
        web_url=f"{URL}/-/issues/{iid}",
        due_date=due,
        created_at=created,
        updated_at=updated or closed or created,
        closed_at=closed,
    )


PASSED = (L.exam_passed, L.practical_approved)
T0 = "2026-11-02T09:00:00.000Z"  # enrolment of cohort c-one
STATES = {
    EpicKey("amy", "p", "a"): LearnerState(
        epic=Epic(1, 1, "", "", (), "closed", f"{URL}/-/epics/1"),
        issues={
            # 4.0, 18.5 and 29.0 days to badge; weeks of 11-02, 11-16 and 11-30
            "c1": issue(1, L.badge_awarded, T0, closed="2026-11-06T09:00:00.000Z", verdicts=PASSED),
            "c2": issue(
                2, L.badge_awarded, T0, closed="2026-11-20T21:00:00.000Z", due="2026-11-30"
            ),
            "c3": issue(3, L.badge_awarded, T0, closed="2026-12-01T09:00:00.000Z"),
        },
    ),
    EpicKey("bob", "p", "a"): LearnerState(
        issues={
            "c1": issue(4, L.badge_awarded, T0, closed="2026-11-09T09:00:00.000Z"),  # 7.0 days
            "c2": issue(5, L.assessment, T0, "2026-12-01T12:00:00Z", verdicts=(L.exam_passed,)),
            "c3": issue(6, L.enrolled, T0, due="2026-12-14"),
        },
    ),
    EpicKey("cat", "p", "a"): LearnerState(
        issues={
            "c1": issue(7, L.in_progress, T0, "2026-12-09T10:00:00.000Z", due="2026-11-16"),
            "c2": issue(8, L.enrolled, T0, due="2026-11-30", verdicts=(L.exam_failed,)),
            "c3": issue(9, L.enrolled, T0),
        },
    ),
    EpicKey("dan", "p", "a"): LearnerState(
        issues={
            "c1": issue(10, L.revoked, T0, "2026-11-15T00:00:00Z", due="2026-11-16"),
            "c2": issue(11, L.in_progress, T0, "2026-11-20T12:00:00Z", due="2026-11-30"),
        },
    ),
    EpicKey("eve", "p", "b"): LearnerState(
        issues={
            "d1": issue(12, L.badge_awarded, "2026-11-10T00:00:00Z", closed="2026-11-12T00:00:00Z"),
            "d2": issue(13, L.assessment, "2026-11-10T00:00:00Z", "2026-12-05T00:00:00.000Z"),
        },
    ),
    EpicKey("fay", "p", "b"): LearnerState(
        issues={
            "d1": issue(14, L.in_progress, "2026-10-20T00:00:00Z", "2026-11-01T00:00:00Z"),
            "d2": issue(15, "", "2026-10-20T00:00:00Z", "2026-10-30T00:00:00Z"),  # no stage label
        },
    ),
    # Not in any cohort: ignored, badge included.
    EpicKey("mallory", "p", "a"): LearnerState(
        issues={"c1": issue(16, L.badge_awarded, T0, closed="2026-11-03T09:00:00Z")}
    ),
}
SINCE = {5: "2026-11-28T12:00:00Z"}


def report(**options: object):
    return build_report(WS, STATES, NOW, assessment_since=SINCE, **options)  # type: ignore[arg-type]


def counts(ne: int = 0, en: int = 0, ip: int = 0, asm: int = 0, aw: int = 0, rv: int = 0) -> dict:
    return {
        "not-enrolled": ne,
        "enrolled": en,
        "in-progress": ip,
        "assessment": asm,
        "badge-awarded": aw,
        "revoked": rv,
    }


def test_counts_per_cohort_and_course() -> None:
    assert report().cohorts == (
        CohortSummary(
            "c-one",
            "p",
            "Program",
            "a",
            "Path A",
            learners=5,
            accredited=1,
            courses=(
                CourseCounts("c1", "Course one", counts(ne=1, ip=1, aw=2, rv=1)),
                CourseCounts("c2", "Course two", counts(ne=1, en=1, ip=1, asm=1, aw=1)),
                CourseCounts("c3", "Course three", counts(ne=2, en=2, aw=1)),
            ),
        ),
        CohortSummary(
            "c-three",
            "p",
            "Program",
            "a",
            "Path A",
            learners=1,
            accredited=1,
            courses=(
                CourseCounts("c1", "Course one", counts(aw=1)),
                CourseCounts("c2", "Course two", counts(aw=1)),
                CourseCounts("c3", "Course three", counts(aw=1)),
            ),
        ),
        CohortSummary(
            "c-two",
            "p",
            "Program",
            "b",
            "Path B",
            learners=2,
            accredited=0,
            courses=(
                CourseCounts("d1", "Course D1", counts(ip=1, aw=1)),
                CourseCounts("d2", "Course D2", counts(en=1, asm=1)),
            ),
        ),
    )


def test_only_listed_learners_in_a_stable_order() -> None:
    names = [(row.cohort, row.username) for row in report().learners]
    assert names == [
        ("c-one", "amy"),
        ("c-one", "bob"),
        ("c-one", "cat"),
        ("c-one", "dan"),
        ("c-one", "Zed"),
        ("c-three", "amy"),
        ("c-two", "eve"),
        ("c-two", "fay"),
    ]


def test_an_accredited_learner_row() -> None:
    def awarded(course: Course, iid: int, day: str, closed: str, due: str | None = None):
        practical = "approved" if iid == 1 else "not required" if iid == 2 else "pending"
        exam = "passed" if iid == 1 else "pending"
        return CourseStatus(
            course.id, course.title, "badge-awarded", exam, practical, day, due, iid, "closed",
            f"{URL}/-/issues/{iid}", T0, closed, closed,
        )  # fmt: skip

    assert report().learners[0] == LearnerRow(
        "c-one",
        "amy",
        "p",
        "a",
        accredited=True,
        epic_url=f"{URL}/-/epics/1",
        courses=(
            awarded(C1, 1, "2026-11-06", "2026-11-06T09:00:00.000Z"),
            awarded(C2, 2, "2026-11-20", "2026-11-20T21:00:00.000Z", "2026-11-30"),
            awarded(C3, 3, "2026-12-01", "2026-12-01T09:00:00.000Z"),
        ),
    )


def test_a_learner_with_no_issue_yet_gets_the_cohort_plan() -> None:
    zed = report().learners[4]
    assert (zed.username, zed.accredited, zed.epic_url) == ("Zed", False, None)
    assert zed.courses == tuple(
        CourseStatus(c.id, c.title, "not-enrolled", "", "", None, due, *[None] * 6)
        for c, due in ((C1, "2026-11-16"), (C2, "2026-11-30"), (C3, "2026-12-14"))
    )


@pytest.mark.parametrize(
    ("row", "course", "expected"),
    [
        (1, 1, ("assessment", "passed", "not required", None)),
        (2, 1, ("enrolled", "failed", "not required", None)),
        (3, 0, ("revoked", "pending", "pending", None)),
        (6, 0, ("badge-awarded", "not required", "pending", "2026-11-12")),
        (7, 1, ("enrolled", "pending", "pending", None)),
    ],
    ids=["assessment", "exam-failed", "revoked", "practical-only", "no-stage-label"],
)
def test_stage_and_verdict_words(row: int, course: int, expected: tuple) -> None:
    status = report().learners[row].courses[course]
    assert (status.stage, status.exam, status.practical, status.badge_date) == expected


def test_badges_per_week_fill_the_weeks_between() -> None:
    assert report().badges_per_week == {
        "2026-11-02": 1,  # amy c1 (Fri 11-06)
        "2026-11-09": 2,  # bob c1 (Mon 11-09), eve d1 (Thu 11-12)
        "2026-11-16": 1,  # amy c2 (Fri 11-20)
        "2026-11-23": 0,
        "2026-11-30": 1,  # amy c3 (Tue 12-01)
    }


def test_median_days_to_badge_per_course() -> None:
    assert report().courses == (
        CourseStats("c1", "Course one", 2, 5.5),  # 4.0 and 7.0 days; mallory's is not counted
        CourseStats("c2", "Course two", 1, 18.5),
        CourseStats("c3", "Course three", 1, 29.0),
        CourseStats("d1", "Course D1", 1, 2.0),
        CourseStats("d2", "Course D2", 0, None),
    )


def test_assessor_queue_oldest_first() -> None:
    assert report().assessor_queue == (
        QueueItem("c-one", "bob", "c2", "Course two", 5, f"{URL}/-/issues/5",
                  "2026-11-28T12:00:00Z", 12),
        QueueItem("c-two", "eve", "d2", "Course D2", 13, f"{URL}/-/issues/13",
                  "2026-12-05T00:00:00.000Z", 5),
    )  # fmt: skip


CAT = StalledItem(
    "c-one", "cat", "c1", "Course one", 7, f"{URL}/-/issues/7", "in-progress", "2026-11-16",
    ("c1", "c2"), "2026-12-09T10:00:00.000Z", 1, ("overdue",),
)  # fmt: skip
DAN = StalledItem(
    "c-one", "dan", "c2", "Course two", 11, f"{URL}/-/issues/11", "in-progress", "2026-11-30",
    ("c2",), "2026-11-20T12:00:00Z", 20, ("overdue", "inactive"),
)  # fmt: skip
FAY = StalledItem(
    "c-two", "fay", "d1", "Course D1", 14, f"{URL}/-/issues/14", "in-progress", None,
    (), "2026-11-01T00:00:00Z", 39, ("inactive",),
)  # fmt: skip


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (14, (CAT, DAN, FAY)),
        (20, (CAT, replace(DAN, reasons=("overdue",)), FAY)),
        (19, (CAT, DAN, FAY)),
        (40, (CAT, replace(DAN, reasons=("overdue",)))),
    ],
    ids=["default", "exactly-the-threshold-is-not-more", "just-over", "long-threshold"],
)
def test_stalled_learners(after: int, expected: tuple[StalledItem, ...]) -> None:
    # bob (waiting for an assessor, last active 9 days ago) and Zed (nothing to move) never are.
    assert report(stalled_after_days=after).stalled == expected


def test_one_cohort_only() -> None:
    result = report(cohort_id="c-two")
    assert result.cohort == "c-two"
    assert [row.username for row in result.learners] == ["eve", "fay"]
    assert [c.course for c in result.courses] == ["d1", "d2"]
    assert result.badges_per_week == {"2026-11-09": 1}
    assert [q.username for q in result.assessor_queue] == ["eve"]


def test_unknown_cohort_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no cohort 'nope'"):
        report(cohort_id="nope")


def test_naive_now_is_utc_and_the_report_is_deterministic() -> None:
    naive = build_report(WS, STATES, NOW.replace(tzinfo=None), assessment_since=SINCE)
    assert naive == report()
    assert naive.generated_at == "2026-12-10T12:00:00Z"


def test_queue_falls_back_to_the_last_update() -> None:
    queue = build_report(WS, STATES, NOW).assessor_queue
    assert [(q.username, q.since, q.days_waiting) for q in queue] == [
        ("bob", "2026-12-01T12:00:00Z", 9),
        ("eve", "2026-12-05T00:00:00.000Z", 5),
    ]


def test_nothing_on_gitlab_yet() -> None:
    empty = build_report(WS, {}, NOW)
    assert empty.badges_per_week == {} and empty.assessor_queue == () and empty.stalled == ()
    assert all(c.badges == 0 and c.median_days_to_badge is None for c in empty.courses)
    assert empty.cohorts[0].courses[0].counts == counts(ne=5)
