"""Reading progress: checklist ticks, verdicts and who set them, and the stage (SPEC §5).

Pure rules over plain data. The stage follows the ticks; verdicts count only when an assessor
who is neither the learner nor the tool's own user added them; the award is final.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from accred_ops.core.checklist import parse_task_items, ticked
from accred_ops.core.model import Course, Labels
from accred_ops.core.state import LabelEvent
from accred_ops.core.tooluser import tools_own


class Stage(StrEnum):
    ENROLLED = "enrolled"
    IN_PROGRESS = "in-progress"
    ASSESSMENT = "assessment"
    BADGE_AWARDED = "badge-awarded"
    REVOKED = "revoked"


# Which Labels field names each stage's label, and how the stage reads in a table.
STAGE_TABLE: dict[Stage, tuple[str, str]] = {
    Stage.ENROLLED: ("enrolled", "Enrolled"),
    Stage.IN_PROGRESS: ("in_progress", "In progress"),
    Stage.ASSESSMENT: ("assessment", "Waiting for assessment"),
    Stage.BADGE_AWARDED: ("badge_awarded", "Badge awarded"),
    Stage.REVOKED: ("revoked", "Badge revoked"),
}

OPEN_STAGES = (Stage.ENROLLED, Stage.IN_PROGRESS, Stage.ASSESSMENT)


def stage_label(labels: Labels, stage: Stage) -> str:
    return str(getattr(labels, STAGE_TABLE[stage][0]))


def stage_labels(labels: Labels) -> dict[str, Stage]:
    return {stage_label(labels, stage): stage for stage in Stage}


def stage_of_labels(labels: Labels, present: Iterable[str]) -> Stage | None:
    """The stage a set of labels claims (the last stage label wins if there are several)."""
    known = stage_labels(labels)
    found = [known[label] for label in present if label in known]
    return found[-1] if found else None


@dataclass(frozen=True)
class Ticks:
    objectives: int
    objectives_total: int
    submissions: int
    submissions_total: int

    @property
    def all_objectives(self) -> bool:
        return self.objectives == self.objectives_total

    @property
    def stage(self) -> Stage:
        """Stage by ticks alone: verdict labels never move it (SPEC §5)."""
        if self.all_objectives and self.submissions == self.submissions_total:
            return Stage.ASSESSMENT
        if self.objectives or self.submissions:
            return Stage.IN_PROGRESS
        return Stage.ENROLLED


def read_ticks(course: Course, description: str) -> Ticks:
    """Which of the course's own checklist items are ticked; items humans added do not count."""
    expected = (*course.objectives, *course.submission_items)
    done = ticked(expected, parse_task_items(description))
    return Ticks(
        objectives=sum(done[o] for o in course.objectives),
        objectives_total=len(course.objectives),
        submissions=sum(done[s] for s in course.submission_items),
        submissions_total=len(course.submission_items),
    )


@dataclass(frozen=True)
class Authority:
    """Who may set verdicts: the configured assessors, never the learner or the tool itself."""

    assessors: frozenset[str]
    bot: str

    def may_judge(self, user: str | None, learner: str) -> bool:
        if user is None:
            return False
        user = user.lower()
        return user in self.assessors and user != learner.lower() and not tools_own(user, self.bot)


def verdict_labels(labels: Labels, course: Course) -> tuple[str, ...]:
    """The verdict labels that apply to this course (an exam-less course has no exam verdict)."""
    found: tuple[str, ...] = ()
    if course.exam:
        found += (labels.exam_passed, labels.exam_failed)
    if course.practical:
        found += (labels.practical_approved, labels.practical_changes_requested)
    return found


def added_by(label: str, events: Sequence[LabelEvent]) -> LabelEvent | None:
    """The event that put `label` on the issue as it stands: the last `add` of it."""
    for event in reversed(events):
        if event.label == label and event.action == "add":
            return event
    return None


def standing_verdicts(
    labels: Labels, events: Sequence[LabelEvent], authority: Authority, learner: str
) -> dict[str, LabelEvent]:
    """The verdicts as the assessors left them: label -> the assessor's event that added it.

    Only assessors' events count, both ways: an addition or a removal by anyone else (directly,
    or through scoped-label exclusivity when someone adds the opposite verdict) changes nothing,
    so `sync` undoes it. An assessor's own removal (or their opposite verdict, which GitLab
    records as their removal of the other label) withdraws the verdict.
    """
    standing: dict[str, LabelEvent] = {}
    for event in sorted(events, key=lambda e: e.id):
        if event.label not in labels.verdicts or not authority.may_judge(event.user, learner):
            continue
        if event.action == "add":
            standing[event.label] = event
        else:
            standing.pop(event.label, None)
    return standing


def removed_by(label: str, events: Sequence[LabelEvent]) -> LabelEvent | None:
    """The last event that took `label` off the issue."""
    for event in reversed(events):
        if event.label == label and event.action == "remove":
            return event
    return None


@dataclass(frozen=True)
class Verdict:
    label: str
    event: LabelEvent | None
    allowed: bool


def read_verdicts(
    labels: Labels,
    present: Iterable[str],
    events: Sequence[LabelEvent],
    authority: Authority,
    learner: str,
) -> list[Verdict]:
    """Each verdict label on the issue, with the event that added it and whether it counts."""
    verdicts = []
    for label in present:
        if label in labels.verdicts:
            event = added_by(label, events)
            allowed = authority.may_judge(event.user if event else None, learner)
            verdicts.append(Verdict(label, event, allowed))
    return verdicts


def required_verdicts(labels: Labels, course: Course) -> tuple[str, ...]:
    """The verdicts a badge needs: exam passed and practical approved, where required."""
    needed: tuple[str, ...] = ()
    if course.exam:
        needed += (labels.exam_passed,)
    if course.practical:
        needed += (labels.practical_approved,)
    return needed


def award_basis(
    labels: Labels, course: Course, ticks: Ticks, verdicts: Sequence[Verdict]
) -> dict[str, str] | None:
    """If the badge is earned, the assessor behind each required verdict; else None.

    Every objective ticked, and each required verdict added by an authorised assessor. The
    submission items only signal "ready for assessment"; they are not needed once verdicts stand.
    """
    if not ticks.all_objectives:
        return None
    valid = {v.label: v.event.user for v in verdicts if v.allowed and v.event is not None}
    needed = required_verdicts(labels, course)
    if not all(label in valid for label in needed):
        return None
    return {label: valid[label] for label in needed}


def verdict_word(labels: Labels, course: Course, kind: str, present: Sequence[str]) -> str:
    """How one verdict reads in the progress table."""
    required = course.exam if kind == "exam" else course.practical
    if not required:
        return "not required"
    good, bad = (
        (labels.exam_passed, labels.exam_failed)
        if kind == "exam"
        else (labels.practical_approved, labels.practical_changes_requested)
    )
    if good in present:
        return "passed" if kind == "exam" else "approved"
    if bad in present:
        return "failed" if kind == "exam" else "changes requested"
    return "pending"
