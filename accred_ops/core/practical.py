"""The practical opens after the exam (`practical: {after_exam: true}`). Pure.

Until the exam verdict that stands is a pass, the practical is closed: a practical verdict an
assessor set before the exam passed is removed with one comment saying why (one per label
event), and a scored exam's issue is not routed to the assessors. A practical verdict set in
the same edit as the exam pass (the same moment), or after it, counts. When the exam passes,
one comment tells the learner the practical is open and asks the assessors for it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from accred_ops.core import marker
from accred_ops.core.assessment import assessment_changes
from accred_ops.core.model import Course, Labels
from accred_ops.core.plan import Change, CommentOnIssue
from accred_ops.core.progress import Stage
from accred_ops.core.scores import moment as _moment
from accred_ops.core.state import IssueDetails, LabelEvent, Note

if TYPE_CHECKING:
    from accred_ops.core.context import CourseOutcome, LearnerContext

EARLY_KIND, OPEN_KIND = "practical-early", "practical-open"


class PracticalTexts(Protocol):
    def practical_too_early(self, label: str, actor: str, note_marker: str) -> str: ...
    def practical_open(
        self, course: Course, learner: str, mentions: Sequence[str], note_marker: str
    ) -> str: ...


def too_early(
    labels: Labels, course: Course, standing: dict[str, LabelEvent]
) -> tuple[dict[str, LabelEvent], dict[str, LabelEvent]]:
    """The standing verdicts split: those that count, and the practical ones set before the
    exam passed (none unless the course opens its practical after the exam)."""
    if not (course.practical_after_exam and course.exam):
        return standing, {}
    practical = (labels.practical_approved, labels.practical_changes_requested)
    passed = standing.get(labels.exam_passed)
    opened = _moment(passed.created_at) if passed else None
    early: dict[str, LabelEvent] = {}
    for label, event in standing.items():
        if label not in practical:
            continue
        when = _moment(event.created_at)
        if passed is None or (opened is not None and when is not None and when < opened):
            early[label] = event
    kept = {label: event for label, event in standing.items() if label not in early}
    return kept, early


def refuse_early(
    texts: PracticalTexts, bot: str, iid: int, early: dict[str, LabelEvent], notes: Sequence[Note]
) -> list[Change]:
    """One comment per early practical verdict (by its label event), unless posted already."""
    posted = {
        fields.get("event")
        for note in notes
        if note.author.lower() == bot.lower()
        for fields in marker.find(note.body, EARLY_KIND)
    }
    changes: list[Change] = []
    for label, event in early.items():
        if str(event.id) in posted:
            continue
        body = texts.practical_too_early(label, event.user, marker.make(EARLY_KIND, event=event.id))
        changes.append(CommentOnIssue(iid, body, f'~"{label}" set before the exam was passed'))
    return changes


def holds_routing(ctx: LearnerContext, course: Course, present: Sequence[str]) -> bool:
    """A scored exam needs no assessor: until it passes, nobody is asked for the practical."""
    return (
        course.practical_after_exam
        and course.exam_rules is not None
        and ctx.labels.exam_passed not in present
    )


def open_changes(
    ctx: LearnerContext, outcome: CourseOutcome, details: IssueDetails | None
) -> list[Change]:
    """The one comment that opens the practical, once the exam verdict that stands is a pass."""
    course, issue = outcome.course, outcome.issue
    if not (course.practical_after_exam and course.exam and course.practical):
        return []
    if issue is None or details is None or issue.state != "opened":
        return []
    if outcome.stage in (Stage.BADGE_AWARDED, Stage.REVOKED):
        return []
    if ctx.labels.exam_passed not in outcome.labels_after:
        return []
    bot = ctx.authority.bot.lower()
    if any(
        note.author.lower() == bot and marker.find(note.body, OPEN_KIND) for note in details.notes
    ):
        return []
    texts: PracticalTexts = ctx.texts  # type: ignore[assignment]
    body = texts.practical_open(
        course, ctx.username, ctx.assessor_mentions, marker.make(OPEN_KIND, course=course.id)
    )
    return [CommentOnIssue(issue.iid, body, "exam passed: the practical assessment is open")]


def loop_changes(
    ctx: LearnerContext, outcome: CourseOutcome, details: IssueDetails | None
) -> list[Change]:
    """The assessment loop's changes (core/assessment.py), with no routing while a scored exam
    holds the practical closed; then the comment that opens it."""
    held = holds_routing(ctx, outcome.course, outcome.labels_after)
    routed = dataclasses.replace(ctx, routing=None) if held else ctx
    return assessment_changes(routed, outcome, details) + open_changes(ctx, outcome, details)
