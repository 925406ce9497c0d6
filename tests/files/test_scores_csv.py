"""Reading results files: the dates Google Forms, Sheets and people write."""

from __future__ import annotations

import datetime as dt

import pytest

from accred_ops.files.scores_csv import parse_time

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("2026-12-02", dt.datetime(2026, 12, 2, tzinfo=UTC)),
        ("2026-12-02T10:15:00Z", dt.datetime(2026, 12, 2, 10, 15, tzinfo=UTC)),
        ("2026-12-02 10:15:00+01:00", dt.datetime(2026, 12, 2, 9, 15, tzinfo=UTC)),
        ("2026/12/02 10:15:32 AM GMT+1", dt.datetime(2026, 12, 2, 9, 15, 32, tzinfo=UTC)),
        ("2026/12/02 12:05:00 AM GMT-5", dt.datetime(2026, 12, 2, 5, 5, tzinfo=UTC)),
        ("2026/12/02 1:05:00 PM GMT+5:30", dt.datetime(2026, 12, 2, 7, 35, tzinfo=UTC)),
        ("12/2/2026 10:15:32", dt.datetime(2026, 12, 2, 10, 15, 32, tzinfo=UTC)),
    ],
)
def test_dates_read_as_utc(text: str, wanted: dt.datetime) -> None:
    assert parse_time(text) == wanted


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-45", "2026/12/02 13:00:00 PM", "1/2"])
def test_what_is_no_date(text: str) -> None:
    assert parse_time(text) is None
