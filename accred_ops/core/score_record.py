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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from accred_ops.core.model import Course
from accred_ops.core.record import LearnerRecord
from accred_ops.core.scores import Attempt, recorded
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
