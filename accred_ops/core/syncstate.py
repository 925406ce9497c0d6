"""Incremental sync: what the last successful sync left on record, and whether this run may read
only what changed since. Pure: the clock and the record are passed in.

The record lives in GitLab, in the tool's own comment on a closed issue of its own (nobody can
edit another user's comment; anyone with Reporter could edit an issue's description), so any
runner, any clone and any CI job sees the same one, and no learner can move it. A run reads only issues and epics updated
since `since`; a full pass (every issue and epic of the program) is made when there is no
record, when the program files changed (`fingerprint`), or when the last full pass is older
than `gitlab.full_sync_every_hours`: that pass catches what `updated_at` cannot show (an issue
deleted, a quiet issue due a reminder).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from accred_ops.core import marker

TITLE = "accred-ops sync state"
KIND = "sync-state"
# Listings since `since` overlap the previous run by this much, so that a change GitLab was
# committing as the previous run began (its `updated_at` a moment earlier) is still seen. The
# times are GitLab's own (the `Date` of the run's first answer), so clocks cannot disagree.
OVERLAP = dt.timedelta(minutes=2)
# A run that leaves at least this many issues and epics changed inside its own overlap (a big
# enrollment) checks them once at its end, so that the next sync need not read them all again.
# It waits up to the overlap for that: worth it only when the next sync would otherwise list
# several pages and read dozens of learners again (500: some 80 learners of 5 courses).
SETTLE_AFTER = 500
# A record dated later than GitLab's clock plus this is not believed: it would make every sync
# read nothing (a full pass instead).
SKEW = dt.timedelta(minutes=5)
ISSUE_TEXT = (
    "accred-ops keeps its bookkeeping for incremental syncs in its own comment below. Closing or "
    "editing this issue changes nothing; deleting it makes the next sync a full pass.\n\n"
    + marker.make("sync-state-issue")
    + "\n"
)


@dataclass(frozen=True)
class SyncRecord:
    since: dt.datetime  # list what changed after this (GitLab's clock, less the overlap)
    full_at: dt.datetime  # when the last full pass started
    fingerprint: str  # of the program files that full pass ran with


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str) -> dt.datetime:
    """An ISO 8601 time with its offset; a naive one is refused (it cannot be compared)."""
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"no time zone in {value!r}")
    return parsed


def read_record(text: str, now: dt.datetime) -> SyncRecord | None:
    """The record in the tool's comment (None if absent, unreadable, naive or later than `now`
    by more than a small clock skew: then the sync makes a full pass)."""
    found = marker.find(text, KIND)
    if not found:
        return None
    fields = found[-1]
    try:
        record = SyncRecord(
            _parse_time(fields["since"]), _parse_time(fields["full"]), fields["fingerprint"]
        )
    except (KeyError, ValueError, OverflowError):
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    if max(record.since, record.full_at) > now + SKEW:
        return None
    return record


def record_text(record: SyncRecord) -> str:
    """The tool's comment on its state issue: what it is for, in words, then the record."""
    tag = marker.make(
        KIND, since=_time(record.since), full=_time(record.full_at), fingerprint=record.fingerprint
    )
    return (
        "accred-ops keeps its bookkeeping for incremental syncs here: each scheduled `sync` reads "
        "only the course issues and epics changed since the last one, and makes a full pass "
        "daily or whenever the program files change.\n\n"
        f"* Last full pass: {_time(record.full_at)}\n"
        f"* Changes read since: {_time(record.since)}\n\n"
        "Only this comment, by accred-ops's own user, counts; deleting it makes the next sync a "
        "full pass.\n\n" + tag + "\n"
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


def worth_settling(started: dt.datetime, known: Mapping[str, str]) -> bool:
    """Whether enough of what this run read or wrote falls inside its overlap that the next sync
    would read it all again (a page of listing and a search per learner), unless checked now."""
    floor = started - OVERLAP
    return sum(1 for version in known.values() if _parse_time(version) > floor) >= SETTLE_AFTER


def latest(versions: Iterable[str]) -> dt.datetime:
    """The latest of some `updated_at` values."""
    return max(_parse_time(version) for version in versions)


def settled_since(
    started: dt.datetime,
    checked_at: dt.datetime,
    changed: Iterable[tuple[str, str]],
    known: Mapping[str, str],
) -> dt.datetime:
    """Where the next sync may start listing, after this run waited until GitLab's clock was
    past its last write plus the overlap, then listed, at `checked_at`, every issue and epic
    changed since `started - OVERLAP`, as (web_url, updated_at).

    `known` holds the versions this run has seen and acted on: as it read them for the learners
    it synced, and as it wrote them for the objects it created. An object still in such a
    version has not changed since, so the next sync need not read it again. The first change
    this run has not seen bounds the record (a second before it: `updated_after` is strict), so
    nothing changed in the overlap is ever missed; without any, the record moves to
    `checked_at - OVERLAP`, past the run's own writes (a change in flight at `checked_at` is
    then still inside the next overlap, as always). Never before `started - OVERLAP`.
    """
    unseen = [_parse_time(version) for url, version in changed if known.get(url) != version]
    since = checked_at - OVERLAP
    if unseen:
        since = min(since, min(unseen) - dt.timedelta(seconds=1))
    return max(since, started - OVERLAP)


def next_record(
    previous: SyncRecord | None,
    started: dt.datetime,
    fingerprint: str,
    full: bool,
    settled: dt.datetime | None = None,
) -> SyncRecord:
    """The record after a run that started at `started` and had no failure (`settled`: where
    the run's check of its own overlap allows the next one to start, see `settled_since`)."""
    since = settled or started - OVERLAP
    if full or previous is None:
        return SyncRecord(since, started, fingerprint)
    return SyncRecord(since, previous.full_at, previous.fingerprint)
