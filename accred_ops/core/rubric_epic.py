"""A rubric's results on the learner's epic (or learner issue): once a course's practical
passes its rubric and the badge is awarded, one comment of the tool's with the per-criterion
results, found again by its marker (`rubric-epic course=<id>`) so it is posted once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from accred_ops.core import marker
from accred_ops.core.model import Course
from accred_ops.core.plan import Change, CommentOnEpic
from accred_ops.core.proof import bot_note
from accred_ops.core.state import LearnerState

if TYPE_CHECKING:
    from accred_ops.core.context import CourseOutcome, LearnerContext
    from accred_ops.core.rubric import Tally

KIND = "rubric-epic"


class EpicTexts(Protocol):
    def rubric_results(self, course: Course, tally: Tally) -> str: ...


def epic_results(
    ctx: LearnerContext, state: LearnerState, outcomes: Sequence[CourseOutcome]
) -> list[Change]:
    epic = state.epic
    if epic is None:
        return []
    texts: EpicTexts = ctx.texts  # type: ignore[assignment]
    changes: list[Change] = []
    for outcome in outcomes:
        tally = outcome.rubric_tally
        if tally is None or not tally.passed or outcome.award is None:
            continue
        course = outcome.course
        if bot_note(state.epic_notes or (), KIND, ctx.authority.bot, course=course.id):
            continue
        head = f"**{course.title}**: the practical's results.\n\n"
        body = (
            head
            + texts.rubric_results(course, tally)
            + "\n"
            + marker.make(KIND, course=course.id)
            + "\n"
        )
        why = f"rubric results of {course.id}"
        changes.append(CommentOnEpic(ctx.epic_key, epic.id, epic.iid, body, why))
    return changes
