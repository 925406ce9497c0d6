"""What every step of planning one learner reads and returns, in a module of its own so the
steps (assessment, proof, judging, practical, revocation, rubrics) and the planner that calls
them all import it and none imports the planner: the learner's context, a course's outcome,
how work is routed, the progress row and the renderer the planner needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from accred_ops.core import marker, record
from accred_ops.core.model import Cohort, Course, Labels, Learner, LearningPath, Program, Reminders
from accred_ops.core.plan import Change
from accred_ops.core.progress import Authority, Stage
from accred_ops.core.reminders import Reminder
from accred_ops.core.rubric import Tally
from accred_ops.core.state import Issue, LabelEvent
from accred_ops.core.validity import Term

MENTION = "mention"
ROUND_ROBIN = "round-robin"
MANAGER = "manager"


class Picker(Protocol):
    """Chooses the assessor with the fewest issues waiting (the service keeps the counts)."""

    def pick(self, iid: int, candidates: Sequence[str]) -> str: ...


@dataclass(frozen=True)
class Routing:
    """How this run routes work: `accred.yml`'s `assessors.routing` and what GitLab allows."""

    mode: str = MENTION
    usernames: tuple[str, ...] = ()  # assessors.usernames: the round-robin's candidates
    can_assign: bool = True  # several assignees per issue (not on GitLab Free)
    picker: Picker | None = None


class Mode(StrEnum):
    ENROLL = "enroll"
    SYNC = "sync"


class TextsLike(Protocol):
    """The renderer the planner needs (accred_ops.render.Texts)."""

    def course_issue(
        self, program: Program, path: LearningPath, course: Course, cohort: Cohort, learner: str
    ) -> str: ...
    def learner_epic(
        self,
        program: Program,
        path: LearningPath,
        cohort: Cohort | None,
        learner: str,
        progress: str,
    ) -> str: ...
    def progress(self, rows: Sequence[ProgressRow], awarded: int) -> str: ...
    def renewal_issue(
        self,
        program: Program,
        path: LearningPath,
        course: Course,
        cohort: Cohort,
        learner: str,
        cycle: str,
        term: Term,
    ) -> str: ...
    def award_validity(self, course: Course, term: Term) -> str: ...
    def renewal_days_left(self, days: int) -> str: ...
    def badge_award(
        self, course: Course, learner: str, assessors: dict[str, str], note_marker: str, **kw: Any
    ) -> str: ...
    def path_award(
        self, program: Program, path: LearningPath, learner: str, note_marker: str
    ) -> str: ...
    def badge_revoked(
        self,
        course: Course,
        learner: str,
        reason: str,
        by: str,
        note_marker: str,
        private_reason: str = "",
        renewal: str | None = None,
    ) -> str: ...

    def verdict_refused(
        self, label: str, actor: str, assessors: Sequence[str], note_marker: str
    ) -> str: ...
    def verdict_restored(
        self, label: str, actor: str, assessors: Sequence[str], note_marker: str
    ) -> str: ...
    def reminder(
        self, course: Course, learner: str, due: Reminder, mentions: Sequence[str], note_marker: str
    ) -> str: ...


@dataclass(frozen=True)
class ProgressRow:
    """One course in a learner's progress table (the template formats it)."""

    course: str
    url: str | None
    stage: str
    exam: str
    practical: str
    badge: str


@dataclass(frozen=True)
class LearnerContext:
    program: Program
    path: LearningPath
    cohort: Cohort
    learner: Learner
    labels: Labels
    texts: TextsLike
    authority: Authority
    assessor_names: tuple[str, ...] = ()  # as a sentence names them: "@sam", "members of g"
    assessor_mentions: tuple[str, ...] = ()  # as a comment notifies them: "@sam", "@g"
    reminders: Reminders | None = None
    now: dt.datetime | None = None  # the run's clock, for reminders
    routing: Routing | None = None  # who is told of work entering assessment (sync only)
    record_in_note: bool = False  # issue mode: the record is the tool's comment, not the epic's
    moderators: tuple[str, ...] = ()  # accred.yml assessors.moderators (rubrics, core/judging.py)

    @property
    def via(self) -> str:
        """How this learner was enrolled, as their record says it."""
        request = self.learner.request
        return record.request_via(request) if request is not None else record.VIA_FILE

    @property
    def username(self) -> str:
        return self.learner.username.lower()

    @property
    def epic_key(self) -> marker.EpicKey:
        return marker.EpicKey(self.username, self.program.id, self.path.id)

    def issue_key(self, course: Course) -> marker.IssueKey:
        return marker.IssueKey(self.username, self.program.id, self.path.id, course.id)

    def identity_labels(self, course: Course | None = None) -> tuple[str, ...]:
        labels = self.labels
        found = (labels.scope, labels.program(self.program.id))
        if course is not None:
            found += (labels.course(course.id),)
        return (*found, labels.cohort(self.cohort.id))


@dataclass(frozen=True)
class CourseOutcome:
    course: Course
    issue: Issue | None
    stage: Stage
    labels_after: tuple[str, ...]
    changes: tuple[Change, ...]
    award: tuple[str, ...] | None = None  # awarded: the assessors the award rests on
    revoked: bool = False
    awarded_on: str | None = None  # a badge that expires: the day of its latest award
    expired: bool = False  # awarded, and past its validity (core/expiry.py)
    renewing: str | None = None  # the issue is the renewal of this cycle (core/renewal.py)
    days_left: int | None = None  # a renewal: days the badge stays valid after today
    rubric_event: LabelEvent | None = None  # a rubric's verdict, as the tool's label event
    rubric_tally: Tally | None = None  # the tally that verdict rests on
