"""The rubric verdict of one course issue: assessors' scoring comments tallied, a moderator
called when they disagree, and the practical's verdict label the tool sets itself.

Only facts nobody can forge count. A scoring comment counts by its author (GitLab records who
wrote a comment, and nobody can edit someone else's): an eligible assessor, or, once the tool
called for moderation, an eligible moderator. The verdict is the tool's own tally comment: its
hidden marker holds the round, the verdict, the scores and who gave them. Once posted, a round
is closed: editing or adding scoring comments afterwards changes nothing of it.

Rounds: a failing tally closes a round; the next round counts only scoring comments written
after it (a retake needs a fresh set of scores). A passing tally is final.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from accred_ops.core import marker
from accred_ops.core.model import Course
from accred_ops.core.plan import Change, CommentOnIssue
from accred_ops.core.progress import added_by
from accred_ops.core.proof import bot_note
from accred_ops.core.rubric import (
    Rubric,
    ScoreSheet,
    Tally,
    averages,
    decode,
    disagreement,
    encode,
    passes,
)
from accred_ops.core.rubric_routing import ask_next
from accred_ops.core.scoring import read_form
from accred_ops.core.state import Issue, IssueDetails, LabelEvent, Note

if TYPE_CHECKING:
    from accred_ops.core.context import LearnerContext

TALLY = "rubric-tally"
MODERATION = "rubric-moderation"
FORM_PROBLEM = "rubric-form"


class RubricTexts(Protocol):
    def rubric_tally(
        self,
        course: Course,
        learner: str,
        tally: Tally,
        sheets: Sequence[ScoreSheet],
        superseded: int,
        note_marker: str,
    ) -> str: ...
    def rubric_moderation(
        self,
        course: Course,
        learner: str,
        moderators: Sequence[str],
        reason: str,
        sheets: Sequence[ScoreSheet],
        note_marker: str,
    ) -> str: ...
    def rubric_form_problem(
        self, course: Course, author: str, problems: Sequence[str], note_marker: str
    ) -> str: ...
    def rubric_results(self, course: Course, tally: Tally) -> str: ...
    def rubric_label_refused(
        self, course: Course, label: str, actor: str, note_marker: str
    ) -> str: ...


@dataclass(frozen=True)
class RubricVerdict:
    """Where the rubric stands on one issue: the practical's label, and what to post."""

    label: str | None  # practical::approved / practical::changes-requested, or None: pending
    tally: Tally | None  # the tally the label rests on
    tally_note: int = 0  # its comment's id
    changes: tuple[Change, ...] = field(default=())

    def event(self, bot: str) -> LabelEvent | None:
        """The verdict as a label event by the tool, for the loop's retake (negative ids never
        meet GitLab's own event ids)."""
        if self.label is None or self.tally is None:
            return None
        who = self.tally.moderator or (self.tally.by[0] if self.tally.by else bot)
        return LabelEvent(-self.tally.round, self.label, "add", who, "")


def tally_marker(tally: Tally) -> str:
    fields = {
        "round": str(tally.round),
        "verdict": "pass" if tally.passed else "fail",
        "scores": encode(tally.scores),
        "by": ":".join(tally.by),
    }
    if tally.moderator:
        fields["moderator"] = tally.moderator
    return marker.make(TALLY, **fields)


def _tallies(notes: Sequence[Note], bot: str) -> list[tuple[Note, Tally]]:
    found = []
    for note in notes:
        if note.author.lower() != bot.lower():
            continue
        for f in marker.find(note.body, TALLY):
            by = tuple(n for n in f.get("by", "").split(":") if n)
            tally = Tally(
                int(f.get("round", "0") or 0) if f.get("round", "").isdigit() else 0,
                f.get("verdict") == "pass",
                decode(f.get("scores", "")),
                by,
                f.get("moderator"),
            )
            found.append((note, tally))
    return found


def eligible(ctx: LearnerContext, rubric: Rubric, user: str) -> bool:
    """An assessor who is neither the learner, the tool, nor (when excluded) their manager."""
    return ctx.authority.may_judge(user, ctx.username) and not _managed(ctx, rubric, user)


def moderator(ctx: LearnerContext, rubric: Rubric, user: str) -> bool:
    """A configured moderator who is neither the learner, the tool, nor an excluded manager."""
    user = user.lower()
    named = {m.lower() for m in ctx.moderators}
    if user not in named or user in (ctx.username, ctx.authority.bot.lower()):
        return False
    return not _managed(ctx, rubric, user)


def _managed(ctx: LearnerContext, rubric: Rubric, user: str) -> bool:
    manager = (ctx.learner.manager or "").lower()
    return rubric.exclude_manager and bool(manager) and user.lower() == manager


def moderators_to_mention(ctx: LearnerContext, rubric: Rubric) -> tuple[str, ...]:
    return tuple(m for m in ctx.moderators if moderator(ctx, rubric, m))


def rubric_verdict(
    ctx: LearnerContext, course: Course, issue: Issue, details: IssueDetails, deciding: bool
) -> RubricVerdict:
    """The standing verdict (from the tool's tallies), and, when `deciding` (the issue is open
    and in assessment), the comments this round needs: replies to malformed forms, the call
    for a moderator, the tally."""
    rubric = course.rubric
    assert rubric is not None
    labels = ctx.labels
    notes = sorted(details.notes, key=lambda n: n.id)
    tallies = _tallies(notes, ctx.authority.bot)
    last = tallies[-1] if tallies else None
    standing = RubricVerdict(None, None)
    if last is not None:
        label = labels.practical_approved if last[1].passed else labels.practical_changes_requested
        standing = RubricVerdict(label, last[1], last[0].id)
    if not deciding or (last is not None and last[1].passed):
        return standing
    since = last[0].id if last else 0
    round_ = len(tallies) + 1
    current = [n for n in notes if n.id > since and not n.system]
    step = _round(ctx, course, issue.iid, current, round_)
    if step.tally is None and not _called(ctx, current):
        chosen_from = functools.partial(eligible, ctx, rubric)
        step.changes += ask_next(ctx, course, issue, step.sheets, round_, current, chosen_from)
    if step.tally is not None:
        body = ctx_texts(ctx).rubric_tally(
            course,
            ctx.username,
            step.tally,
            step.sheets,
            _superseded(ctx, rubric, notes, since),
            tally_marker(step.tally),
        )
        why = f"rubric verdict, round {round_}: {'pass' if step.tally.passed else 'changes requested'}"
        step.changes.append(CommentOnIssue(issue.iid, body, why))
        # the tally comment comes first in the plan: its verdict holds from now on
        label = (
            labels.practical_approved if step.tally.passed else labels.practical_changes_requested
        )
        return RubricVerdict(label, step.tally, 0, tuple(step.changes))
    return RubricVerdict(standing.label, standing.tally, standing.tally_note, tuple(step.changes))


def _superseded(ctx: LearnerContext, rubric: Rubric, notes: Sequence[Note], since: int) -> int:
    """How many scoring comments of earlier rounds this round no longer counts."""
    bot = ctx.authority.bot.lower()
    return sum(
        1
        for n in notes
        if n.id <= since
        and not n.system
        and n.author.lower() != bot
        and read_form(n.body, rubric) is not None
    )


@dataclass
class _Step:
    sheets: list[ScoreSheet] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    tally: Tally | None = None


def _called(ctx: LearnerContext, notes: Sequence[Note]) -> Note | None:
    """The tool's call for a moderator in this round's comments, if any."""
    bot = ctx.authority.bot.lower()
    return next(
        (n for n in notes if n.author.lower() == bot and marker.find(n.body, MODERATION)), None
    )


def _round(
    ctx: LearnerContext, course: Course, iid: int, notes: Sequence[Note], round_: int
) -> _Step:
    """One open round: the sheets of the eligible, then a tally, a call for moderation, or
    nothing yet."""
    rubric = course.rubric
    assert rubric is not None
    called = _called(ctx, notes)
    step, decision = _collect(ctx, course, iid, notes, called)
    if called is not None:
        if decision is not None:
            step.tally = _moderated(rubric, round_, step.sheets, decision)
        return step
    if len(step.sheets) < rubric.assessors:
        return step
    sheets = [s.scores for s in step.sheets]
    reason = disagreement(rubric, sheets)
    if reason is None:
        result = averages(rubric, sheets)
        passed = passes(rubric, result) and all(passes(rubric, s) for s in sheets)
        step.tally = Tally(round_, passed, result, tuple(s.who for s in step.sheets))
    else:
        step.changes.append(_call_moderators(ctx, course, iid, round_, reason, step.sheets))
    return step


def _collect(
    ctx: LearnerContext, course: Course, iid: int, notes: Sequence[Note], called: Note | None
) -> tuple[_Step, ScoreSheet | None]:
    """The round's sheets: each eligible assessor's latest valid form (before any call for a
    moderator), the first valid form of a moderator who did not score (after it), and one
    reply per malformed form of either. Anyone else's form counts for nothing, unanswered."""
    rubric = course.rubric
    assert rubric is not None
    step = _Step()
    latest: dict[str, ScoreSheet] = {}
    decision: ScoreSheet | None = None
    for note in notes:
        who = note.author.lower()
        as_assessor = eligible(ctx, rubric, who) and (called is None or note.id < called.id)
        as_moderator = called is not None and note.id > called.id and moderator(ctx, rubric, who)
        form = read_form(note.body, rubric) if as_assessor or as_moderator else None
        if form is None:
            continue
        if not form.valid:
            step.changes += _form_problem(ctx, course, iid, note, form.problems, notes)
        elif as_assessor:
            latest[who] = ScoreSheet(note.author, form.scores, note.id)
        elif decision is None and who not in latest:
            decision = ScoreSheet(note.author, form.scores, note.id)
    step.sheets = sorted(latest.values(), key=lambda s: s.note_id)
    return step, decision


def _moderated(
    rubric: Rubric, round_: int, sheets: Sequence[ScoreSheet], decision: ScoreSheet
) -> Tally:
    scores = {cid: float(decision.scores[cid]) for cid in rubric.ids}
    by = (*(s.who for s in sheets), decision.who)
    return Tally(round_, passes(rubric, scores), scores, by, decision.who)


def _call_moderators(
    ctx: LearnerContext,
    course: Course,
    iid: int,
    round_: int,
    reason: str,
    sheets: Sequence[ScoreSheet],
) -> Change:
    assert course.rubric is not None
    who = moderators_to_mention(ctx, course.rubric)
    body = ctx_texts(ctx).rubric_moderation(
        course, ctx.username, who, reason, sheets, marker.make(MODERATION, round=round_)
    )
    return CommentOnIssue(iid, body, f"assessors disagree: {reason}")


def _form_problem(
    ctx: LearnerContext,
    course: Course,
    iid: int,
    note: Note,
    problems: Sequence[str],
    notes: Sequence[Note],
) -> list[Change]:
    """One reply per malformed form (by its comment's id), saying what to fix."""
    bot = ctx.authority.bot.lower()
    for other in notes:
        if other.author.lower() == bot and any(
            f.get("note") == str(note.id) for f in marker.find(other.body, FORM_PROBLEM)
        ):
            return []
    body = ctx_texts(ctx).rubric_form_problem(
        course, note.author, problems, marker.make(FORM_PROBLEM, note=note.id)
    )
    return [CommentOnIssue(iid, body, f"scoring form of @{note.author} needs fixing")]


def ctx_texts(ctx: LearnerContext) -> RubricTexts:
    return ctx.texts  # type: ignore[return-value]


def judge(
    ctx: LearnerContext, course: Course, issue: Issue, details: IssueDetails | None, ready: bool
) -> RubricVerdict | None:
    """The planner's door: None for a course without a rubric (label verdicts, as ever) or an
    issue whose comments were not read; `ready`: open and in assessment, so a round may move."""
    if course.rubric is None or details is None:
        return None
    verdict = rubric_verdict(ctx, course, issue, details, ready and issue.state == "opened")
    told = _hand_set(ctx, course, issue, details, verdict.label)
    return dataclasses.replace(verdict, changes=(*told, *verdict.changes)) if told else verdict


HAND_SET = "rubric-label"


def _hand_set(
    ctx: LearnerContext, course: Course, issue: Issue, details: IssueDetails, standing: str | None
) -> list[Change]:
    """One comment per practical label someone set by hand (by its label event): on a rubric
    course the tool sets the practical's verdict; the label itself is taken off (`with_rubric`)."""
    labels, bot = ctx.labels, ctx.authority.bot.lower()
    practical = (labels.practical_approved, labels.practical_changes_requested)
    changes: list[Change] = []
    for label in issue.labels:
        if label not in practical or label == standing:
            continue
        added = next(
            (e for e in reversed(details.events) if e.label == label and e.action == "add"), None
        )
        if added is None or added.user.lower() == bot:
            continue
        if bot_note(details.notes, HAND_SET, ctx.authority.bot, event=str(added.id)):
            continue
        body = ctx_texts(ctx).rubric_label_refused(
            course, label, added.user, marker.make(HAND_SET, event=added.id)
        )
        changes.append(CommentOnIssue(issue.iid, body, f'~"{label}" set by @{added.user} by hand'))
    return changes


def with_rubric(
    ctx: LearnerContext,
    standing: dict[str, LabelEvent],
    present: Sequence[str],
    events: Sequence[LabelEvent],
    verdict: RubricVerdict,
) -> tuple[dict[str, LabelEvent], list[str]]:
    """The practical's verdict is the tool's tally, not anyone's label: the standing verdicts
    with the practical's replaced by the tally's, and the practical labels to take off (an
    earlier round's the tool set, or one set by hand: `judge` explains those)."""
    labels = ctx.labels
    practical = (labels.practical_approved, labels.practical_changes_requested)
    standing = {k: v for k, v in standing.items() if k not in practical}
    event = verdict.event(ctx.authority.bot)
    if event is not None:
        standing[event.label] = event
    quiet = [label for label in present if label in practical and label != verdict.label]
    return standing, quiet


RUBRIC_SETS = "on a rubric course the tool sets the practical's verdict from the assessors' scores, by its tally"


def quiet_why(ctx: LearnerContext, quiet: Sequence[str], events: Sequence[LabelEvent]) -> str:
    """Why the sync takes off the practical labels `with_rubric` returns, as its line says it
    ("" for none): one set by hand, or an earlier round's the tool set."""
    if not quiet:
        return ""
    bot = ctx.authority.bot.lower()
    by_hand = any(
        (added := added_by(label, events)) is None or added.user.lower() != bot for label in quiet
    )
    if by_hand:
        return f"{RUBRIC_SETS}: a practical label set by hand is removed"
    return f"{RUBRIC_SETS}: the latest round's verdict replaces an earlier one"


def award_text(
    ctx: LearnerContext,
    course: Course,
    basis: dict[str, str],
    verdict: RubricVerdict,
    note_marker: str,
    score: float | None = None,
) -> str:
    """The award comment with the practical's per-criterion results in place of a label (and
    the imported exam score the exam pass rests on, if it does)."""
    labels = ctx.labels
    others = {k: v for k, v in basis.items() if k != labels.practical_approved}
    body = ctx.texts.badge_award(course, ctx.username, others, "", score)  # type: ignore[attr-defined]
    assert verdict.tally is not None
    results = ctx_texts(ctx).rubric_results(course, verdict.tally)
    return f"{body.rstrip()}\n\n{results.rstrip()}\n\n{note_marker}\n"


def passing_scores(notes: Sequence[Note], bot: str) -> tuple[tuple[str, float], ...]:
    """The results of the tool's passing tally on an issue (none: no rubric verdict), for the
    badge files and the report; only the tool's own comment proves them."""
    passed = [tally for _, tally in _tallies(notes, bot) if tally.passed]
    return tuple(passed[-1].scores.items()) if passed else ()


def tallies(notes: Sequence[Note], bot: str) -> list[tuple[Note, Tally]]:
    """The tool's tally comments on an issue, oldest first, with what each says."""
    return _tallies(sorted(notes, key=lambda n: n.id), bot)


def after_award(
    ctx: LearnerContext, course: Course, issue: Issue, details: IssueDetails | None
) -> tuple[list[str], list[str], Tally | None]:
    """An awarded rubric course read in full (a killed run left it between the award comment
    and the record): the passing tally's label to add, the other to remove, and the tally (for
    the epic's results)."""
    if course.rubric is None or details is None:
        return [], [], None
    passed = [t for _, t in tallies(details.notes, ctx.authority.bot) if t.passed]
    if not passed:
        return [], [], None
    labels = ctx.labels
    add = [labels.practical_approved] if labels.practical_approved not in issue.labels else []
    remove = [lb for lb in issue.labels if lb == labels.practical_changes_requested]
    return add, remove, passed[-1]
