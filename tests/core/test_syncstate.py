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
    assert read_record(text) == RECORD
    assert "deleting it makes the next sync a full pass" in text
    assert read_record(text.replace("since=", "sinse=")) is None
    assert read_record("no marker") is None


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
