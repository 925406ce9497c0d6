"""When a sync may read only the changes, and the record it leaves in GitLab."""

from __future__ import annotations

import datetime as dt

from accred_ops.core.syncstate import (
    OVERLAP,
    SyncRecord,
    full_pass_reason,
    next_record,
    read_record,
    record_text,
)

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
RECORD = SyncRecord(T0 - OVERLAP, T0, "abc")


def test_the_record_survives_its_issue_text_and_a_broken_one_means_a_full_pass() -> None:
    text = record_text(RECORD)
    assert read_record(text, T0) == RECORD
    assert "deleting it makes the next sync a full pass" in text
    assert read_record(text.replace("since=", "sinse="), T0) is None
    assert read_record("no marker", T0) is None


def test_naive_future_or_garbled_records_are_not_believed() -> None:
    """Each of these would crash (naive), freeze (future) or confuse a sync: a full pass instead."""
    text = record_text(RECORD)
    assert read_record(text.replace("Z ", " ").replace("Z -->", " -->"), T0) is None
    assert read_record(text.replace("2026-12-01T07:58", "2099-12-01T07:58"), T0) is None
    assert read_record(text.replace("2026-12-01", "2026-13-01"), T0) is None
    assert (
        read_record(text.replace("2026-12-01T08:00:00Z", "9999-12-31T23:59:59+14:00"), T0) is None
    )
    skew = T0 + dt.timedelta(minutes=3)  # a clock a little ahead is not an attack
    assert read_record(record_text(SyncRecord(skew, skew, "abc")), T0) is not None


def test_reasons_for_a_full_pass() -> None:
    assert full_pass_reason(None, "abc", T0, 24) == "no record of an earlier sync"
    assert full_pass_reason(RECORD, "xyz", T0, 24) == "the program files changed"
    day = T0 + dt.timedelta(hours=24)
    assert full_pass_reason(RECORD, "abc", day, 24) == "the last full pass is over 24 hours old"
    assert full_pass_reason(RECORD, "abc", day - dt.timedelta(seconds=1), 24) is None


def test_next_record_keeps_the_last_full_pass_unless_this_run_was_one() -> None:
    later = T0 + dt.timedelta(hours=3)
    assert next_record(RECORD, later, "new", full=False) == SyncRecord(later - OVERLAP, T0, "abc")
    assert next_record(RECORD, later, "new", full=True) == SyncRecord(later - OVERLAP, later, "new")
