"""Exam scores: imported attempts become the tool's own exam verdicts, with the evidence on the
issue. Pure, like the planner that reads the proof back.

Each new attempt is one comment by the tool's own user with the score, the pass mark, the
attempt's number and its source, carrying a hidden `exam-score` marker; then (where the verdict
changes) `exam::passed` or `exam::failed`, set by the tool. The comment is the proof: a verdict
label the tool set counts only because its own score comment says so (identity rule 3: a
marker in anyone else's comment proves nothing), so a learner who sets `exam::passed` still has
it removed. Attempts are identified by a key (the row's `attempt_id`, else learner, course,
`taken_at` and score), so importing the same file again writes nothing.

Rules, in order: a pass stands (a later attempt, passing or failing, is recorded and changes
nothing); `max_attempts` counted attempts, then an attempt is recorded and does not count (the
learner is sent to the enablement team); an attempt taken less than `retake_after_days` after
the last failure is recorded and does not count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from accred_ops.core import marker
from accred_ops.core.model import Course, ExamRules, Labels
from accred_ops.core.plan import Change, CommentOnIssue, UpdateIssue
from accred_ops.core.state import Issue, LabelEvent, Note

KIND = "exam-score"
PASSED, FAILED = "passed", "failed"  # attempts that count
AFTER_PASS, OVER_LIMIT, TOO_EARLY = "after-pass", "over-limit", "too-early"  # recorded only


@dataclass(frozen=True)
class ScoreRow:
    """One exam result read from a file (files/scores_csv.py checked it)."""

    source: str  # where it came from, as shown: "results.csv row 12" or "attempt f-123"
    learner: str  # username, lowercase
    course: str
    score: float
    max_score: float
    taken_at: dt.datetime  # aware, UTC
    attempt_id: str | None = None

    @property
    def percent(self) -> float:
        return round(100 * self.score / self.max_score, 2)

    @property
    def key(self) -> str:
        """The attempt's identity, safe in a marker (a hash: the id is file text)."""
        if self.attempt_id:
            raw = f"id\n{self.course}\n{self.attempt_id}"
        else:
            raw = f"row\n{self.learner}\n{self.course}\n{stamp(self.taken_at)}\n{self.percent}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Attempt:
    """One attempt the tool recorded: read back from its own score comment."""

    key: str
    number: int
    outcome: str  # PASSED, FAILED, or why it does not count
    taken_at: dt.datetime | None
    percent: float
    note: Note

    @property
    def counts(self) -> bool:
        return self.outcome in (PASSED, FAILED)


class ScoreTexts(Protocol):
    def exam_score(
        self,
        course: Course,
        learner: str,
        row: ScoreRow,
        attempt: Attempt,
        remaining: int | None,
        note_marker: str,
    ) -> str: ...


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_stamp(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def score_marker(course: Course, key: str, number: int, outcome: str, row: ScoreRow) -> str:
    return marker.make(
        KIND,
        course=course.id,
        key=key,
        attempt=number,
        outcome=outcome,
        taken=stamp(row.taken_at),
        percent=f"{row.percent:g}",
    )


def recorded(notes: Sequence[Note], bot: str, course: Course) -> list[Attempt]:
    """The attempts the tool's own comments record for this course, in order; each attempt
    once (two imports at the same moment may both post it: the first copy counts). Anyone
    else's comment with the same marker proves nothing."""
    found: list[Attempt] = []
    for note in notes:
        if note.author.lower() != bot.lower():
            continue
        for fields in marker.find(note.body, KIND):
            if fields.get("course") != course.id or "key" not in fields:
                continue
            if any(a.key == fields["key"] for a in found):
                continue
            try:
                percent = float(fields.get("percent", "0"))
                number = int(fields.get("attempt", "0"))
            except ValueError:
                continue
            taken = _parse_stamp(fields.get("taken", ""))
            found.append(
                Attempt(fields["key"], number, fields.get("outcome", ""), taken, percent, note)
            )
    return found


def describe(attempt: Attempt) -> str:
    """One attempt as `status` lists it: `attempt 2: 85 % passed (2026-12-02)`."""
    day = attempt.taken_at.date().isoformat() if attempt.taken_at else "?"
    return f"attempt {attempt.number}: {attempt.percent:g} % {_word(attempt.outcome)} ({day})"


def verdict(attempts: Sequence[Attempt]) -> Attempt | None:
    """The attempt the exam verdict rests on: the first pass, else the last counted failure."""
    counted = [a for a in attempts if a.counts]
    passed = next((a for a in counted if a.outcome == PASSED), None)
    return passed or (counted[-1] if counted else None)


def result_of(attempts: Sequence[Attempt]) -> tuple[float | None, int]:
    """(the score the exam verdict rests on, or None; the attempts that count)."""
    found = verdict(attempts)
    return (found.percent if found else None), sum(a.counts for a in attempts)


def _outcome(rules: ExamRules, row: ScoreRow, attempts: Sequence[Attempt], passed: bool) -> str:
    if passed:
        return AFTER_PASS
    counted = [a for a in attempts if a.counts]
    if rules.max_attempts is not None and len(counted) >= rules.max_attempts:
        return OVER_LIMIT
    last = counted[-1].taken_at if counted else None
    wait = dt.timedelta(days=rules.retake_after_days or 0)
    if wait and last is not None and row.taken_at < last + wait:
        return TOO_EARLY
    return PASSED if row.percent >= rules.pass_mark else FAILED


@dataclass(frozen=True)
class ScoreInput:
    """What deciding one course issue's new attempts needs."""

    labels: Labels
    bot: str
    learner: str
    texts: ScoreTexts
    assessor_passed: bool = False  # an assessor's exam::passed stands on the issue


def plan_attempts(
    given: ScoreInput, course: Course, issue: Issue, notes: Sequence[Note], rows: Sequence[ScoreRow]
) -> list[Change]:
    """One comment per attempt not yet recorded (oldest first), then one label edit if the
    exam verdict changes: at most the comments plus one write, and nothing on a re-import."""
    rules = course.exam_rules
    if rules is None or issue.state != "opened":
        return []
    attempts = recorded(notes, given.bot, course)
    known = {a.key for a in attempts}
    changes: list[Change] = []
    for row in sorted(rows, key=lambda r: (r.taken_at, r.source)):
        if row.key in known:
            continue
        known.add(row.key)
        passed = given.assessor_passed or any(a.outcome == PASSED for a in attempts)
        outcome = _outcome(rules, row, attempts, passed)
        mark = score_marker(course, row.key, len(attempts) + 1, outcome, row)
        note = Note(0, mark, given.bot, False, "")
        attempt = Attempt(row.key, len(attempts) + 1, outcome, row.taken_at, row.percent, note)
        attempts.append(attempt)
        body = given.texts.exam_score(
            course, given.learner, row, attempt, _remaining(rules, attempts), mark
        )
        why = f"exam attempt {attempt.number}: {row.percent:g} % ({_word(outcome)})"
        changes.append(CommentOnIssue(issue.iid, body, why, read_back=False))
    if changes:
        changes += _label_change(given.labels, issue, verdict(attempts), given.assessor_passed)
    return changes


def _remaining(rules: ExamRules, attempts: Sequence[Attempt]) -> int | None:
    if rules.max_attempts is None:
        return None
    return max(0, rules.max_attempts - sum(a.counts for a in attempts))


def _label_change(
    labels: Labels, issue: Issue, rests_on: Attempt | None, assessor_passed: bool
) -> list[Change]:
    if rests_on is None or assessor_passed:
        return []
    if rests_on.outcome == PASSED:
        wanted, other, extra = labels.exam_passed, labels.exam_failed, ()
    else:
        wanted, other, extra = labels.exam_failed, labels.exam_passed, (labels.retake,)
    add = tuple(x for x in (wanted, *extra) if x not in issue.labels)
    remove = (other,) if other in issue.labels else ()
    if not add and not remove:
        return []
    why = f"exam {rests_on.outcome} at {rests_on.percent:g} % (imported score)"
    return [UpdateIssue(issue.iid, add, remove, None, why)]


def _word(outcome: str) -> str:
    return {
        PASSED: "passed",
        FAILED: "failed",
        AFTER_PASS: "recorded, the exam is passed already",
        OVER_LIMIT: "recorded, attempts used up",
        TOO_EARLY: "recorded, too soon after the last failure",
    }.get(outcome, outcome)


def scored_verdict(
    labels: Labels, bot: str, course: Course, notes: Sequence[Note]
) -> tuple[str, LabelEvent] | None:
    """The exam verdict the tool's own score comments prove, as the verdict label and a stand-in
    for its label event (by the tool, at the comment's time). None without a pass mark."""
    if course.exam_rules is None:
        return None
    found = verdict(recorded(notes, bot, course))
    if found is None:
        return None
    label = labels.exam_passed if found.outcome == PASSED else labels.exam_failed
    return label, LabelEvent(0, label, "add", bot, found.note.created_at)


def moment(value: str) -> dt.datetime | None:
    """A GitLab time (ISO 8601), or None when it does not read as one (a dry run's)."""
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def with_scores(
    labels: Labels,
    bot: str,
    course: Course,
    notes: Sequence[Note],
    standing: dict[str, LabelEvent],
) -> dict[str, LabelEvent]:
    """The verdicts that stand, the scored exam verdict included: the later of the assessor's
    exam verdict and the tool's scored one wins (an assessor may overrule a score by setting
    the other verdict afterwards; a new score after an assessor's verdict replaces it)."""
    scored = scored_verdict(labels, bot, course, notes)
    if scored is None:
        return standing
    label, event = scored
    exam = (labels.exam_passed, labels.exam_failed)
    theirs = [e for lb, e in standing.items() if lb in exam]
    when = moment(event.created_at)
    for other in theirs:
        mine = moment(other.created_at)
        if when is not None and mine is not None and mine > when:
            return standing  # an assessor judged after the score
    merged = {lb: e for lb, e in standing.items() if lb not in exam}
    merged[label] = event
    return merged


def retake_restored(
    labels: Labels, bot: str, standing: dict[str, LabelEvent], restore: Sequence[str]
) -> list[str]:
    """`Retake`, when the failing verdict being put back is an imported score's (the tool's
    own): someone who removed both gets both back. An assessor's failing verdict gets its
    `Retake` from the assessment loop (core/assessment.py)."""
    event = standing.get(labels.exam_failed)
    mine = event is not None and event.user.lower() == bot.lower()
    return [labels.retake] if mine and labels.exam_failed in restore else []


def award_score(
    labels: Labels, bot: str, course: Course, notes: Sequence[Note], basis: dict[str, str]
) -> dict[str, float]:
    """`{"score": percent}` when the award's exam verdict is the tool's scored pass (the award
    comment shows it), else nothing: texts that know no score are called as before."""
    if basis.get(labels.exam_passed, "").lower() != bot.lower():
        return {}
    found = verdict(recorded(notes, bot, course))
    return {"score": found.percent} if found is not None and found.outcome == PASSED else {}


BANDS = ("0–49", "50–59", "60–69", "70–79", "80–89", "90–100")


@dataclass(frozen=True)
class ExamStats:
    """One scored exam across the reported learners (report, dashboard)."""

    course: str
    title: str
    pass_mark: int
    learners: int  # with at least one counted attempt
    passed_first: int  # of those, passed at their first counted attempt
    first_attempt_pass_rate: float | None  # percent, 1 decimal; None: no learner yet
    attempts_per_learner: float | None  # counted attempts per learner, 1 decimal
    distribution: dict[str, int]  # every recorded attempt's score, by band of BANDS
    max_attempts_reached: tuple[str, ...]  # learners who used every attempt and did not pass


def band(percent: float) -> str:
    if percent < 50:
        return BANDS[0]
    return BANDS[min(5, int(percent // 10) - 4)]


def exam_stats(
    courses: Sequence[Course], attempts: dict[tuple[str, str], list[Attempt]]
) -> tuple[ExamStats, ...]:
    """Per scored course: pass rate at first attempt, attempts per learner, the scores'
    distribution, and who reached `max_attempts` without passing. `attempts`: by (learner,
    course id), as `recorded` read them."""
    stats = []
    for course in courses:
        rules = course.exam_rules
        if rules is None:
            continue
        mine = {lr: a for (lr, c), a in attempts.items() if c == course.id}
        counted = {lr: [a for a in seq if a.counts] for lr, seq in mine.items()}
        counted = {lr: a for lr, a in counted.items() if a}
        first = sum(a[0].outcome == PASSED for a in counted.values())
        spread = dict.fromkeys(BANDS, 0)
        for a in (a for seq in mine.values() for a in seq):
            spread[band(a.percent)] += 1
        stuck = tuple(
            sorted(
                lr
                for lr, a in counted.items()
                if rules.max_attempts
                and len(a) >= rules.max_attempts
                and all(x.outcome != PASSED for x in a)
            )
        )
        n = len(counted)
        total = sum(len(a) for a in counted.values())
        rate = round(100 * first / n, 1) if n else None
        per = round(total / n, 1) if n else None
        stats.append(
            ExamStats(course.id, course.title, rules.pass_mark, n, first, rate, per, spread, stuck)
        )
    return tuple(stats)
