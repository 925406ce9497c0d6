"""A rubric's practicals in the report (pure): per course, the verdicts the tool tallied, the
average result of each criterion, how often assessors disagreed, how many verdicts a moderator
gave, and the time from ready (the routing comment, or the last failing tally) to verdict.
Read from the tool's own comments only (core/judging.py)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from accred_ops.core import marker
from accred_ops.core.judging import MODERATION, tallies
from accred_ops.core.model import Course
from accred_ops.core.state import Note


@dataclass(frozen=True)
class RubricStats:
    course: str
    title: str
    verdicts: int  # tallies posted (every round decided)
    passed: int
    disagreements: int  # rounds whose assessors disagreed (a moderator was called)
    disagreement_rate: float | None  # disagreements / rounds that reached their N scores
    moderations: int  # verdicts a moderator's scores decided
    averages: tuple[tuple[str, float], ...]  # criterion id -> average result, two decimals
    median_hours_to_verdict: float | None  # ready -> tally, one decimal
    # criterion id -> its average in words (core/rubric.py `level_words`): "Proficient",
    # "between Proficient and Advanced"
    levels: tuple[tuple[str, str], ...] = ()


def _moment(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _hours(notes: Sequence[Note], bot: str) -> list[float]:
    """Per tally: hours since the issue was last ready (routed, or failed the round before)."""
    found, ready = [], None
    for note in sorted(notes, key=lambda n: n.id):
        if note.author.lower() != bot.lower():
            continue
        if marker.find(note.body, "routed") and ready is None:
            ready = _moment(note.created_at)
        elif marker.find(note.body, "rubric-tally"):
            done = _moment(note.created_at)
            if ready is not None and done is not None:
                found.append((done - ready).total_seconds() / 3600)
            ready = done
    return found


def rubric_stats(course: Course, issues: Sequence[Sequence[Note]], bot: str) -> RubricStats:
    """One rubric course over the comments of its issues (each issue's notes)."""
    assert course.rubric is not None
    results = [t for notes in issues for _, t in tallies(notes, bot)]
    calls = sum(
        1
        for notes in issues
        for n in notes
        if n.author.lower() == bot.lower() and marker.find(n.body, MODERATION)
    )
    moderated = sum(1 for t in results if t.moderator)
    rounds = len(results) - moderated + calls  # each reached N scores: agreed, or a call
    averages = tuple(
        (cid, round(statistics.fmean(t.scores[cid] for t in results if cid in t.scores), 2))
        for cid in course.rubric.ids
        if any(cid in t.scores for t in results)
    )
    hours = [h for notes in issues for h in _hours(notes, bot)]
    return RubricStats(
        course.id,
        course.title,
        len(results),
        sum(1 for t in results if t.passed),
        calls,
        round(calls / rounds, 2) if rounds else None,
        moderated,
        averages,
        round(statistics.median(hours), 1) if hours else None,
        tuple((cid, course.rubric.level_words(value)) for cid, value in averages),
    )
