"""The report's view of badges that expire: each learner's badge with its validity, and the
counts per course and per manager (valid, expiring within 30 and 60 days, expired, renewed on
time). Pure: the learner records and the run's day in, plain rows out. A program whose badges
never expire adds nothing here, so its reports stay as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accred_ops.core import expiry
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Workspace
from accred_ops.core.state import LearnerState
from accred_ops.core.validity import renewed_on_time

SOON, LATER = 30, 60  # days: "expiring within 30 days", "within 60 days"


@dataclass(frozen=True)
class BadgeValidity:
    """One learner's badge that expires, as the record has it on the report's day."""

    cohort: str
    username: str
    manager: str | None
    course: str
    title: str
    awarded_on: tuple[str, ...]  # the first award and each renewal
    valid_until: str
    renews_on: str
    expired_since: str | None
    days_left: int  # after the report's day; negative once expired
    renewed_on_time: bool  # every renewal so far came while the award before was valid
    renewing: str | None  # the cycle whose renewal is open, if one is


@dataclass(frozen=True)
class ValidityCounts:
    """Per course or per manager: badges by how long they stay valid."""

    kind: str  # "course" | "manager"
    name: str  # the course title, or the manager's username ("" for none)
    valid: int  # still valid today (those expiring soon included)
    within_30: int
    within_60: int  # within 60 days (those within 30 included)
    expired: int
    renewed_on_time: int  # badges renewed at least once, every time on time


def badges(
    ws: Workspace,
    states: Mapping[EpicKey, LearnerState],
    learners: Sequence[tuple[str, str, str | None]],  # (cohort, username, manager)
    today: dt.date,
) -> tuple[BadgeValidity, ...]:
    found = []
    for cohort_id, username, manager in learners:
        cohort = ws.cohorts[cohort_id]
        _, path = ws.path_of(cohort)
        state = states.get(EpicKey(username.lower(), cohort.program, cohort.path))
        on_record = state.record if state else None
        for course in path.courses:
            seen = expiry.shown(course, on_record, today)
            if seen is None or on_record is None or course.validity is None:
                continue
            days = on_record.awarded_on.get(course.id, ())
            dates = tuple(dt.date.fromisoformat(d) for d in days)
            found.append(
                BadgeValidity(
                    cohort_id,
                    username,
                    manager,
                    course.id,
                    course.title,
                    days,
                    seen.valid_until,
                    seen.renews_on,
                    seen.expired_since,
                    (dt.date.fromisoformat(seen.valid_until) - today).days,
                    len(dates) > 1 and renewed_on_time(course.validity, dates),
                    on_record.renewing.get(course.id),
                )
            )
    return tuple(found)


def counts(found: Sequence[BadgeValidity]) -> tuple[ValidityCounts, ...]:
    """Per course (in the order first seen), then per manager (by name)."""
    by_course: dict[str, list[BadgeValidity]] = {}
    by_manager: dict[str, list[BadgeValidity]] = {}
    for badge in found:
        by_course.setdefault(badge.title, []).append(badge)
        by_manager.setdefault(badge.manager or "", []).append(badge)
    return tuple(_count("course", name, mine) for name, mine in by_course.items()) + tuple(
        _count("manager", name, by_manager[name]) for name in sorted(by_manager)
    )


def _count(kind: str, name: str, mine: Sequence[BadgeValidity]) -> ValidityCounts:
    live = [b for b in mine if b.expired_since is None]
    return ValidityCounts(
        kind,
        name,
        len(live),
        sum(b.days_left <= SOON for b in live),
        sum(b.days_left <= LATER for b in live),
        len(mine) - len(live),
        sum(b.renewed_on_time for b in mine),
    )
