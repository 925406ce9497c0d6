"""Whether an awarded badge still stands in time: the record's award dates against the run's
clock. Pure; the planner asks it, the status and the report read the same answers.

The learner record decides (core/record.py `awarded_on`: the day of each award of the course,
written by the tool where learners cannot write); labels only show what it decided. A record
written before its program had a validity has no date for an award: the tool's own award
comment dates it (read once, then recorded), and failing that the run's day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from accred_ops.core.model import Course
from accred_ops.core.proof import bot_note
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import IssueDetails
from accred_ops.core.validity import Term, current_term


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def recorded_days(course: Course, on_record: LearnerRecord | None) -> tuple[dt.date, ...]:
    """The days the record says this course was awarded on (oldest first)."""
    if on_record is None:
        return ()
    return tuple(_day(d) for d in on_record.awarded_on.get(course.id, ()))


def needs_dating(course: Course, on_record: LearnerRecord | None) -> bool:
    """An award on record that expires but carries no date: its award comment must be read."""
    return (
        course.validity is not None
        and on_record is not None
        and on_record.awarded(course.id)
        and not on_record.awarded_on.get(course.id)
    )


def award_day(
    course: Course,
    details: IssueDetails | None,
    on_record: LearnerRecord | None,
    bot: str,
    today: dt.date,
) -> str | None:
    """The day of the award this run knows of (None: the badge never expires). The record's
    latest date; else the tool's own award comment's; else today (the award is made now)."""
    if course.validity is None:
        return None
    days = recorded_days(course, on_record)
    if days:
        return days[-1].isoformat()
    noted = bot_note(details.notes, "award", bot, course=course.id) if details else None
    return noted.created_at[:10] if noted is not None and noted.created_at else today.isoformat()


def term_of(course: Course, days: Iterable[str | dt.date], today: dt.date) -> Term | None:
    """The term of the latest of these awards made by `today`."""
    dates = tuple(_day(d) if isinstance(d, str) else d for d in days)
    return current_term(course.validity, dates, today)


def is_expired(
    course: Course, on_record: LearnerRecord | None, day: str | None, today: dt.date
) -> bool:
    """Whether the latest award of `course` (on record, or `day`) is past its last valid day."""
    if course.validity is None or day is None:
        return False
    term = term_of(course, (*recorded_days(course, on_record), day), today)
    return term is not None and term.expired(today)


@dataclass(frozen=True)
class Shown:
    """An awarded badge's validity as `status`, reports and exports show it (ISO dates)."""

    valid_until: str
    renews_on: str  # the day its renewal opens
    expired_since: str | None  # the first day it is no longer valid, once it has passed

    def words(self) -> str:
        if self.expired_since:
            return f"expired since {self.expired_since}"
        return f"valid until {self.valid_until} (renews from {self.renews_on})"


def shown(course: Course, on_record: LearnerRecord | None, today: dt.date) -> Shown | None:
    """The latest award's validity on record (None: never expires, not awarded, revoked)."""
    if on_record is None or course.id in on_record.revoked:
        return None
    term = term_of(course, recorded_days(course, on_record), today)
    if term is None:
        return None
    since = term.expired_since().isoformat() if term.expired(today) else None
    return Shown(term.valid_until.isoformat(), term.renewal_opens.isoformat(), since)
