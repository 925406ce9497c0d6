"""Imported exam attempts on the learner record. Pure.

The proof of an attempt is the tool's own score comment (core/scores.py). The learner record
(core/record.py, where learners cannot write) also lists each course's imported attempts, one
entry `<key> <percent> <outcome>` each, oldest first. The sync writes them, from the score
comments it read, with the record it writes anyway after an import changed a verdict (the
progress table changed); the import itself writes no record (2 writes per attempt). So:

* `scores import` reads a course issue's comments only when a row's attempt is not on record
  (a re-import of the same file after the next sync reads no comments; before it, it reads
  them as the first import did); an attempt not on record is always looked up in the
  comments, so nothing is posted twice.
* the learner's epic shows the score its exam verdict rests on, from the record alone (the
  progress table's exam cell: `passed (87.5 %)`), when the verdict on the issue is that one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from accred_ops.core.model import Course, Labels
from accred_ops.core.record import LearnerRecord
from accred_ops.core.scores import FAILED, PASSED, Attempt, recorded
from accred_ops.core.state import Issue, LearnerState


class Outcome(Protocol):  # the planner's CourseOutcome, as far as this reads it
    @property
    def course(self) -> Course: ...
    @property
    def issue(self) -> Issue | None: ...


def entry(attempt: Attempt) -> str:
    return f"{attempt.key} {attempt.percent:g} {attempt.outcome}"


def imported(on_record: LearnerRecord | None, course: str) -> set[str]:
    """The keys of the attempts of `course` the record lists."""
    if on_record is None:
        return set()
    return {e.split(" ", 1)[0] for e in on_record.scored.get(course, ())}


def noted(
    wanted: LearnerRecord, state: LearnerState, outcomes: Sequence[Outcome], bot: str
) -> LearnerRecord:
    """`wanted` with the attempts the tool's score comments hold on each course issue whose
    comments this run read (a sync reads them where an imported verdict changed the labels):
    written with the learner record the sync writes anyway (its progress table changed)."""
    for outcome in outcomes:
        details = state.details.get(outcome.issue.iid) if outcome.issue else None
        if details is not None and outcome.course.exam_rules is not None:
            found = recorded(details.notes, bot, outcome.course)
            wanted = wanted.with_scored(outcome.course.id, tuple(entry(a) for a in found))
    return wanted


def recorded_score(on_record: LearnerRecord | None, course: str) -> tuple[float, str] | None:
    """(percent, outcome) of the attempt the scored verdict rests on: the first pass, else the
    last counted failure; None when the record lists no counted attempt."""
    counted: list[tuple[float, str]] = []
    for text in on_record.scored.get(course, ()) if on_record else ():
        parts = text.split(" ")
        if len(parts) == 3 and parts[2] in (PASSED, FAILED):
            try:
                counted.append((float(parts[1]), parts[2]))
            except ValueError:
                continue
    passed = next((c for c in counted if c[1] == PASSED), None)
    return passed or (counted[-1] if counted else None)


def exam_cell(
    word: str, labels: Labels, course: Course, on_record: LearnerRecord | None, on: Iterable[str]
) -> str:
    """The progress table's exam cell: the verdict word, with the score when the verdict on the
    issue is the one the recorded score gives (`passed (87.5 %)`)."""
    found = recorded_score(on_record, course.id) if course.exam_rules else None
    if found is None:
        return word
    percent, outcome = found
    wanted = labels.exam_passed if outcome == PASSED else labels.exam_failed
    return f"{word} ({percent:g} %)" if wanted in set(on) else word
