"""Proof of the tool's own acts: the hidden markers of its comments (an award, a refused or
restored verdict, a path badge, a reminder, a revocation), and the reading of them back. Only
a comment by the tool's own user proves anything: a marker in anyone else's text is ignored
(identity rule 3, core/identity.py). Pure, like the planner that uses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from accred_ops.core import marker, record
from accred_ops.core.model import Course, LearningPath
from accred_ops.core.progress import added_by, required_verdicts
from accred_ops.core.reminders import Reminder
from accred_ops.core.state import IssueDetails, Note
from accred_ops.core.tooluser import tools_own

if TYPE_CHECKING:
    from accred_ops.core.context import LearnerContext


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
        if not tools_own(note.author, bot):
            continue
        if any(wanted.items() <= found.items() for found in marker.find(note.body, kind)):
            return note
    return None


def refused_events(notes: Sequence[Note], bot: str) -> frozenset[int]:
    """The label events the tool refused, as its own refusal comments name them."""
    return frozenset(
        int(found["event"])
        for note in notes
        if note.author.lower() == bot.lower()
        for found in marker.find(note.body, "verdict-refused")
        if found.get("event", "").isdigit()
    )


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


def revoke_marker(course: Course) -> str:
    return marker.make("revoke", course=course.id)
