"""`badges export` for badges that expire: one award for each time the badge was awarded (the
first and every renewal, by the learner record's dates), each valid until its own end, so a
renewal is a new credential and the one before stays valid until its own term ends."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from accred_ops.badges import Award
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Issue


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def cycles(award: Award, on_record: LearnerRecord, issue: Issue) -> list[Award]:
    """`award` (the latest, as the current issue shows it) once per dated award on record."""
    course = award.course
    days = on_record.awarded_on.get(course.id, ()) if course else ()
    if course is None or course.validity is None or not days:
        return [award]
    iids = (*on_record.earlier.get(course.id, ()), issue.iid)
    renewing = course.id in on_record.renewing  # the current issue is a renewal not awarded yet
    found = []
    for index, text in enumerate(days):
        day = dt.date.fromisoformat(text)
        own = index == len(days) - 1 and not renewing  # the current issue's own award
        iid = iids[index] if index < len(iids) else issue.iid
        found.append(
            dataclasses.replace(
                award,
                issued_on=award.issued_on if own else _midnight(day),
                evidence_url=re.sub(r"/\d+\Z", f"/{iid}", issue.web_url),
                valid_until=_midnight(course.validity.term(day).expired_since()),
                cycle=index,
            )
        )
    return found


def path_until(found: Sequence[Award]) -> dt.datetime | None:
    """The path badge holds while every course badge does: the earliest end of their latest
    awards (None: no course badge expires)."""
    latest: dict[str, Award] = {}
    for award in found:
        if award.course is not None and award.cycle >= latest.get(award.course.id, award).cycle:
            latest[award.course.id] = award
    ends = [a.valid_until for a in latest.values() if a.valid_until is not None]
    return min(ends) if ends else None
