"""Deciding one course issue: its stage, and the comments, labels and state change it needs.

Final states first (revoked, awarded: from the record or the tool's own comments), then the
verdicts: a non-assessor's refused, an assessor's removed one restored, and the badge awarded
when the ticks and the verdicts that stand allow it. Pure; `core/planner.py` calls
`decide_issue` for each course issue of the learner's path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from accred_ops.core import expiry, practical, record, renewal
from accred_ops.core.context import CourseOutcome, LearnerContext, Mode
from accred_ops.core.judging import (
    RubricVerdict,
    after_award,
    award_text,
    judge,
    quiet_why,
    with_rubric,
)
from accred_ops.core.model import Course
from accred_ops.core.plan import Change, CommentOnIssue, UpdateIssue
from accred_ops.core.progress import (
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
)
from accred_ops.core.proof import (
    award_marker,
    bot_note,
    is_awarded,
    is_revoked,
    noted_award,
    refusal_marker,
    refused_events,
    restore_marker,
)
from accred_ops.core.rubric import Tally
from accred_ops.core.scores import award_score, retake_restored, with_scores
from accred_ops.core.state import Issue, IssueDetails, LabelEvent, Note


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
