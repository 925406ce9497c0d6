"""Routing a rubric's practical until N assessors have scored (core/judging.py): with
round-robin routing, each new score in a round that still needs more asks the next eligible
assessor who has not scored, chosen like the first (the fewest issues waiting), once per count
of scores, and assigns them where the tier allows. Mention routing told every assessor already.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from accred_ops.core import marker
from accred_ops.core.context import ROUND_ROBIN
from accred_ops.core.model import Course
from accred_ops.core.plan import AssignIssue, Change, CommentOnIssue
from accred_ops.core.rubric import ScoreSheet
from accred_ops.core.state import Issue, Note

if TYPE_CHECKING:
    from accred_ops.core.context import LearnerContext

NEXT = "rubric-next"


class NextTexts(Protocol):
    def rubric_next(
        self, course: Course, learner: str, chosen: str, scored: int, note_marker: str
    ) -> str: ...


def ask_next(
    ctx: LearnerContext,
    course: Course,
    issue: Issue,
    sheets: Sequence[ScoreSheet],
    round_: int,
    notes: Sequence[Note],
    eligible: Callable[[str], bool],
) -> list[Change]:
    """The comment (and assignment) asking the next assessor of this round, if one is due
    (`eligible`: may this user score it; core/judging.py knows)."""
    rubric, routing = course.rubric, ctx.routing
    if rubric is None or routing is None or routing.mode != ROUND_ROBIN or routing.picker is None:
        return []
    if not 0 < len(sheets) < rubric.assessors:
        return []
    bot = ctx.authority.bot.lower()
    wanted = {"round": str(round_), "scored": str(len(sheets))}
    for note in notes:
        if note.author.lower() == bot and any(
            wanted.items() <= f.items() for f in marker.find(note.body, NEXT)
        ):
            return []  # asked already for this many scores
    scored = {s.who.lower() for s in sheets}
    candidates = [u for u in routing.usernames if u.lower() not in scored and eligible(u)]
    if not candidates:
        return []
    chosen = routing.picker.pick(issue.iid, candidates)
    texts: NextTexts = ctx.texts  # type: ignore[assignment]
    body = texts.rubric_next(
        course, ctx.username, chosen, len(sheets), marker.make(NEXT, **wanted, to=chosen)
    )
    changes: list[Change] = [CommentOnIssue(issue.iid, body, f"next assessor: @{chosen}")]
    if routing.can_assign and chosen.lower() not in {a.lower() for a in issue.assignees}:
        changes.append(AssignIssue(issue.iid, (*issue.assignees, chosen), f"@{chosen} scores"))
    return changes
