"""The planner: what GitLab has for a learner + what the program says -> the changes to make.

One function serves `enroll` (create what is missing) and `sync` (also move stages, enforce
verdict authority, award badges). It is pure: the service reads GitLab, calls it, and hands the
plan to the executor. Writes are ordered so that a run killed between any two of them can be
re-run safely: a comment that records an act (an award, a refusal) is posted before the label or
state change it announces, and is looked for (by its hidden marker) before it is posted again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from accred_ops.core import marker
from accred_ops.core.assessment import Routing, assessment_changes
from accred_ops.core.model import (
    Cohort,
    Course,
    Labels,
    Learner,
    LearningPath,
    Program,
    Reminders,
)
from accred_ops.core.plan import (
    AddToEpic,
    Change,
    CommentOnEpic,
    CommentOnIssue,
    CreateEpic,
    CreateIssue,
    UpdateEpic,
    UpdateIssue,
)
from accred_ops.core.progress import (
    STAGE_TABLE,
    Authority,
    Stage,
    Verdict,
    award_basis,
    read_ticks,
    read_verdicts,
    stage_label,
    stage_labels,
    stage_of_labels,
    verdict_labels,
    verdict_word,
)
from accred_ops.core.reminders import LEARNERS_TURN, Audience, Reminder, reminder_for
from accred_ops.core.state import Issue, IssueDetails, LearnerState, Note


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
    def badge_award(
        self, course: Course, learner: str, assessors: dict[str, str], note_marker: str
    ) -> str: ...
    def path_award(
        self, program: Program, path: LearningPath, learner: str, note_marker: str
    ) -> str: ...
    def badge_revoked(
        self, course: Course, learner: str, reason: str, by: str, note_marker: str
    ) -> str: ...

    def verdict_refused(
        self, label: str, actor: str, assessors: Sequence[str], note_marker: str
    ) -> str: ...
    def reminder(
        self, course: Course, learner: str, due: Reminder, mentions: Sequence[str], note_marker: str
    ) -> str: ...


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


def epic_title(program: Program, path: LearningPath, username: str) -> str:
    return f"{program.title}: {path.title} — @{username}"


def issue_title(course: Course, username: str) -> str:
    return f"{course.title} — @{username}"


def award_marker(course: Course) -> str:
    return marker.make("award", course=course.id)


def refusal_marker(event_id: int) -> str:
    return marker.make("verdict-refused", event=event_id)


def path_marker(path: LearningPath) -> str:
    return marker.make("path-award", path=path.id)


def reminder_marker(due: Reminder, now: dt.datetime) -> str:
    """Dated, so that each reminder is a record of its own (not a duplicate of the last one)."""
    return marker.make("reminder", to=due.to, on=now.date().isoformat())


def bot_note(notes: Sequence[Note], kind: str, bot: str, **fields: str) -> Note | None:
    """The comment with this marker that the tool's own user left, if any (the record of an act;
    a marker in anyone else's comment proves nothing)."""
    wanted = {k: str(v) for k, v in fields.items()}
    for note in notes:
        if note.author.lower() == bot.lower() and wanted in marker.find(note.body, kind):
            return note
    return None


def is_awarded(
    ctx: LearnerContext, course: Course, issue: Issue, details: IssueDetails | None
) -> bool:
    """An award is on record when the tool itself closed the issue with the badge label, or
    when its award comment exists. A badge label someone else set proves nothing."""
    bot = ctx.authority.bot
    if (
        ctx.labels.badge_awarded in issue.labels
        and issue.state == "closed"
        and (issue.closed_by or "").lower() == bot.lower()
    ):
        return True
    return (
        details is not None and bot_note(details.notes, "award", bot, course=course.id) is not None
    )


def needs_details(ctx: LearnerContext, course: Course, issue: Issue) -> bool:
    """Whether deciding this issue needs its label events and comments (read only for the few)."""
    if ctx.labels.revoked in issue.labels or is_awarded(ctx, course, issue, None):
        return False
    if ctx.labels.badge_awarded in issue.labels:
        return True
    if any(label in verdict_labels(ctx.labels, course) for label in issue.labels):
        return True
    no_verdicts_needed = not (course.exam or course.practical)
    return no_verdicts_needed and read_ticks(course, issue.description).all_objectives


def _refuse(
    ctx: LearnerContext, iid: int, verdicts: Sequence[Verdict], notes: Sequence[Note]
) -> tuple[list[Change], list[str]]:
    """Verdicts someone other than an assessor set: one comment per offending label event
    (unless already posted), and the label's removal."""
    changes: list[Change] = []
    removed: list[str] = []
    for verdict in verdicts:
        if verdict.allowed:
            continue
        event_id = verdict.event.id if verdict.event else 0
        actor = verdict.event.user if verdict.event else ctx.username
        if not bot_note(notes, "verdict-refused", ctx.authority.bot, event=str(event_id)):
            body = ctx.texts.verdict_refused(
                verdict.label, actor, ctx.assessor_names, refusal_marker(event_id)
            )
            who = "the learner themselves" if actor.lower() == ctx.username else "not an assessor"
            changes.append(CommentOnIssue(iid, body, f'~"{verdict.label}" set by @{actor}, {who}'))
        removed.append(verdict.label)
    return changes, removed


def decide_issue(
    ctx: LearnerContext, course: Course, issue: Issue, details: IssueDetails | None, mode: Mode
) -> CourseOutcome:
    labels = ctx.labels
    present = list(issue.labels)
    changes: list[Change] = []
    remove: list[str] = []
    state_event: str | None = None
    why = ""
    if mode is Mode.ENROLL or labels.revoked in present:
        stage = stage_of_labels(labels, present) or Stage.ENROLLED
    elif is_awarded(ctx, course, issue, details):
        stage = Stage.BADGE_AWARDED
        if issue.state != "closed":
            state_event, why = "close", "badge already awarded; the award is final"
    else:
        ticks = read_ticks(course, issue.description)
        applicable = [label for label in present if label in verdict_labels(labels, course)]
        events = details.events if details else ()
        notes = details.notes if details else ()
        verdicts = read_verdicts(labels, applicable, events, ctx.authority, ctx.username)
        refusals, refused = _refuse(ctx, issue.iid, verdicts, notes)
        changes += refusals
        remove += refused
        why = "verdict not set by an assessor" if refused else why
        basis = award_basis(labels, course, ticks, [v for v in verdicts if v.allowed])
        if basis is not None:
            stage = Stage.BADGE_AWARDED
            body = ctx.texts.badge_award(course, ctx.username, basis, award_marker(course))
            changes.append(CommentOnIssue(issue.iid, body, f'award badge "{course.badge_name}"'))
            if issue.state != "closed":
                state_event = "close"
            why = "badge awarded"
        else:
            stage = ticks.stage
    wanted_stage = stage_label(labels, stage)
    remove += [
        label for label in present if label in stage_labels(labels) and label != wanted_stage
    ]
    add = [label for label in (*ctx.identity_labels(course), wanted_stage) if label not in present]
    if add or remove or state_event:
        changes.append(
            UpdateIssue(issue.iid, tuple(add), tuple(remove), state_event, why or f"stage {stage}")
        )
    after = tuple(label for label in present if label not in remove) + tuple(add)
    return CourseOutcome(course, issue, stage, after, tuple(changes))


def plan_reminders(ctx: LearnerContext, outcomes: Sequence[CourseOutcome]) -> list[Change]:
    """Friendly comments on issues that have gone quiet, where this run changes nothing else.

    The learner hears only about the course they are on (the first, in path order, still in
    their hands), so one nudge at a time; the assessors about every issue waiting for them.
    """
    if ctx.reminders is None or ctx.now is None:
        return []
    current = next(
        (o for o in outcomes if o.issue and o.issue.state == "opened" and o.stage in LEARNERS_TURN),
        None,
    )
    changes: list[Change] = []
    for outcome in outcomes:
        if outcome.issue is None or outcome.changes:
            continue
        due = reminder_for(outcome.issue, outcome.stage, ctx.reminders, ctx.now)
        if due is None or (due.to is Audience.LEARNER and outcome is not current):
            continue
        body = ctx.texts.reminder(
            outcome.course, ctx.username, due, ctx.assessor_mentions, reminder_marker(due, ctx.now)
        )
        why = f"remind the {due.to}: this course {due.reason}"
        changes.append(CommentOnIssue(outcome.issue.iid, body, why))
    return changes


@dataclass(frozen=True)
class ProgressRow:
    """One course in a learner's progress table (the template formats it)."""

    course: str
    url: str | None
    stage: str
    exam: str
    practical: str
    badge: str


def progress_table(ctx: LearnerContext, outcomes: Sequence[CourseOutcome]) -> str:
    rows = [
        ProgressRow(
            course=o.course.title,
            url=o.issue.web_url if o.issue else None,
            stage=STAGE_TABLE[o.stage][1],
            exam=verdict_word(ctx.labels, o.course, "exam", o.labels_after),
            practical=verdict_word(ctx.labels, o.course, "practical", o.labels_after),
            badge=o.course.badge_name if o.stage is Stage.BADGE_AWARDED else "—",
        )
        for o in outcomes
    ]
    awarded = sum(o.stage is Stage.BADGE_AWARDED for o in outcomes)
    return ctx.texts.progress(rows, awarded)


def plan_learner(
    ctx: LearnerContext,
    state: LearnerState,
    mode: Mode,
    assignee_id: int | None,
) -> list[Change]:
    """Every change one learner needs, in a safe order. `assignee_id` is needed only to create."""
    labels = ctx.labels
    changes: list[Change] = []
    outcomes: list[CourseOutcome] = []
    creating = False
    for course in ctx.path.courses:
        issue = state.issues.get(course.id)
        if issue is None:
            creating = True
            if assignee_id is None:
                raise ValueError("assignee_id is needed to create issues")
            due = ctx.cohort.due_date(ctx.path.courses.index(course))
            changes.append(
                CreateIssue(
                    key=ctx.issue_key(course),
                    title=issue_title(course, ctx.username),
                    description=ctx.texts.course_issue(
                        ctx.program, ctx.path, course, ctx.cohort, ctx.username
                    ),
                    labels=(*ctx.identity_labels(course), labels.enrolled),
                    assignee_id=assignee_id,
                    due_date=due.isoformat() if due else None,
                    epic=ctx.epic_key,
                )
            )
            outcomes.append(CourseOutcome(course, None, Stage.ENROLLED, (labels.enrolled,), ()))
            continue
        outcome = decide_issue(ctx, course, issue, state.details.get(issue.iid), mode)
        outcomes.append(outcome)
        if mode is Mode.SYNC:  # before the stage change it announces (see core/assessment.py)
            changes += assessment_changes(ctx, outcome, state.details.get(issue.iid))
        changes += outcome.changes
        if state.epic is not None and issue.epic_iid != state.epic.iid:
            changes.append(AddToEpic(issue.id, issue.iid, ctx.epic_key))
    if mode is Mode.SYNC:
        changes += plan_reminders(ctx, outcomes)
    epic_changes = _plan_epic(ctx, state, outcomes, creating)
    creates = [c for c in epic_changes if c.creates]
    return creates + changes + [c for c in epic_changes if not c.creates]


def _epic_stage(ctx: LearnerContext, outcomes: Sequence[CourseOutcome]) -> str | None:
    if all(o.stage is Stage.BADGE_AWARDED for o in outcomes):
        return ctx.labels.accredited
    if any(o.stage is not Stage.ENROLLED for o in outcomes):
        return ctx.labels.in_progress
    return None


def _plan_epic(
    ctx: LearnerContext, state: LearnerState, outcomes: Sequence[CourseOutcome], creating: bool
) -> list[Change]:
    labels = ctx.labels
    progress = progress_table(ctx, outcomes)
    wanted_stage = _epic_stage(ctx, outcomes)
    epic = state.epic
    if epic is None:
        description = ctx.texts.learner_epic(
            ctx.program, ctx.path, ctx.cohort, ctx.username, progress
        )
        wanted = (*ctx.identity_labels(), *([wanted_stage] if wanted_stage else []))
        return [
            CreateEpic(
                ctx.epic_key, epic_title(ctx.program, ctx.path, ctx.username), description, wanted
            )
        ]
    changes: list[Change] = []
    description = None if creating else marker.replace_section(epic.description, progress)
    if description == epic.description:
        description = None
    epic_stages = set(stage_labels(labels)) | {labels.accredited}
    remove = tuple(label for label in epic.labels if label in epic_stages and label != wanted_stage)
    add = tuple(
        label
        for label in (*ctx.identity_labels(), wanted_stage)
        if label and label not in epic.labels
    )
    state_event = None
    why = ""
    if wanted_stage == labels.accredited:
        if epic.state != "closed" or labels.accredited not in epic.labels:
            notes = state.epic_notes or ()
            if not bot_note(notes, "path-award", ctx.authority.bot, path=ctx.path.id):
                body = ctx.texts.path_award(
                    ctx.program, ctx.path, ctx.username, path_marker(ctx.path)
                )
                changes.append(
                    CommentOnEpic(
                        ctx.epic_key, epic.id, epic.iid, body, f'path badge "{ctx.path.title}"'
                    )
                )
            if epic.state != "closed":
                state_event, why = "close", "every course badge awarded"
    elif labels.accredited in epic.labels and epic.state == "closed":
        state_event, why = "reopen", "not every course badge stands"
    if description is not None or add or remove or state_event:
        changes.append(
            UpdateEpic(ctx.epic_key, epic.iid, description, add, remove, state_event, why)
        )
    return changes


def revoke_marker(course: Course) -> str:
    return marker.make("revoke", course=course.id)


def plan_revoke(
    ctx: LearnerContext,
    course: Course,
    issue: Issue,
    details: IssueDetails,
    reason: str,
    by: str,
    private_reason: str = "",
) -> list[Change] | None:
    """Withdraw an award, on the record: a comment with the reason first, then the stage label.

    None when there is no award to revoke; [] when it is already revoked (idempotent).
    """
    labels = ctx.labels
    recorded = bot_note(details.notes, "revoke", ctx.authority.bot, course=course.id)
    if recorded and labels.revoked in issue.labels:
        return []
    if not recorded and not is_awarded(ctx, course, issue, details):
        return None
    changes: list[Change] = []
    if not recorded:
        body = ctx.texts.badge_revoked(
            course, ctx.username, reason, by, revoke_marker(course), private_reason
        )
        changes.append(CommentOnIssue(issue.iid, body, f'revoke badge "{course.badge_name}"'))
    remove = tuple(
        label for label in issue.labels if label in stage_labels(labels) and label != labels.revoked
    )
    add = () if labels.revoked in issue.labels else (labels.revoked,)
    changes.append(UpdateIssue(issue.iid, add, remove, None, "badge revoked"))
    return changes
