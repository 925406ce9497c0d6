"""The planner: GitLab state in, ordered changes out. No GitLab, no files, no templates."""

from __future__ import annotations

import dataclasses

from accred_ops.core import marker
from accred_ops.core.context import LearnerContext, Mode
from accred_ops.core.model import (
    EXAM_ITEM,
    PRACTICAL_ITEM,
    Cohort,
    Course,
    Labels,
    Learner,
    LearningPath,
    Program,
)
from accred_ops.core.plan import (
    AddToEpic,
    CommentOnEpic,
    CommentOnIssue,
    CreateEpic,
    CreateIssue,
    UpdateEpic,
    UpdateIssue,
)
from accred_ops.core.planner import needs_details, plan_learner
from accred_ops.core.progress import Authority
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Issue, IssueDetails, LabelEvent, LearnerState, Note

L = Labels()
C1 = Course("c1", "One", ("Obj A", "Obj B"), badge_name="Badge One")
C2 = Course("c2", "Two", ("Obj C",))
PATH = LearningPath("p", "Path", (C1, C2))
PROGRAM = Program("sal", "SAL", (PATH,))
COHORT = Cohort("q4", "sal", "p", (Learner("alice"),))


class FakeTexts:
    def course_issue(self, program, path, course, cohort, learner):  # type: ignore[no-untyped-def]
        return f"{checklist(course)}\n{marker.issue_marker(marker.IssueKey(learner, program.id, path.id, course.id))}"

    def learner_epic(self, program, path, cohort, learner, progress):  # type: ignore[no-untyped-def]
        return marker.replace_section("epic", progress) + marker.epic_marker(
            marker.EpicKey(learner, program.id, path.id)
        )

    def progress(self, rows, awarded):  # type: ignore[no-untyped-def]
        return "\n".join(
            f"{r.course}|{r.stage}|{r.exam}|{r.practical}|{r.badge}|{r.url}" for r in rows
        )

    def badge_award(self, course, learner, assessors, note_marker):  # type: ignore[no-untyped-def]
        return f"badge {course.id} by {sorted(assessors.values())} {note_marker}"

    def path_award(self, program, path, learner, note_marker):  # type: ignore[no-untyped-def]
        return f"path {note_marker}"

    def verdict_refused(self, label, actor, assessors, note_marker):  # type: ignore[no-untyped-def]
        return f"refused {label} {actor} {note_marker}"

    def verdict_restored(self, label, actor, assessors, note_marker):  # type: ignore[no-untyped-def]
        return f"restored {label} {actor} {note_marker}"


CTX = LearnerContext(
    PROGRAM, PATH, COHORT, Learner("alice"), L, FakeTexts(), Authority(frozenset({"sam"}), "bot")
)
IDENTITY = (L.scope, "program::sal", "cohort::q4")


def checklist(course: Course, *ticked: str) -> str:
    items = (*course.objectives, *course.submission_items)
    return "\n".join(f"- [{'x' if i in ticked or 'all' in ticked else ' '}] {i}" for i in items)


def issue(
    course: Course,
    iid: int,
    *ticked: str,
    labels: tuple[str, ...] = (),
    state: str = "opened",
    closed_by: str | None = None,
) -> Issue:
    body = f"{checklist(course, *ticked)}\n{marker.issue_marker(CTX.issue_key(course))}"
    base = (L.scope, "program::sal", f"course::{course.id}", "cohort::q4")
    return Issue(
        iid * 10,
        iid,
        f"{course.title} — @alice",
        body,
        base + labels,
        state,
        f"http://x/-/issues/{iid}",
        ("alice",),
        closed_by,
        epic_iid=1,
    )


def epic(
    description: str | None = None, labels: tuple[str, ...] = IDENTITY, state: str = "opened"
) -> Epic:
    text = description if description is not None else marker.epic_marker(CTX.epic_key)
    return Epic(100, 1, "SAL: Path — @alice", text, labels, state, "http://x/epics/1")


def settled(state: LearnerState) -> LearnerState:
    """The state after one sync of the epic alone (so a plan shows only what is new)."""
    for change in plan_learner(CTX, state, Mode.SYNC, None):
        if isinstance(change, UpdateEpic) and state.epic:
            labels = (
                tuple(x for x in state.epic.labels if x not in change.remove_labels)
                + change.add_labels
            )
            description = change.description or state.epic.description
            state.epic = dataclasses.replace(state.epic, description=description, labels=labels)
    return state


def test_new_learner_gets_epic_then_issues_in_it() -> None:
    plan = plan_learner(CTX, LearnerState(), Mode.ENROLL, assignee_id=7)
    assert [type(c) for c in plan] == [CreateEpic, CreateIssue, CreateIssue]
    assert plan[1].labels == (L.scope, "program::sal", "course::c1", "cohort::q4", L.enrolled)
    assert plan[1].assignee_id == 7 and plan[1].epic == CTX.epic_key
    assert plan[0].labels == IDENTITY


def test_complete_learner_with_nothing_new_needs_no_change() -> None:
    state = settled(
        LearnerState(
            epic(),
            {"c1": issue(C1, 1, labels=(L.enrolled,)), "c2": issue(C2, 2, labels=(L.enrolled,))},
        )
    )
    assert plan_learner(CTX, state, Mode.SYNC, None) == []


def test_missing_issue_is_created_and_epic_table_waits_for_it() -> None:
    state = LearnerState(epic(), {"c1": issue(C1, 1, labels=(L.enrolled,))})
    plan = plan_learner(CTX, state, Mode.ENROLL, assignee_id=7)
    assert [type(c) for c in plan] == [CreateIssue]


def test_issue_outside_its_epic_is_put_back() -> None:
    moved = dataclasses.replace(issue(C1, 1, labels=(L.enrolled,)), epic_iid=None)
    state = settled(LearnerState(epic(), {"c1": moved, "c2": issue(C2, 2, labels=(L.enrolled,))}))
    assert plan_learner(CTX, state, Mode.SYNC, None) == [AddToEpic(10, 1, CTX.epic_key)]


def test_a_tick_moves_the_stage_and_the_epic() -> None:
    state = settled(
        LearnerState(
            epic(),
            {"c1": issue(C1, 1, labels=(L.enrolled,)), "c2": issue(C2, 2, labels=(L.enrolled,))},
        )
    )
    state.issues["c1"] = issue(C1, 1, "Obj A", labels=(L.enrolled,))
    plan = plan_learner(CTX, state, Mode.SYNC, None)
    assert plan[0] == UpdateIssue(1, (L.in_progress,), (L.enrolled,), None, "stage in-progress")
    assert isinstance(plan[1], UpdateEpic) and plan[1].add_labels == (L.in_progress,)


def test_enroll_mode_never_moves_stages() -> None:
    state = settled(
        LearnerState(
            epic(),
            {
                "c1": issue(C1, 1, "all", labels=(L.enrolled,)),
                "c2": issue(C2, 2, labels=(L.enrolled,)),
            },
        )
    )
    assert not any(isinstance(c, UpdateIssue) for c in plan_learner(CTX, state, Mode.ENROLL, None))


def _verdict_details(*pairs: tuple[str, str], notes: tuple[Note, ...] = ()) -> IssueDetails:
    return IssueDetails(
        tuple(LabelEvent(i, label, "add", user, "t") for i, (label, user) in enumerate(pairs, 1)),
        notes,
    )


def test_award_comments_first_then_labels_and_closes() -> None:
    ready = issue(C1, 1, "all", labels=(L.assessment, L.exam_passed, L.practical_approved))
    state = settled(LearnerState(epic(), {"c1": ready, "c2": issue(C2, 2, labels=(L.enrolled,))}))
    assert needs_details(CTX, C1, ready, None)
    state.details[1] = _verdict_details((L.exam_passed, "sam"), (L.practical_approved, "sam"))
    plan = plan_learner(CTX, state, Mode.SYNC, None)
    assert plan[0] == CommentOnIssue(
        1,
        "badge c1 by ['sam', 'sam'] <!-- accred-ops:award course=c1 learner=alice by=sam -->",
        'award badge "Badge One"',
    )
    assert plan[1] == UpdateIssue(1, (L.badge_awarded,), (L.assessment,), "close", "badge awarded")


def test_award_comment_already_posted_is_not_posted_again() -> None:
    ready = issue(C1, 1, "all", labels=(L.assessment, L.exam_passed, L.practical_approved))
    state = settled(LearnerState(epic(), {"c1": ready, "c2": issue(C2, 2, labels=(L.enrolled,))}))
    posted = Note(
        5, "badge <!-- accred-ops:award course=c1 learner=alice by=sam -->", "bot", False, "t"
    )
    state.details[1] = _verdict_details(
        (L.exam_passed, "sam"), (L.practical_approved, "sam"), notes=(posted,)
    )
    plan = plan_learner(CTX, state, Mode.SYNC, None)
    assert not any(isinstance(c, CommentOnIssue) for c in plan)
    assert (
        UpdateIssue(
            1,
            (L.badge_awarded,),
            (L.assessment,),
            "close",
            "badge already awarded; the award is final",
        )
        in plan
    )


def _record(*awarded: str) -> LearnerRecord:
    return LearnerRecord(
        CTX.epic_key, "q4", issues={"c1": 10, "c2": 20}, awards={c: ("sam",) for c in awarded}
    )


def test_awarded_on_record_needs_no_reads_and_no_writes() -> None:
    done = issue(C1, 1, labels=(L.badge_awarded,), state="closed", closed_by="bot")
    assert not needs_details(CTX, C1, done, _record("c1"))
    state = LearnerState(
        epic(), {"c1": done, "c2": issue(C2, 2, labels=(L.enrolled,))}, record=_record("c1")
    )
    assert plan_learner(CTX, settled(state), Mode.SYNC, None) == []


def test_closed_by_the_tool_with_the_badge_label_is_no_award_without_the_record() -> None:
    """The tool also closes revoked issues and its own state issue: closing proves nothing."""
    done = issue(C1, 1, "all", labels=(L.badge_awarded,), state="closed", closed_by="bot")
    assert needs_details(CTX, C1, done, _record())
    state = settled(
        LearnerState(
            epic(), {"c1": done, "c2": issue(C2, 2, labels=(L.enrolled,))}, record=_record()
        )
    )
    state.details[1] = IssueDetails()
    plan = plan_learner(CTX, state, Mode.SYNC, None)
    assert UpdateIssue(1, (L.assessment,), (L.badge_awarded,), None, "stage assessment") in plan


def test_badge_label_set_by_a_learner_is_not_an_award() -> None:
    forged = issue(C1, 1, "Obj A", labels=(L.badge_awarded,), state="closed", closed_by="alice")
    assert needs_details(CTX, C1, forged, None)
    state = settled(LearnerState(epic(), {"c1": forged, "c2": issue(C2, 2, labels=(L.enrolled,))}))
    state.details[1] = IssueDetails()
    plan = plan_learner(CTX, state, Mode.SYNC, None)
    assert UpdateIssue(1, (L.in_progress,), (L.badge_awarded,), None, "stage in-progress") in plan


def test_self_verdict_is_refused_once_and_removed() -> None:
    bad = issue(C1, 1, "all", labels=(L.assessment, L.exam_passed))
    state = settled(LearnerState(epic(), {"c1": bad, "c2": issue(C2, 2, labels=(L.enrolled,))}))
    state.details[1] = _verdict_details((L.exam_passed, "alice"))
    plan = plan_learner(CTX, state, Mode.SYNC, None)
    assert isinstance(plan[0], CommentOnIssue) and "refused exam::passed alice" in plan[0].body
    assert plan[1] == UpdateIssue(1, (), (L.exam_passed,), None, "verdict not set by an assessor")
    refused = Note(9, plan[0].body, "bot", False, "t")
    state.details[1] = _verdict_details((L.exam_passed, "alice"), notes=(refused,))
    assert [type(c) for c in plan_learner(CTX, state, Mode.SYNC, None)] == [UpdateIssue]


def test_all_badges_accredit_the_epic_comment_first() -> None:
    done = {
        c.id: issue(c, i, labels=(L.badge_awarded,), state="closed", closed_by="bot")
        for i, c in enumerate(PATH.courses, 1)
    }
    state = LearnerState(
        epic(labels=(*IDENTITY, L.in_progress)), done, epic_notes=(), record=_record("c1", "c2")
    )
    plan = plan_learner(CTX, state, Mode.SYNC, None)
    assert isinstance(plan[0], CommentOnEpic)
    last = plan[-1]
    assert isinstance(last, UpdateEpic)
    assert (last.add_labels, last.remove_labels, last.state_event) == (
        (L.accredited,),
        (L.in_progress,),
        "close",
    )


def test_accredited_epic_without_every_badge_is_reopened() -> None:
    state = LearnerState(
        epic(labels=(*IDENTITY, L.accredited), state="closed"),
        {"c1": issue(C1, 1, labels=(L.enrolled,)), "c2": issue(C2, 2, labels=(L.enrolled,))},
    )
    plan = plan_learner(CTX, state, Mode.SYNC, None)
    assert plan[-1].remove_labels == (L.accredited,) and plan[-1].state_event == "reopen"


def test_submission_items_are_in_the_checklist() -> None:
    assert EXAM_ITEM in checklist(C1) and PRACTICAL_ITEM in checklist(C1)
