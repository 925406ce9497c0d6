"""The planner: what GitLab has for a learner + what the program says -> the changes to make.

One function serves `enroll` (create what is missing) and `sync` (also move stages, enforce
verdict authority, award badges). It is pure: the service reads GitLab, calls it, and hands the
plan to the executor. Writes are ordered so that a run killed between any two of them can be
re-run safely: a comment that records an act (an award, a refusal) is posted before the label or
state change it announces, and is looked for (by its hidden marker) before it is posted again.

The planner composes the steps: each course issue is decided by `core/issue_decision.py`, the
learner's epic is planned by `core/epic_planning.py`; neither imports the planner.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from accred_ops.core import expiry, practical, record, renewal, score_record
from accred_ops.core.context import CourseOutcome, LearnerContext, Mode
from accred_ops.core.epic_planning import plan_epic, plan_record_note
from accred_ops.core.issue_decision import decide_issue
from accred_ops.core.model import Course
from accred_ops.core.plan import (
    AddToEpic,
    Change,
    CommentOnIssue,
    CreateIssue,
    UpdateIssue,
)
from accred_ops.core.progress import (
    Stage,
    read_ticks,
    stage_labels,
    verdict_labels,
)
from accred_ops.core.proof import (
    bot_note,
    is_awarded,
    reminder_marker,
    revoke_marker,
)
from accred_ops.core.reminders import LEARNERS_TURN, Audience, reminder_for
from accred_ops.core.revocation import agrees_with_record, renewal_ended
from accred_ops.core.rubric_epic import epic_results
from accred_ops.core.state import Issue, IssueDetails, LearnerState


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
    epic_changes = plan_epic(ctx, state, outcomes, creating, wanted)
    changes = [c for c in epic_changes if c.creates] + changes
    if ctx.record_in_note and state.epic is not None and not creating:  # before the learner
        changes += plan_record_note(ctx, state, wanted)  # issue's text, which may be refused
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
    today = ctx.now.date() if ctx.now is not None else None
    cycle = renewal_ended(course, issue, on_record, today)  # an open renewal ends with the badge
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
