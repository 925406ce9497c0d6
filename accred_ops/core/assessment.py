"""The assessment loop: who is told when an issue enters assessment, and what a learner is told
after a failing verdict. Pure: the planner calls `assessment_changes` for each course issue.

Routing happens once per *entry* into assessment. An entry is numbered by how many times the
tool's own user has taken the assessment label off the issue before (label events record who
removed a label; nobody can forge them), and the routing comment carries that number in its
hidden marker. A re-run finds the comment and routes nothing. An issue that left assessment
(the learner unticked an item) and comes back is a new entry, routed again only when an
assessor acted on the issue since the last routing comment (a verdict label set or removed,
a comment): unticking and ticking again alone mentions nobody twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from accred_ops.core import marker
from accred_ops.core.context import MANAGER, MENTION, ROUND_ROBIN, Routing
from accred_ops.core.model import Course
from accred_ops.core.plan import AssignIssue, Change, CommentOnIssue, UpdateIssue
from accred_ops.core.progress import Stage, read_ticks, standing_verdicts, verdict_labels
from accred_ops.core.proof import refused_events
from accred_ops.core.state import Issue, IssueDetails, LabelEvent, Note
from accred_ops.core.tooluser import tools_own

if TYPE_CHECKING:
    from accred_ops.core.context import CourseOutcome, LearnerContext


@dataclass(frozen=True)
class Route:
    """Who is asked to assess one entry: mentioned in the comment, and who is assigned."""

    mode: str  # the mode actually used (after any fall-back)
    mentions: tuple[str, ...]
    assignee: str | None = None  # assigned alongside the learner (where the tier allows)
    manager: str | None = None  # manager mode: the manager assesses the practical


class AssessmentTexts(Protocol):
    def assessment_routed(
        self, course: Course, learner: str, route: Route, note_marker: str
    ) -> str: ...
    def verdict_failed(
        self, course: Course, learner: str, label: str, assessor: str, note_marker: str
    ) -> str: ...


def routed_marker(entry: int, to: str | None) -> str:
    fields = {"entry": str(entry)}
    if to:
        fields["to"] = to
    return marker.make("routed", **fields)


FAILED_KIND = "verdict-failed"  # the tool's comment telling a learner of a failing verdict


def failed_marker(event_id: int) -> str:
    return marker.make(FAILED_KIND, event=event_id)


def _bot_notes(notes: Sequence[Note], kind: str, bot: str) -> list[dict[str, str]]:
    """The marker fields of every comment of this kind the tool's own user left."""
    return [
        fields
        for note in notes
        if tools_own(note.author, bot)
        for fields in marker.find(note.body, kind)
    ]


def entering_assessment(ctx: LearnerContext, course: Course, issue: Issue) -> bool:
    """Whether this open issue's ticks put it in assessment and its label does not say so yet:
    the moment to route it (its label events and comments are then read)."""
    labels = ctx.labels
    if issue.state != "opened" or labels.revoked in issue.labels:
        return False
    if labels.assessment in issue.labels or labels.badge_awarded in issue.labels:
        return False
    if not (course.exam or course.practical):
        return False
    return read_ticks(course, issue.description).stage is Stage.ASSESSMENT


def entry_number(ctx: LearnerContext, details: IssueDetails) -> int:
    """How many times the tool took the assessment label off before: the entry being routed."""
    bot = ctx.authority.bot
    return sum(
        1
        for event in details.events
        if event.label == ctx.labels.assessment
        and event.action == "remove"
        and tools_own(event.user, bot)
    )


def _moment(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def assessor_acted_since_routing(ctx: LearnerContext, details: IssueDetails) -> bool:
    """Whether this issue was never routed, or an assessor set or removed a verdict label or
    commented on it since the tool's last routing comment (same moment counts: GitLab's times
    are to the millisecond). The learner's own unticking and ticking again is no reason to
    mention the assessors again; label events and comment authors cannot be forged."""
    bot = ctx.authority.bot
    routed = [
        note.created_at
        for note in details.notes
        if tools_own(note.author, bot) and marker.find(note.body, "routed")
    ]
    if not routed:
        return True
    last = _moment(routed[-1])
    verdicts = set(ctx.labels.verdicts)
    acts = [e.created_at for e in details.events if e.label in verdicts and _judge(ctx, e.user)]
    acts += [n.created_at for n in details.notes if not n.system and _judge(ctx, n.author)]
    for when in acts:
        moment = _moment(when)
        if last is None or moment is None or moment >= last:
            return True
    return False


def _judge(ctx: LearnerContext, user: str) -> bool:
    return ctx.authority.may_judge(user, ctx.username)


def _others(ctx: LearnerContext, names: Sequence[str]) -> tuple[str, ...]:
    """Nobody is ever asked to assess their own work, and the tool's user assesses nothing."""
    excluded = {ctx.username.lower()}
    seen: dict[str, str] = {}
    for name in names:
        if name.lower() not in excluded and not tools_own(name, ctx.authority.bot):
            seen.setdefault(name.lower(), name)
    return tuple(seen.values())


def choose_route(ctx: LearnerContext, course: Course, issue: Issue, routing: Routing) -> Route:
    """Round-robin and manager fall back to mentioning every assessor when they cannot apply."""
    everyone = _others(ctx, sorted(ctx.authority.assessors))
    if routing.mode == ROUND_ROBIN and routing.picker is not None:
        candidates = _others(ctx, routing.usernames)
        if candidates:
            chosen = routing.picker.pick(issue.iid, candidates)
            return Route(ROUND_ROBIN, (chosen,), chosen if routing.can_assign else None)
    excluded = course.rubric is not None and course.rubric.exclude_manager
    if routing.mode == MANAGER and course.practical and not excluded:
        manager = ctx.learner.manager
        if manager and _others(ctx, [manager]) and manager.lower() in ctx.authority.assessors:
            exam_too = tuple(n for n in everyone if n.lower() != manager.lower())
            mentions = (manager, *(exam_too if course.exam else ()))
            return Route(MANAGER, mentions, manager if routing.can_assign else None, manager)
    return Route(MENTION, everyone)


def _routing_changes(
    ctx: LearnerContext, course: Course, issue: Issue, details: IssueDetails, routing: Routing
) -> list[Change]:
    entry = entry_number(ctx, details)
    done = [
        f
        for f in _bot_notes(details.notes, "routed", ctx.authority.bot)
        if f.get("entry") == str(entry)
    ]
    changes: list[Change] = []
    if done:  # routed already (a run killed after the comment): only finish the assignment
        assignee = done[0].get("to") if routing.can_assign else None
    elif not assessor_acted_since_routing(ctx, details):
        return []  # back in assessment with no assessor's act since they were told: told once
    else:
        route = choose_route(ctx, course, issue, routing)
        assignee = route.assignee
        # the one asked, on record (on Free, where nobody is assigned, the round robin counts it)
        chosen = assignee or (route.mentions[0] if route.mode == ROUND_ROBIN else None)
        body = ctx_texts(ctx).assessment_routed(
            course, ctx.username, route, routed_marker(entry, chosen)
        )
        why = f"ready for assessment: {route.mode}" + (f", @{assignee}" if assignee else "")
        changes.append(CommentOnIssue(issue.iid, body, why))
    if assignee and assignee.lower() not in {a.lower() for a in issue.assignees}:
        changes.append(
            AssignIssue(issue.iid, (*issue.assignees, assignee), f"@{assignee} assesses")
        )
    return changes


def _failed_changes(
    ctx: LearnerContext,
    course: Course,
    issue: Issue,
    details: IssueDetails,
    rubric_event: LabelEvent | None = None,
) -> list[Change]:
    """One comment per failing verdict an assessor set (per label event), and the retake label."""
    labels = ctx.labels
    # the assessors' verdicts as they left them: a failing label the tool restored (after
    # someone else removed it) is still the assessor's, and anyone else's is refused
    refused = refused_events(details.notes, ctx.authority.bot)
    standing = standing_verdicts(labels, details.events, ctx.authority, ctx.username, refused)
    if course.rubric is not None:  # the practical's verdict is the tool's tally (core/judging.py)
        standing.pop(labels.practical_changes_requested, None)
        if rubric_event is not None:
            standing[rubric_event.label] = rubric_event
    failing = [
        label
        for label in (labels.exam_failed, labels.practical_changes_requested)
        if label in standing and label in verdict_labels(labels, course)
    ]
    posted = {f.get("event") for f in _bot_notes(details.notes, FAILED_KIND, ctx.authority.bot)}
    changes: list[Change] = []
    counted = False
    for label in failing:
        event = standing[label]
        counted = True
        if str(event.id) not in posted:
            body = ctx_texts(ctx).verdict_failed(
                course, ctx.username, label, event.user, failed_marker(event.id)
            )
            changes.append(CommentOnIssue(issue.iid, body, f'~"{label}" set by @{event.user}'))
    if counted and labels.retake not in issue.labels:
        changes.append(UpdateIssue(issue.iid, (labels.retake,), (), None, "a retake is due"))
    return changes


def assessment_changes(
    ctx: LearnerContext, outcome: CourseOutcome, details: IssueDetails | None
) -> list[Change]:
    """What the assessment loop adds for one course issue; placed before the planner's own
    changes, so that a routing comment is posted before the stage label it announces."""
    issue = outcome.issue
    routing = ctx.routing
    if issue is None or details is None or outcome.stage is Stage.BADGE_AWARDED:
        return []
    if ctx.labels.revoked in issue.labels:
        return []
    changes: list[Change] = []
    if routing is not None and entering_assessment(ctx, outcome.course, issue):
        changes += _routing_changes(ctx, outcome.course, issue, details, routing)
    changes += _failed_changes(ctx, outcome.course, issue, details, outcome.rubric_event)
    return changes


def ctx_texts(ctx: LearnerContext) -> AssessmentTexts:
    return ctx.texts  # type: ignore[return-value]
