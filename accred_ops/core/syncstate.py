"""Incremental sync: what the last successful sync left on record, and whether this run may read
only what changed since. Pure: the clock and the record are passed in.

The record lives in GitLab (a closed issue of the tool's own, in a hidden marker), so any
runner, any clone and any CI job sees the same one. A run reads only issues and epics updated
since `since`; a full pass (every issue and epic of the program) is made when there is no
record, when the program files changed (`fingerprint`), or when the last full pass is older
than `gitlab.full_sync_every_hours`: that pass catches what `updated_at` cannot show (an issue
deleted, a quiet issue due a reminder).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accred_ops.core import marker

TITLE = "accred-ops sync state"
KIND = "sync-state"
# Listings since `since` overlap the previous run by this much, so that a change GitLab was
# committing as the previous run began (its `updated_at` a moment earlier) is still seen. The
# times are GitLab's own (the `Date` of the run's first answer), so clocks cannot disagree.
OVERLAP = dt.timedelta(minutes=2)


@dataclass(frozen=True)
class SyncRecord:
    since: dt.datetime  # list what changed after this (GitLab's clock, less the overlap)
    full_at: dt.datetime  # when the last full pass started
    fingerprint: str  # of the program files that full pass ran with


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def read_record(description: str) -> SyncRecord | None:
    """The record in the state issue's description (None if absent or unreadable: full pass)."""
    found = marker.find(description, KIND)
    if not found:
        return None
    fields = found[-1]
    try:
        return SyncRecord(
            _parse_time(fields["since"]), _parse_time(fields["full"]), fields["fingerprint"]
        )
    except (KeyError, ValueError):
        return None


def record_text(record: SyncRecord) -> str:
    """The state issue's description: what it is for, in words, then the record."""
    tag = marker.make(
        KIND, since=_time(record.since), full=_time(record.full_at), fingerprint=record.fingerprint
    )
    return (
        "accred-ops keeps its bookkeeping for incremental syncs here: each scheduled `sync` reads "
        "only the course issues and epics changed since the last one, and makes a full pass "
        "daily or whenever the program files change.\n\n"
        f"* Last full pass: {_time(record.full_at)}\n"
        f"* Changes read since: {_time(record.since)}\n\n"
        "Closing or editing this issue changes nothing; deleting it makes the next sync a full "
        "pass.\n\n" + tag + "\n"
    )


def full_pass_reason(
    record: SyncRecord | None, fingerprint: str, now: dt.datetime, every_hours: int
) -> str | None:
    """Why this run must read everything, or None when reading the changes is enough."""
    if record is None:
        return "no record of an earlier sync"
    if record.fingerprint != fingerprint:
        return "the program files changed"
    if now - record.full_at >= dt.timedelta(hours=every_hours):
        return f"the last full pass is over {every_hours} hours old"
    return None


def next_record(
    previous: SyncRecord | None, started: dt.datetime, fingerprint: str, full: bool
) -> SyncRecord:
    """The record after a run that started at `started` and had no failure."""
    since = started - OVERLAP
    if full or previous is None:
        return SyncRecord(since, started, fingerprint)
    return SyncRecord(since, previous.full_at, previous.fingerprint)
