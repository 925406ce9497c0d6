"""The planner: what GitLab has for a learner + what the program says -> the changes to make.

One function serves `enroll` (create what is missing) and `sync` (also move stages, enforce
verdict authority, award badges). It is pure: the service reads GitLab, calls it, and hands the
plan to the executor. Writes are ordered so that a run killed between any two of them can be
re-run safely: a comment that records an act (an award, a refusal) is posted before the label or
state change it announces, and is looked for (by its hidden marker) before it is posted again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from accred_ops.core import marker, record
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
    WriteRecord,
)
from accred_ops.core.progress import (
    STAGE_TABLE,
    Authority,
    Stage,
    Verdict,
    added_by,
    award_basis,
    read_ticks,
    removed_by,
    required_verdicts,
    stage_label,
    stage_labels,
    stage_of_labels,
    standing_verdicts,
    verdict_labels,
    verdict_word,
)
from accred_ops.core.reminders import LEARNERS_TURN, Audience, Reminder, reminder_for
from accred_ops.core.state import Issue, IssueDetails, LabelEvent, LearnerState, Note


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
    def verdict_restored(
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
    record_in_note: bool = False  # issue mode: the record is the tool's comment, not the epic's

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


def epic_title(program: Program, path: LearningPath, username: str) -> str:
    return f"{program.title}: {path.title} — @{username}"


def issue_title(course: Course, username: str) -> str:
    return f"{course.title} — @{username}"


def award_marker(course: Course, learner: str = "", assessors: Sequence[str] = ()) -> str:
    """Names the course, the learner and the assessors (usernames never hold `:`), so that the
    award comment alone, which only the tool can write, proves the award after a crash."""
    fields: dict[str, str] = {"course": course.id}
    if learner:
        fields["learner"] = learner
    if assessors:
        fields["by"] = ":".join(sorted(set(assessors)))
    return marker.make("award", **fields)


def refusal_marker(event_id: int) -> str:
    return marker.make("verdict-refused", event=event_id)


def restore_marker(event_id: int) -> str:
    return marker.make("verdict-restored", event=event_id)


def path_marker(path: LearningPath) -> str:
    return marker.make("path-award", path=path.id)


def reminder_marker(due: Reminder, now: dt.datetime) -> str:
    """Dated, so that each reminder is a record of its own (not a duplicate of the last one)."""
    return marker.make("reminder", to=due.to, on=now.date().isoformat())


def bot_note(notes: Sequence[Note], kind: str, bot: str, **fields: str) -> Note | None:
    """The comment with this marker (and at least these fields) that the tool's own user left,
    if any: the record of an act. A marker in anyone else's comment proves nothing."""
    wanted = {k: str(v) for k, v in fields.items()}
    for note in notes:
        if note.author.lower() != bot.lower():
            continue
        if any(wanted.items() <= found.items() for found in marker.find(note.body, kind)):
            return note
    return None


def noted_award(
    ctx: LearnerContext, course: Course, details: IssueDetails | None
) -> tuple[str, ...] | None:
    """The award the tool's own award comment on this issue proves (its assessors), or None.

    The fallback for a run killed between the comment and the record, and the way awards of an
    earlier version are adopted. The comment must be the tool's, for this course and this
    learner (in its marker, or, for an earlier version's comment, its greeting), so another
    learner's awarded issue re-marked and re-assigned proves nothing.
    """
    if details is None:
        return None
    note = bot_note(details.notes, "award", ctx.authority.bot, course=course.id)
    if note is None:
        return None
    fields = next(f for f in marker.find(note.body, "award") if f.get("course") == course.id)
    if "learner" in fields:
        if fields["learner"].lower() != ctx.username:
            return None
    elif f"@{ctx.username}" not in note.body.lower():
        return None
    if "by" in fields:
        return tuple(fields["by"].split(":"))
    return tuple(  # an earlier version's comment: who added the verdicts it announced
        sorted(
            {
                event.user
                for label in required_verdicts(ctx.labels, course)
                if (event := added_by(label, details.events))
            }
        )
    )


def is_awarded(
    ctx: LearnerContext,
    course: Course,
    details: IssueDetails | None,
    on_record: record.LearnerRecord | None,
) -> bool:
    """An award stands when the learner record says so, or the tool's award comment proves it.
    Labels, and who closed the issue, prove nothing (the tool also closes issues it revokes)."""
    if on_record is not None and on_record.awarded(course.id):
        return True
    return noted_award(ctx, course, details) is not None


def is_revoked(
    ctx: LearnerContext,
    course: Course,
    details: IssueDetails | None,
    on_record: record.LearnerRecord | None,
) -> bool:
    """Revocation is final: on record, or proven by the tool's own revoke comment."""
    if on_record is not None and course.id in on_record.revoked:
        return True
    return (
        details is not None
        and bot_note(details.notes, "revoke", ctx.authority.bot, course=course.id) is not None
    )


def needs_details(
    ctx: LearnerContext, course: Course, issue: Issue, on_record: record.LearnerRecord | None
) -> bool:
    """Whether deciding this issue needs its label events and comments (read only for the few):
    not when the record decides it; yes when a label or the state claims something the record
    does not show, or when verdicts can matter (every objective ticked, or a verdict label)."""
    if on_record is not None and (on_record.awarded(course.id) or course.id in on_record.revoked):
        return False
    labels = ctx.labels
    if {labels.badge_awarded, labels.revoked} & set(issue.labels) or issue.state == "closed":
        return True
    if any(label in verdict_labels(labels, course) for label in issue.labels):
        return True
    return read_ticks(course, issue.description).all_objectives


def _restore(
    ctx: LearnerContext,
    iid: int,
    missing: Sequence[str],
    events: Sequence[LabelEvent],
    notes: Sequence[Note],
) -> list[Change]:
    """Assessors' verdicts someone else took off: one comment per offending removal (unless
    already posted); the labels themselves are put back by the caller."""
    changes: list[Change] = []
    for label in missing:
        event = removed_by(label, events)
        event_id = event.id if event else 0
        actor = event.user if event else "someone"
        if not bot_note(notes, "verdict-restored", ctx.authority.bot, event=str(event_id)):
            body = ctx.texts.verdict_restored(
                label, actor, ctx.assessor_names, restore_marker(event_id)
            )
            changes.append(
                CommentOnIssue(iid, body, f'~"{label}" removed by @{actor}, not an assessor')
            )
    return changes


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
    ctx: LearnerContext,
    course: Course,
    issue: Issue,
    details: IssueDetails | None,
    mode: Mode,
    on_record: record.LearnerRecord | None = None,
) -> CourseOutcome:
    labels = ctx.labels
    present = list(issue.labels)
    changes: list[Change] = []
    remove: list[str] = []
    restore: list[str] = []
    state_event: str | None = None
    why = ""
    award: tuple[str, ...] | None = None
    revoked = False
    if mode is Mode.ENROLL:
        stage = stage_of_labels(labels, present) or Stage.ENROLLED
    elif is_revoked(ctx, course, details, on_record):
        stage, revoked = Stage.REVOKED, True
        why = "badge revoked; revocation is final"
    elif is_awarded(ctx, course, details, on_record):
        stage = Stage.BADGE_AWARDED
        known = on_record.awards.get(course.id) if on_record else None
        award = known if known is not None else noted_award(ctx, course, details) or ()
        if issue.state != "closed":
            state_event, why = "close", "badge already awarded; the award is final"
    else:
        ticks = read_ticks(course, issue.description)
        applicable = verdict_labels(labels, course)
        events = details.events if details else ()
        notes = details.notes if details else ()
        standing = standing_verdicts(labels, events, ctx.authority, ctx.username) if details else {}
        standing = {label: e for label, e in standing.items() if label in applicable}
        verdicts = [
            Verdict(label, added_by(label, events), details is not None and label in standing)
            for label in present
            if label in applicable
        ]
        refusals, refused = _refuse(ctx, issue.iid, verdicts, notes)
        changes += refusals
        remove += refused
        why = "verdict not set by an assessor" if refused else why
        if details is not None and issue.state == "opened":
            restore = [label for label in standing if label not in present]
            changes += _restore(ctx, issue.iid, restore, events, notes)
            why = "an assessor's verdict stands until an assessor changes it" if restore else why
        basis = award_basis(
            labels, course, ticks, [Verdict(lb, e, True) for lb, e in standing.items()]
        )
        if basis is not None:
            stage = Stage.BADGE_AWARDED
            award = tuple(sorted(set(basis.values())))
            body = ctx.texts.badge_award(
                course, ctx.username, basis, award_marker(course, ctx.username, award)
            )
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
    add = [
        label
        for label in (*ctx.identity_labels(course), wanted_stage, *restore)
        if label not in present
    ]
    if add or remove or state_event:
        changes.append(
            UpdateIssue(issue.iid, tuple(add), tuple(remove), state_event, why or f"stage {stage}")
        )
    after = tuple(label for label in present if label not in remove) + tuple(add)
    return CourseOutcome(course, issue, stage, after, tuple(changes), award, revoked)


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
        outcome = decide_issue(ctx, course, issue, state.details.get(issue.iid), mode, state.record)
        outcomes.append(outcome)
        if mode is Mode.SYNC:  # before the stage change it announces (see core/assessment.py)
            changes += assessment_changes(ctx, outcome, state.details.get(issue.iid))
        changes += outcome.changes
        if state.epic is not None and issue.epic_iid != state.epic.iid:
            changes.append(AddToEpic(issue.id, issue.iid, ctx.epic_key))
    if mode is Mode.SYNC:
        changes += plan_reminders(ctx, outcomes)
    wanted = learner_record(ctx, state, outcomes)
    epic_changes = _plan_epic(ctx, state, outcomes, creating, wanted)
    creates = [c for c in epic_changes if c.creates]
    changes = creates + changes + [c for c in epic_changes if not c.creates]
    if ctx.record_in_note and state.epic is not None and not creating:
        changes += _plan_record_note(ctx, state, wanted)
    return changes


def learner_record(
    ctx: LearnerContext, state: LearnerState, outcomes: Sequence[CourseOutcome]
) -> record.LearnerRecord:
    """The record after this run: the learner's key, cohort and how they were enrolled (an
    existing record's word on that is kept), each course's issue by global id, the awards with
    the assessors they rested on, the revocations. Written last, after the acts it records, so
    a killed run leaves the tool's own comments to prove what the record does not show yet."""
    before = state.record
    wanted = before or record.LearnerRecord(ctx.epic_key, ctx.cohort.id, ctx.via)
    if before is not None and before.cohort != ctx.cohort.id and not before.self_enrolled:
        wanted = dataclasses.replace(wanted, cohort=ctx.cohort.id)  # moved between cohort files
    wanted = wanted.with_issues({c: issue.id for c, issue in state.issues.items()})
    for outcome in outcomes:
        if outcome.award is not None:
            wanted = wanted.with_award(outcome.course.id, outcome.award)
        if outcome.revoked:
            wanted = wanted.with_revoked(outcome.course.id)
    return wanted


def _plan_record_note(
    ctx: LearnerContext, state: LearnerState, wanted: record.LearnerRecord
) -> list[Change]:
    """Issue mode: the record in the tool's own comment on the learner issue, edited in place."""
    assert state.epic is not None
    body = record.note_text(wanted)
    note = state.record_note
    if note is not None and note.body == body:
        return []
    return [WriteRecord(ctx.epic_key, state.epic.iid, note.id if note else None, body)]


def _epic_stage(ctx: LearnerContext, outcomes: Sequence[CourseOutcome]) -> str | None:
    if all(o.stage is Stage.BADGE_AWARDED for o in outcomes):
        return ctx.labels.accredited
    if any(o.stage is not Stage.ENROLLED for o in outcomes):
        return ctx.labels.in_progress
    return None


def _plan_epic(
    ctx: LearnerContext,
    state: LearnerState,
    outcomes: Sequence[CourseOutcome],
    creating: bool,
    wanted_record: record.LearnerRecord,
) -> list[Change]:
    labels = ctx.labels
    progress = progress_table(ctx, outcomes)
    wanted_stage = _epic_stage(ctx, outcomes)
    epic = state.epic
    if epic is None:
        description = ctx.texts.learner_epic(
            ctx.program, ctx.path, ctx.cohort, ctx.username, progress
        )
        if not ctx.record_in_note:  # epic mode: the record lives in the epic, from its creation
            description = record.put(description, wanted_record)
        wanted = (*ctx.identity_labels(), *([wanted_stage] if wanted_stage else []))
        return [
            CreateEpic(
                ctx.epic_key, epic_title(ctx.program, ctx.path, ctx.username), description, wanted
            )
        ]
    changes: list[Change] = []
    description = None if creating else marker.replace_section(epic.description, progress)
    if description is not None and not ctx.record_in_note:
        description = record.put(description, wanted_record)
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
    on_record: record.LearnerRecord | None = None,
) -> list[Change] | None:
    """Withdraw an award, on the record: a comment with the reason first, then the stage label
    (the learner record follows with the next plan of the learner).

    None when there is no award to revoke; [] when it is already revoked (idempotent).
    """
    labels = ctx.labels
    recorded = bot_note(details.notes, "revoke", ctx.authority.bot, course=course.id)
    if recorded and labels.revoked in issue.labels:
        return []
    if not recorded and not is_awarded(ctx, course, details, on_record):
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
