"""core/validity.py: periods, windows, terms and standings, on pinned dates."""

from __future__ import annotations

import datetime as dt

import pytest

from accred_ops.core.validity import (
    Period,
    PeriodError,
    Standing,
    Validity,
    add_months,
    current_term,
    parse_period,
    parse_window,
    renewed_on_time,
    terms,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("6 months", Period(6, "month")),
        ("1 year", Period(1, "year")),
        ("14 Days", Period(14, "day")),
        (" 2 weeks ", Period(2, "week")),
    ],
)
def test_periods_read(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("0 months", "longer than 0"),
        ("-6 months", "negative"),
        ("six months", "period like"),
        ("6 fortnights", "period like"),
        (6, "period like"),
        (True, "period like"),
        (None, "period like"),
    ],
)
def test_bad_periods_say_why(value: object, says: str) -> None:
    with pytest.raises(PeriodError, match=says):
        parse_period(value)


def test_grace_may_be_zero() -> None:
    assert parse_period("0 days", zero_ok=True) == Period(0, "day")


def test_months_clamp_to_the_end_of_the_month() -> None:
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert Period(1, "year").after(D(2028, 2, 29)) == D(2029, 2, 28)
    assert Period(3, "month").before(D(2026, 5, 31)) == D(2026, 2, 28)


@pytest.mark.parametrize("bad", ["02-30", "02-29", "13-01", "00-10", "7-15", "07/15", 715])
def test_window_dates_must_exist_every_year(bad: object) -> None:
    with pytest.raises(PeriodError):
        parse_window(bad)


def test_rolling_term() -> None:
    validity = Validity(Period(6, "month"), grace=Period(14, "day"))
    term = validity.term(D(2026, 1, 10))
    assert term.due == D(2026, 7, 10)
    assert term.valid_until == D(2026, 7, 24)
    assert term.renewal_opens == D(2026, 6, 10)
    assert term.standing(D(2026, 6, 9)) is Standing.VALID
    assert term.standing(D(2026, 6, 10)) is Standing.RENEWAL_OPEN
    assert term.standing(D(2026, 7, 11)) is Standing.GRACE
    assert term.standing(D(2026, 7, 24)) is Standing.GRACE
    assert term.standing(D(2026, 7, 25)) is Standing.EXPIRED
    assert term.expired_since() == D(2026, 7, 25)
    assert term.days_left(D(2026, 7, 20)) == 4
    assert term.cycle() == "2026-H2"


WINDOWS = Validity(renew_on=((1, 15), (7, 15)), grace=Period(14, "day"))


def test_a_window_award_is_due_at_the_next_window() -> None:
    assert WINDOWS.due(D(2026, 3, 1)) == D(2026, 7, 15)
    assert WINDOWS.due(D(2026, 9, 1)) == D(2027, 1, 15)
    assert WINDOWS.term(D(2026, 9, 1)).valid_until == D(2027, 1, 29)
    assert WINDOWS.term(D(2026, 9, 1)).cycle() == "2027-H1"


def test_an_award_made_just_before_its_window_counts_for_that_window() -> None:
    # the window's renewal opened 30 days before 07-15: an award then renews for 07-15
    assert WINDOWS.due(D(2026, 7, 14)) == D(2027, 1, 15)
    assert WINDOWS.due(D(2026, 6, 15)) == D(2027, 1, 15)
    # the day before the renewal opened it still has to be renewed by 07-15
    assert WINDOWS.due(D(2026, 6, 14)) == D(2026, 7, 15)


def test_a_late_renewal_in_grace_is_due_at_the_next_window() -> None:
    assert WINDOWS.due(D(2026, 7, 20)) == D(2027, 1, 15)


def test_the_shortest_gap_between_windows_wraps_the_year() -> None:
    assert Validity(renew_on=((1, 15), (11, 1))).shortest_gap() == (75, "11-01 and 01-15")


def test_the_latest_award_on_or_before_today_decides() -> None:
    validity = Validity(Period(6, "month"))
    awards = (D(2026, 1, 10), D(2026, 7, 1))
    assert current_term(validity, awards, D(2026, 3, 1)).due == D(2026, 7, 10)  # type: ignore[union-attr]
    assert current_term(validity, awards, D(2026, 8, 1)).due == D(2027, 1, 1)  # type: ignore[union-attr]
    assert current_term(None, awards, D(2026, 8, 1)) is None
    assert current_term(validity, (), D(2026, 8, 1)) is None


def test_each_award_keeps_its_own_term() -> None:
    validity = Validity(Period(6, "month"))
    found = terms(validity, (D(2026, 7, 1), D(2026, 1, 10)))
    assert [t.valid_until for t in found] == [D(2026, 7, 10), D(2027, 1, 1)]


def test_renewed_on_time_only_while_the_last_award_was_valid() -> None:
    validity = Validity(Period(6, "month"))
    assert renewed_on_time(validity, (D(2026, 1, 10), D(2026, 7, 10)))
    assert not renewed_on_time(validity, (D(2026, 1, 10), D(2026, 7, 11)))
