"""How long a badge stays valid, and when its renewal opens. Pure: dates in, dates out.

A badge's validity is either a rolling period from each award (`valid_for: 6 months`) or fixed
renewal windows (`renew_on: ["01-15", "07-15"]`: every badge awarded before a window's date must
be renewed by it). In both modes the badge is *due* on one date; it stays valid `grace` after
it, and its renewal opens `renew_before` the due date. Days are UTC calendar days of the run's
clock (the caller passes `today`; this module reads no clock).

An award made once a window's renewal had opened (within `renew_before` of the window date)
counts as that window's renewal: a badge earned a minute before a window is due at the next
window, not at once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from dataclasses import dataclass
from enum import Enum

_PERIOD = re.compile(r"\s*([+-]?\d+)\s*(day|week|month|year)s?\s*\Z", re.IGNORECASE)
_WINDOW = re.compile(r"(\d{2})-(\d{2})\Z")
NOMINAL_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


class PeriodError(ValueError):
    """A period or window date that does not read (the message says what is wanted)."""


@dataclass(frozen=True)
class Period:
    """`N days|weeks|months|years`; months and years keep the day of the month (clamped)."""

    count: int
    unit: str  # day | week | month | year

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"

    @property
    def nominal_days(self) -> int:
        """Its length in days with 30-day months and 365-day years (to compare periods)."""
        return self.count * NOMINAL_DAYS[self.unit]

    def after(self, day: dt.date) -> dt.date:
        if self.unit in ("day", "week"):
            return day + dt.timedelta(days=self.nominal_days)
        months = self.count * (12 if self.unit == "year" else 1)
        return add_months(day, months)

    def before(self, day: dt.date) -> dt.date:
        if self.unit in ("day", "week"):
            return day - dt.timedelta(days=self.nominal_days)
        months = self.count * (12 if self.unit == "year" else 1)
        return add_months(day, -months)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, the day of the month clamped (31 Jan + 1 month: 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def parse_period(value: object, *, zero_ok: bool = False) -> Period:
    """`6 months` → Period(6, "month"); PeriodError says what is wrong."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise PeriodError(
            f"must be a period like '6 months' (N days|weeks|months|years), got {value!r}"
        )
    match = _PERIOD.match(value)
    if match is None:
        raise PeriodError(
            f"must be a period like '6 months' (N days|weeks|months|years), got {value!r}"
        )
    count = int(match[1])
    if count < 0:
        raise PeriodError(f"must not be negative, got {value!r}")
    if count == 0 and not zero_ok:
        raise PeriodError(f"must be longer than 0, got {value!r}")
    if count > 100 * 366:
        raise PeriodError(f"is too long, got {value!r}")
    return Period(count, match[2].lower())


def parse_window(value: object) -> tuple[int, int]:
    """`"07-15"` → (7, 15); a date that is not in every year (02-29, 02-30) is refused."""
    match = _WINDOW.match(value) if isinstance(value, str) else None
    if match is None:
        raise PeriodError(f"must be a month and day like '07-15' (MM-DD), got {value!r}")
    month, day = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2001, month)[1]:
        raise PeriodError(f"{value!r} is not a date in every year (MM-DD, like '07-15')")
    return month, day


@dataclass(frozen=True)
class Validity:
    """One badge's validity rule (a program's `validity:`, or a course's override)."""

    valid_for: Period | None = None  # rolling mode
    renew_on: tuple[tuple[int, int], ...] = ()  # window mode: (month, day), sorted
    grace: Period = Period(0, "day")
    renew_before: Period = Period(30, "day")

    @property
    def rolling(self) -> bool:
        return self.valid_for is not None

    def describe(self) -> str:
        if self.valid_for is not None:
            return f"valid for {self.valid_for}"
        return "renewed by " + ", ".join(f"{m:02d}-{d:02d}" for m, d in self.renew_on)

    def due(self, awarded: dt.date) -> dt.date:
        """The date a badge awarded on `awarded` must be renewed by (before any grace)."""
        if self.valid_for is not None:
            return self.valid_for.after(awarded)
        for window in self._windows_from(awarded.year):
            if self.renew_before.before(window) > awarded:
                return window
        raise AssertionError("a later window always exists")  # pragma: no cover

    def _windows_from(self, year: int) -> list[dt.date]:
        return [dt.date(y, m, d) for y in (year, year + 1, year + 2) for m, d in self.renew_on]

    def term(self, awarded: dt.date) -> Term:
        due = self.due(awarded)
        return Term(awarded, due, self.grace.after(due), self.renew_before.before(due))

    def shortest_gap(self) -> tuple[int, str] | None:
        """Window mode: the fewest days between two consecutive windows, and which two."""
        if len(self.renew_on) < 1:
            return None
        dates = self._windows_from(2001)[: len(self.renew_on) + 1]
        gaps = [((b - a).days, f"{a:%m-%d} and {b:%m-%d}") for a, b in itertools.pairwise(dates)]
        return min(gaps)


@dataclass(frozen=True)
class Renewal:
    """What a renewal asks (a course's `renewal:`): by default its objectives and the exam."""

    objectives: tuple[str, ...]
    exam: bool = True
    practical: bool = False


class Standing(Enum):
    VALID = "valid"
    RENEWAL_OPEN = "renewal-open"  # valid, and its renewal is open
    GRACE = "grace"  # past its due date, still valid for the grace period
    EXPIRED = "expired"


@dataclass(frozen=True)
class Term:
    """One award's period of validity. `valid_until` is the last day it is valid."""

    awarded: dt.date
    due: dt.date  # renew by this date
    valid_until: dt.date  # due + grace: the last valid day
    renewal_opens: dt.date  # due - renew_before

    def standing(self, today: dt.date) -> Standing:
        if today > self.valid_until:
            return Standing.EXPIRED
        if today > self.due:
            return Standing.GRACE
        if today >= self.renewal_opens:
            return Standing.RENEWAL_OPEN
        return Standing.VALID

    def expired(self, today: dt.date) -> bool:
        return today > self.valid_until

    def expired_since(self) -> dt.date:
        """The first day it is no longer valid."""
        return self.valid_until + dt.timedelta(days=1)

    def days_left(self, today: dt.date) -> int:
        """Whole days it stays valid after `today` (0 on its last valid day)."""
        return (self.valid_until - today).days

    def cycle(self) -> str:
        """The renewal's name as a person reads it: the half-year of its due date (`2027-H1`)."""
        return f"{self.due.year}-H{1 if self.due.month <= 6 else 2}"


def current_term(
    validity: Validity | None, awards: tuple[dt.date, ...], today: dt.date
) -> Term | None:
    """The term of the latest award made on or before `today` (None: never expires/no award)."""
    made = sorted(day for day in awards if day <= today)
    if validity is None or not made:
        return None
    return validity.term(made[-1])


def terms(validity: Validity, awards: tuple[dt.date, ...]) -> tuple[Term, ...]:
    """Every award's own term, oldest first (a renewal does not cut the previous one short)."""
    return tuple(validity.term(day) for day in sorted(set(awards)))


def renewed_on_time(validity: Validity, awards: tuple[dt.date, ...]) -> bool:
    """Whether every renewal so far came while the award before it was still valid."""
    made = sorted(set(awards))
    return all(
        later <= validity.term(earlier).valid_until for earlier, later in itertools.pairwise(made)
    )
