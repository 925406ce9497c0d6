"""The renewal cycle of a badge that expires: when its renewal opens, which issue is the
renewal, and what the renewal asks. Pure; the planner asks it.

`renew_before` the due date of the latest award (core/validity.py), `sync` opens one renewal
course issue for the cycle in the learner's epic; the old issue and its award stay as they
were (the history). The record (core/record.py `renewing`) names the cycle whose renewal is the
course's issue now; until the renewal is awarded the badge stands on its latest award, and
expires when that does. The cycle is computed from the record's dates, so a run that is late
opens it once, and a learner can postpone nothing: they can edit none of the dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from accred_ops.core import expiry
from accred_ops.core.model import Course
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Issue
from accred_ops.core.validity import Term


def view(course: Course) -> Course:
    """The course as its renewal asks it: the renewal's objectives, exam and practical."""
    asked = course.renewal
    if asked is None:
        return course
    return dataclasses.replace(
        course, objectives=asked.objectives, exam=asked.exam, practical=asked.practical
    )


def title(course: Course, username: str, cycle: str) -> str:
    return f"{course.title} — @{username} — renewal {cycle}"


def latest_term(course: Course, on_record: LearnerRecord | None, today: dt.date) -> Term | None:
    """The term of the course's latest award on record (None: it never expires / no award)."""
    if on_record is None or course.id in on_record.revoked or not on_record.awarded(course.id):
        return None
    return expiry.term_of(course, expiry.recorded_days(course, on_record), today)


def due_cycle(course: Course, on_record: LearnerRecord | None, today: dt.date) -> str | None:
    """The cycle whose renewal is open today for this course (None: no renewal is due)."""
    term = latest_term(course, on_record, today)
    if term is None or today < term.renewal_opens:
        return None
    return term.cycle()


def renewing(
    course: Course, on_record: LearnerRecord | None, issue: Issue | None, today: dt.date
) -> str | None:
    """The cycle `issue` is the renewal of: the record says so, or the record still names the
    awarded issue and `issue` is a newer one for a due cycle (a renewal opened this run, or by
    a run killed before it wrote the record)."""
    cycle = due_cycle(course, on_record, today)
    if cycle is None or on_record is None or issue is None:
        return None
    if on_record.renewing.get(course.id) == cycle:
        return cycle
    return cycle if on_record.issues.get(course.id) not in (None, issue.id) else None


def to_open(course: Course, on_record: LearnerRecord | None, today: dt.date) -> str | None:
    """The cycle whose renewal issue this run must open (None: none, or it is open already)."""
    cycle = due_cycle(course, on_record, today)
    if cycle is None or on_record is None or on_record.renewing.get(course.id) == cycle:
        return None
    return cycle


def orphan(
    course: Course, username: str, cycle: str, orphans: Iterable[Issue], course_label: str
) -> tuple[Issue, ...]:
    """The renewal issues the tool may have created for this cycle that no record names yet (a
    run killed between creating one and recording it), oldest first: the first whose history
    shows only the tool's hand (sync/renewals.py) is adopted, never created twice. Its title
    and its `course::` label must both name the course (a Guest can retitle an issue assigned
    to them, not relabel it)."""
    wanted = title(course, username, cycle)
    return tuple(
        i
        for i in sorted(orphans, key=lambda i: i.iid)
        if i.title == wanted and course_label in i.labels
    )


def assignee_of(issue: Issue, username: str) -> int | None:
    """The learner's user id, as their awarded issue knows it (no request)."""
    for name, user_id in zip(issue.assignees, issue.assignee_ids, strict=False):
        if name.lower() == username:
            return user_id
    return None


def days_left(course: Course, on_record: LearnerRecord | None, today: dt.date) -> int | None:
    """Whole days the badge being renewed stays valid after today (negative: expired)."""
    term = latest_term(course, on_record, today)
    return term.days_left(today) if term is not None else None


def stage_words(words: str, cycle: str | None, expired: bool) -> str:
    """How a course's stage reads in the learner's progress table."""
    if cycle is not None:
        words = f"Renewal {cycle}: {words.lower()}"
    return f"{words} (badge expired)" if expired else words
