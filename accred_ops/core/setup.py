"""What `setup` (and the label check of every run) wants in the group: labels and the board.

The label vocabulary is a table: colours that make the board readable at a glance, and
descriptions that tell humans who sets each label. Existing labels and lists are never changed
(a colour a human picked stays).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from accred_ops.core.model import Workspace
from accred_ops.core.plan import Change, CreateBoard, CreateBoardList, CreateLabel, ScopeBoard
from accred_ops.core.progress import OPEN_STAGES, stage_label
from accred_ops.core.state import Board

# Labels field -> (colour, description)
LABEL_STYLE: dict[str, tuple[str, str]] = {
    "scope": (
        "#6b4fbb",
        "Field Learning Programs: set by accred-ops on every learner epic and course issue.",
    ),
    "enrolled": ("#8fbc8f", "Stage: enrolled, nothing ticked yet. Set by accred-ops."),
    "in_progress": ("#1f75cb", "Stage: some objectives ticked. Set by accred-ops."),
    "assessment": (
        "#e9be74",
        "Stage: everything ticked, waiting for the assessor's verdicts. Set by accred-ops.",
    ),
    "badge_awarded": ("#108548", "Stage: badge awarded, issue closed. Set by accred-ops."),
    "accredited": (
        "#0b5e3c",
        "Epic: every course of the learning path has its badge. Set by accred-ops.",
    ),
    "revoked": (
        "#dd2b0e",
        "Stage: badge withdrawn, reason in a comment. Set by accred-ops revoke.",
    ),
    "learner_issue": (
        "#6b4fbb",
        "A learner's path, where the group has no epics: its course issues are linked to it.",
    ),
    "enrollment_request": (
        "#9e5cf2",
        "A learner asks to be enrolled (issue template); accred-ops answers and closes it.",
    ),
    "feedback": (
        "#9e5cf2",
        "Course feedback (issue template); accred-ops adds the course and program labels.",
    ),
    "retake": (
        "#c17d10",
        "An assessor set a failing verdict here; the learner was told how to retake. By accred-ops.",
    ),
    "exam_passed": ("#2da160", "Verdict: written exam passed. Set by an assessor only."),
    "exam_failed": ("#c91c00", "Verdict: written exam not passed yet. Set by an assessor only."),
    "practical_approved": (
        "#2da160",
        "Verdict: practical assessment approved. Set by an assessor only.",
    ),
    "practical_changes_requested": (
        "#c17d10",
        "Verdict: practical assessment needs changes. Set by an assessor only.",
    ),
}
IDENTITY_COLOR = "#dbd7e8"
# Only for a program whose badges expire (a `validity:` in its curriculum).
EXPIRED_STYLE = (
    "#9a6e00",
    "Stage: badge past its validity, not renewed (the learner record decides). Set by accred-ops.",
)


def wanted_labels(ws: Workspace) -> list[CreateLabel]:
    """Every label the program uses: the vocabulary plus program/course/cohort identity labels."""
    labels = ws.config.labels
    wanted = [
        CreateLabel(getattr(labels, field), color, text)
        for field, (color, text) in LABEL_STYLE.items()
    ]
    if any(c.validity for p in ws.programs.values() for c in p.courses()):
        wanted.append(CreateLabel(labels.expired, *EXPIRED_STYLE))
    for program in ws.programs.values():
        wanted.append(
            CreateLabel(
                labels.program(program.id),
                IDENTITY_COLOR,
                f"Program: {program.title}. Set by accred-ops.",
            )
        )
        for path in program.paths:
            for course in path.courses:
                wanted.append(
                    CreateLabel(
                        labels.course(course.id),
                        IDENTITY_COLOR,
                        f"Course: {course.title}. Set by accred-ops.",
                    )
                )
    for cohort in ws.cohorts.values():
        wanted.append(
            CreateLabel(
                labels.cohort(cohort.id), IDENTITY_COLOR, f"Cohort {cohort.id}. Set by accred-ops."
            )
        )
    unique: dict[str, CreateLabel] = {}
    for label in wanted:
        unique.setdefault(label.name, label)
    return list(unique.values())


def plan_labels(ws: Workspace, existing: Collection[str]) -> list[Change]:
    return [label for label in wanted_labels(ws) if label.name not in existing]


def plan_board(ws: Workspace, boards: Mapping[str, Board], scoped: bool = False) -> list[Change]:
    """The board named in accred.yml with one list per open stage, in stage order; with
    `scoped` (the tier allows a board scope), showing only issues with the label every program
    issue and epic carries, so the dashboard issue, the sync record and the group's other
    issues stay off it."""
    name = ws.config.gitlab.board
    board = boards.get(name)
    changes: list[Change] = [] if board else [CreateBoard(name)]
    wanted = (ws.config.labels.scope,)
    if scoped and (board.scope_labels if board else ()) != wanted:
        changes.append(ScopeBoard(name, wanted))
    present = board.list_labels if board else ()
    for stage in OPEN_STAGES:
        label = stage_label(ws.config.labels, stage)
        if label not in present:
            changes.append(CreateBoardList(name, label))
    return changes
