"""The planner: what GitLab has for a learner + what the program says -> the changes to make.

One function serves `enroll` (create what is missing) and `sync` (also move stages, enforce
verdict authority, award badges). It is pure: the service reads GitLab, calls it, and hands the
plan to the executor. Writes are ordered so that a run killed between any two of them can be
re-run safely: a comment that records an act (an award, a refusal) is posted before the label or
state change it announces, and is looked for (by its hidden marker) before it is posted again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from accred_ops.core import expiry, marker, practical, record, renewal, score_record
from accred_ops.core.context import CourseOutcome, LearnerContext, Mode, ProgressRow
from accred_ops.core.judging import (
    RubricVerdict,
    after_award,
    award_text,
    judge,
    quiet_why,
    with_rubric,
)
from accred_ops.core.model import (
    Course,
    LearningPath,
    Program,
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
    Stage,
    Verdict,
    added_by,
    award_basis,
    read_ticks,
    removed_by,
    stage_label,
    stage_labels,
    stage_of_labels,
    standing_verdicts,
    verdict_labels,
    verdict_word,
)
from accred_ops.core.proof import (
    award_marker,
    bot_note,
    is_awarded,
    is_revoked,
    noted_award,
    path_marker,
    refusal_marker,
    refused_events,
    reminder_marker,
    restore_marker,
    revoke_marker,
)
from accred_ops.core.reminders import LEARNERS_TURN, Audience, reminder_for
from accred_ops.core.revocation import agrees_with_record, renewal_ended
from accred_ops.core.rubric import Tally
from accred_ops.core.rubric_epic import epic_results
from accred_ops.core.scores import award_score, retake_restored, with_scores
from accred_ops.core.state import Issue, IssueDetails, LabelEvent, LearnerState, Note


def epic_title(program: Program, path: LearningPath, username: str) -> str:
    return f"{program.title}: {path.title} — @{username}"


def issue_title(course: Course, username: str) -> str:
    return f"{course.title} — @{username}"


def needs_details(
    ctx: LearnerContext, course: Course, issue: Issue, on_record: record.LearnerRecord | None
) -> bool:
    """Whether deciding this issue needs its label events and comments (read only for the few):
    not when the record decides it and the issue agrees; yes when its labels or state disagree
    with the record, in either direction (a revocation the record missed shows only there),
    when a label or the state claims something the record does not show, or when verdicts can
    matter (every objective ticked, or a verdict label)."""
    if expiry.needs_dating(course, on_record):
        return True
    if ctx.now is not None and renewal.renewing(course, on_record, issue, ctx.now.date()):
        course, on_record = renewal.view(course), None
    labels = ctx.labels
    if on_record is not None and (on_record.awarded(course.id) or course.id in on_record.revoked):
        return not agrees_with_record(labels, course, issue, on_record)
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


@dataclass
class _Ruling:
    """What deciding one course issue came to, before the labels that follow from it."""

    stage: Stage
    changes: list[Change] = dataclasses.field(default_factory=list)
    remove: list[str] = dataclasses.field(default_factory=list)
    restore: list[str] = dataclasses.field(default_factory=list)
    state_event: str | None = None
    why: str = ""
    award: tuple[str, ...] | None = None
    revoked: bool = False
    rubric_event: LabelEvent | None = None
    rubric_tally: Tally | None = None


def decide_issue(
    ctx: LearnerContext,
    course: Course,
    issue: Issue,
    details: IssueDetails | None,
    mode: Mode,
    on_record: record.LearnerRecord | None = None,
) -> CourseOutcome:
    """One course issue: its stage (from the record, the tool's own comments, the verdicts that
    stand), and the comments, labels and state change that stage needs."""
    today = ctx.now.date() if ctx.now is not None and mode is Mode.SYNC else None
    cycle = renewal.renewing(course, on_record, issue, today) if today else None
    judged = renewal.view(course) if cycle else course
    ruling = _rule(ctx, judged, issue, details, mode, None if cycle else on_record)
    labels = ctx.labels
    present = list(issue.labels)
    day, expired = _dated(ctx, course, details, on_record, ruling, cycle)
    shown = expired and ruling.stage not in (Stage.ASSESSMENT, Stage.BADGE_AWARDED)
    wanted_stage = labels.expired if shown else stage_label(labels, ruling.stage)
    known = {*stage_labels(labels), labels.expired}
    remove = ruling.remove + [
        label for label in present if label in known and label != wanted_stage
    ]
    add = [
        label
        for label in (*ctx.identity_labels(course), wanted_stage, *ruling.restore)
        if label not in present
    ]
    changes = list(ruling.changes)
    if add or remove or ruling.state_event:
        why = ruling.why or f"stage {ruling.stage}"
        changes.append(UpdateIssue(issue.iid, tuple(add), tuple(remove), ruling.state_event, why))
    after = tuple(label for label in present if label not in remove) + tuple(add)
    return CourseOutcome(
        judged,
        issue,
        ruling.stage,
        after,
        tuple(changes),
        ruling.award,
        ruling.revoked,
        day,
        expired,
        cycle,
        renewal.days_left(course, on_record, today) if cycle and today else None,
        ruling.rubric_event,
        ruling.rubric_tally,
    )


def _dated(
    ctx: LearnerContext,
    course: Course,
    details: IssueDetails | None,
    on_record: record.LearnerRecord | None,
    ruling: _Ruling,
    cycle: str | None,
) -> tuple[str | None, bool]:
    """An award that expires: its day, and whether it has expired by the run's clock (a
    renewal not awarded yet: the latest award on record decides)."""
    if ctx.now is None:
        return None, False
    today = ctx.now.date()
    if ruling.award is None or ruling.stage is not Stage.BADGE_AWARDED:
        latest = expiry.recorded_days(course, on_record) if cycle else ()
        return None, bool(latest) and expiry.is_expired(course, on_record, str(latest[-1]), today)
    # a renewal's award is dated by its own comment, or today; never by the award it renews
    day = expiry.award_day(course, details, None if cycle else on_record, ctx.authority.bot, today)
    return day, expiry.is_expired(course, on_record, day, today)


def _rule(
    ctx: LearnerContext,
    course: Course,
    issue: Issue,
    details: IssueDetails | None,
    mode: Mode,
    on_record: record.LearnerRecord | None,
) -> _Ruling:
    """Final states first (revoked, awarded: from the record or the tool's own comments), then
    the open question of the verdicts."""
    if mode is Mode.ENROLL:
        return _Ruling(stage_of_labels(ctx.labels, list(issue.labels)) or Stage.ENROLLED)
    if is_revoked(ctx, course, details, on_record):
        return _Ruling(Stage.REVOKED, why="badge revoked; revocation is final", revoked=True)
    if is_awarded(ctx, course, details, on_record):
        known = on_record.awards.get(course.id) if on_record else None
        award = known if known is not None else noted_award(ctx, course, details) or ()
        ruling = _Ruling(Stage.BADGE_AWARDED, award=award)
        ruling.restore, ruling.remove, ruling.rubric_tally = after_award(
            ctx, course, issue, details
        )
        if issue.state != "closed":
            ruling.state_event, ruling.why = "close", "badge already awarded; the award is final"
        return ruling
    return _judge(ctx, course, issue, details)


def _judge(
    ctx: LearnerContext, course: Course, issue: Issue, details: IssueDetails | None
) -> _Ruling:
    """Verdicts checked (a non-assessor's refused, an assessor's removed one restored), then the
    badge awarded when the ticks and the verdicts that stand allow it."""
    labels = ctx.labels
    present = list(issue.labels)
    ticks = read_ticks(course, issue.description)
    events = details.events if details else ()
    notes = details.notes if details else ()
    standing, early = _standing(ctx, course, details)
    rub = judge(ctx, course, issue, details, ticks.stage is Stage.ASSESSMENT)
    quiet: list[str] = []
    if rub is not None:  # a rubric's practical: the tool's tally decides (core/judging.py)
        standing, quiet = with_rubric(ctx, standing, present, events, rub)
    verdicts = [
        Verdict(label, added_by(label, events), details is not None and label in standing)
        for label in present
        if label in verdict_labels(labels, course) and label not in quiet
    ]
    ruling = _Ruling(ticks.stage, list(rub.changes) if rub else [], list(quiet))
    ruling.why = quiet_why(ctx, quiet, events)  # a rubric's verdict is the tally's
    ruling.rubric_event = rub.event(ctx.authority.bot) if rub else None
    ruling.rubric_tally = rub.tally if rub else None
    refusals, refused = _refuse(ctx, issue.iid, verdicts, notes)
    ruling.changes += refusals + practical.refuse_early(
        ctx.texts, ctx.authority.bot, issue.iid, early, notes
    )  # type: ignore[arg-type]
    ruling.remove += refused + [label for label in early if label in present]
    ruling.why = "verdict not set by an assessor" if refused else ruling.why
    if details is not None and issue.state == "opened":
        ruling.restore = [label for label in standing if label not in present]
        told = [lb for lb in ruling.restore if not (ruling.rubric_event and lb == rub.label)]
        ruling.changes += _restore(ctx, issue.iid, told, events, notes)
        retake = retake_restored(labels, ctx.authority.bot, standing, ruling.restore)
        ruling.restore += [label for label in retake if label not in present]
        if ruling.restore:
            ruling.why = "an assessor's verdict stands until an assessor changes it"
    basis = award_basis(labels, course, ticks, [Verdict(lb, e, True) for lb, e in standing.items()])
    if basis is not None:
        _award(ctx, course, issue, basis, rub, ruling, notes)
    return ruling


def _standing(
    ctx: LearnerContext, course: Course, details: IssueDetails | None
) -> tuple[dict[str, LabelEvent], list[str]]:
    """The verdicts that stand (assessors' labels the tool never refused, and the tool's own
    verdicts from imported scores), less a practical verdict set before the exam passed (also
    returned: it is removed with a comment)."""
    labels = ctx.labels
    standing: dict[str, LabelEvent] = {}
    if details is not None:
        refused = refused_events(details.notes, ctx.authority.bot)
        found = standing_verdicts(labels, details.events, ctx.authority, ctx.username, refused)
        applicable = verdict_labels(labels, course)
        standing = {label: e for label, e in found.items() if label in applicable}
        # an imported score's verdict, proven by the tool's own comment
        standing = with_scores(labels, ctx.authority.bot, course, details.notes, standing)
    return practical.too_early(labels, course, standing)


def _award(
    ctx: LearnerContext,
    course: Course,
    issue: Issue,
    basis: dict[str, str],
    rub: RubricVerdict | None,
    ruling: _Ruling,
    notes: Sequence[Note],
) -> None:
    """The badge: its comment (with the exam's score, a rubric's results, the validity), the
    issue closed."""
    ruling.stage = Stage.BADGE_AWARDED
    ruling.award = tuple(sorted(set(basis.values())))
    if rub is not None and rub.tally is not None:
        ruling.award = tuple(sorted(set(basis.values()) | set(rub.tally.by)))
    note_marker = award_marker(course, ctx.username, ruling.award)
    score = award_score(ctx.labels, ctx.authority.bot, course, notes, basis)
    body = (
        award_text(ctx, course, basis, rub, note_marker, **score)
        if rub is not None and rub.tally is not None
        else ctx.texts.badge_award(course, ctx.username, basis, note_marker, **score)
    )
    if course.validity is not None and ctx.now is not None:  # says until when
        body += ctx.texts.award_validity(course, course.validity.term(ctx.now.date()))
    ruling.changes.append(CommentOnIssue(issue.iid, body, f'award badge "{course.badge_name}"'))
    if issue.state != "closed":
        ruling.state_event = "close"
    ruling.why = "badge awarded"


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
        if outcome.days_left is not None and due.to is Audience.LEARNER:  # a renewal
            body = ctx.texts.renewal_days_left(outcome.days_left) + body
        why = f"remind the {due.to}: this course {due.reason}"
        changes.append(CommentOnIssue(outcome.issue.iid, body, why))
    return changes


def progress_table(
    ctx: LearnerContext,
    outcomes: Sequence[CourseOutcome],
    on_record: record.LearnerRecord | None = None,
) -> str:
    rows = [
        ProgressRow(
            course=o.course.title,
            url=o.issue.web_url if o.issue else None,
            stage=renewal.stage_words(STAGE_TABLE[o.stage][1], o.renewing, o.expired),
            exam=score_record.exam_cell(
                verdict_word(ctx.labels, o.course, "exam", o.labels_after),
                ctx.labels,
                o.course,
                on_record,
                o.labels_after,
            ),
            practical=verdict_word(ctx.labels, o.course, "practical", o.labels_after),
            badge=o.course.badge_name
            if o.stage is Stage.BADGE_AWARDED or (o.renewing and not o.expired)
            else "—",
        )
        for o in outcomes
    ]
    awarded = sum(o.stage is Stage.BADGE_AWARDED for o in outcomes)
    return ctx.texts.progress(rows, awarded)


def _open_renewal(
    ctx: LearnerContext,
    state: LearnerState,
    course: Course,
    issue: Issue,
    assignee_id: int | None,
) -> list[Change]:
    """The renewal course issue of a due cycle, in the learner's epic, assigned to them (which
    tells them, once): unless this issue is that renewal already."""
    if ctx.now is None:
        return []
    today = ctx.now.date()
    cycle = renewal.to_open(course, state.record, today)
    if cycle is None or renewal.renewing(course, state.record, issue, today):
        return []
    term = renewal.latest_term(course, state.record, today)
    assignee = renewal.assignee_of(issue, ctx.username) or assignee_id
    if term is None or assignee is None:
        return []
    description = ctx.texts.renewal_issue(
        ctx.program, ctx.path, course, ctx.cohort, ctx.username, cycle, term
    )
    create = CreateIssue(
        key=ctx.issue_key(course),
        title=renewal.title(course, ctx.username, cycle),
        description=description,
        labels=(*ctx.identity_labels(course), ctx.labels.enrolled),
        assignee_id=assignee,
        due_date=term.due.isoformat(),
        epic=ctx.epic_key,
    )
    return [create]


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
            changes += practical.loop_changes(ctx, outcome, state.details.get(issue.iid))
            changes += _open_renewal(ctx, state, course, issue, assignee_id)
        changes += outcome.changes
        if state.epic is not None and issue.epic_iid != state.epic.iid:
            changes.append(AddToEpic(issue.id, issue.iid, ctx.epic_key))
    if mode is Mode.SYNC:
        changes += plan_reminders(ctx, outcomes)
        changes += epic_results(ctx, state, outcomes)
    wanted = learner_record(ctx, state, outcomes)
    epic_changes = _plan_epic(ctx, state, outcomes, creating, wanted)
    changes = [c for c in epic_changes if c.creates] + changes
    if ctx.record_in_note and state.epic is not None and not creating:  # before the learner
        changes += _plan_record_note(ctx, state, wanted)  # issue's text, which may be refused
    return changes + [c for c in epic_changes if not c.creates]


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
    for outcome in outcomes:  # first: the issue a renewal replaces joins the history
        if outcome.renewing is not None:
            wanted = wanted.with_renewing(outcome.course.id, outcome.renewing)
    wanted = wanted.with_issues(
        {c: issue.id for c, issue in state.issues.items()},
        {c: issue.iid for c, issue in state.issues.items()},
    )
    for outcome in outcomes:
        if outcome.award is not None:
            wanted = wanted.with_award(outcome.course.id, outcome.award)
        if outcome.awarded_on is not None:
            wanted = wanted.with_award_date(outcome.course.id, outcome.awarded_on)
        if outcome.revoked:
            wanted = wanted.with_revoked(outcome.course.id)
    return score_record.noted(wanted, state, outcomes, ctx.authority.bot)


def _plan_record_note(
    ctx: LearnerContext, state: LearnerState, wanted: record.LearnerRecord
) -> list[Change]:
    """Issue mode: the record in the tool's own comment on the learner issue, edited in place."""
    assert state.epic is not None
    body = record.note_text(wanted)
    note = state.record_note
    if note is not None and note.body == body:
        return []
    mine = note is not None and note.author.lower() == ctx.authority.bot.lower()
    # An earlier tool user's comment cannot be edited: the token's user posts the record anew
    return [WriteRecord(ctx.epic_key, state.epic.iid, note.id if note and mine else None, body)]


def _epic_stage(ctx: LearnerContext, outcomes: Sequence[CourseOutcome]) -> str | None:
    if any(o.expired for o in outcomes):  # the path lapses while a course badge is expired
        return ctx.labels.expired
    if all(o.stage is Stage.BADGE_AWARDED or o.renewing for o in outcomes):
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
    """The learner's epic (or learner issue): created, or its progress section, record, stage
    labels and state kept current, with the path badge's comment once every course is awarded."""
    labels = ctx.labels
    progress = progress_table(ctx, outcomes, wanted_record)
    wanted_stage = _epic_stage(ctx, outcomes)
    epic = state.epic
    if epic is None:
        return [_create_epic(ctx, progress, wanted_stage, wanted_record)]
    description = None if creating else marker.replace_section(epic.description, progress)
    if description is not None and not ctx.record_in_note:
        description = record.put(description, wanted_record)
    if description == epic.description:
        description = None
    epic_stages = set(stage_labels(labels)) | {labels.accredited, labels.expired}
    remove = tuple(label for label in epic.labels if label in epic_stages and label != wanted_stage)
    add = tuple(
        label
        for label in (*ctx.identity_labels(), wanted_stage)
        if label and label not in epic.labels
    )
    changes: list[Change] = []
    state_event = None
    why = ""
    if wanted_stage == labels.accredited:
        if epic.state != "closed" or labels.accredited not in epic.labels:
            changes += _path_award(ctx, state)
            if epic.state != "closed":
                state_event, why = "close", "every course badge awarded"
    elif labels.accredited in epic.labels and epic.state == "closed":
        state_event, why = "reopen", "not every course badge stands"
    if description is not None or add or remove or state_event:
        changes.append(
            UpdateEpic(ctx.epic_key, epic.iid, description, add, remove, state_event, why)
        )
    return changes


def _create_epic(
    ctx: LearnerContext,
    progress: str,
    wanted_stage: str | None,
    wanted_record: record.LearnerRecord,
) -> CreateEpic:
    description = ctx.texts.learner_epic(ctx.program, ctx.path, ctx.cohort, ctx.username, progress)
    if not ctx.record_in_note:  # epic mode: the record lives in the epic, from its creation
        description = record.put(description, wanted_record)
    wanted = (*ctx.identity_labels(), *([wanted_stage] if wanted_stage else []))
    title = epic_title(ctx.program, ctx.path, ctx.username)
    return CreateEpic(ctx.epic_key, title, description, wanted)


def _path_award(ctx: LearnerContext, state: LearnerState) -> list[Change]:
    """The path badge's comment on the epic, unless the tool's own one is there already."""
    epic = state.epic
    assert epic is not None
    notes = state.epic_notes or ()
    if bot_note(notes, "path-award", ctx.authority.bot, path=ctx.path.id):
        return []
    body = ctx.texts.path_award(ctx.program, ctx.path, ctx.username, path_marker(ctx.path))
    why = f'path badge "{ctx.path.title}"'
    return [CommentOnEpic(ctx.epic_key, epic.id, epic.iid, body, why)]


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
    cycle = renewal_ended(course, issue, on_record)  # an open renewal ends with the badge
    close = "close" if cycle and issue.state == "opened" else None
    if recorded and labels.revoked in issue.labels and close is None:
        return []
    if not recorded and not is_awarded(ctx, course, details, on_record):
        return None
    changes: list[Change] = []
    if not recorded:
        body = ctx.texts.badge_revoked(
            course, ctx.username, reason, by, revoke_marker(course), private_reason, cycle
        )
        changes.append(CommentOnIssue(issue.iid, body, f'revoke badge "{course.badge_name}"'))
    remove = tuple(
        label for label in issue.labels if label in stage_labels(labels) and label != labels.revoked
    )
    add = () if labels.revoked in issue.labels else (labels.revoked,)
    changes.append(UpdateIssue(issue.iid, add, remove, close, "badge revoked"))
    return changes
