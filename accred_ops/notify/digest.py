"""The weekly digest: per manager (the cohort file's `manager`), their learners accredited,
waiting for assessment, stalled, and their badges whose renewal is open (expiring, or expired
unrenewed); per program for learners with no manager. Pure: the
learners' states, the clock and the week come in.

It is made only from a run that read every learner of the program (a full pass, every
`gitlab.full_sync_every_hours`): an incremental sync sees only who changed. Its id names the
ISO week, so the ledger sends one per manager and week, on the first full pass of the week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from accred_ops.core import renewal
from accred_ops.core.model import Labels
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import LearnerState
from accred_ops.notify.events import Event, Learner
from accred_ops.notify.ledger import moment

LISTED = 20  # learners named in one digest; the rest counted


def digests(
    seen: Iterable[tuple[Learner, LearnerState]],
    labels: Labels,
    now: dt.datetime,
    stalled_days: int,
    at: str,
) -> list[Event]:
    year, week, _ = now.isocalendar()
    teams: dict[tuple[str, str], list[str]] = {}
    titles: dict[str, str] = {}
    for who, state in sorted(seen, key=lambda pair: pair[0].username.lower()):
        line = _line(who, state, labels, now - dt.timedelta(days=stalled_days), now.date())
        if line:
            teams.setdefault((who.manager.lower(), who.program.id), []).append(line)
            titles[who.program.id] = who.program.title
    found = []
    for (manager, program), lines in sorted(teams.items()):
        shown = "; ".join(lines[:LISTED])
        if len(lines) > LISTED:
            shown += f"; and {len(lines) - LISTED} more"
        whose = manager or f"program:{program}"
        found.append(
            Event(
                "digest",
                f"digest:{whose}:{year}-W{week:02d}",
                at,
                manager,
                titles[program],
                "",
                summary=shown,
                manager=manager,
            )
        )
    return found


def _line(
    who: Learner, state: LearnerState, labels: Labels, stale: dt.datetime, today: dt.date
) -> str:
    """One learner in words, or "" when there is nothing to say (nothing started)."""
    record = state.record
    awarded = set(record.awards) - set(record.revoked) if record else set()
    renewing = _renewing(who, record, awarded, today)
    whole = awarded and all(c.id in awarded for c in who.path.courses)
    if whole and " expired since " not in renewing:  # an expired badge: the path has lapsed
        return f"@{who.username} accredited ({who.path.title}){renewing}"
    waiting, stalled = [], []
    for course in who.path.courses:
        issue = state.issues.get(course.id)
        if issue is None or issue.state != "opened" or course.id in awarded:
            continue
        if labels.assessment in issue.labels:
            waiting.append(course.title)
        elif (changed := moment(issue.updated_at)) is not None and changed < stale:
            stalled.append(course.title)
    parts = []
    if waiting:
        parts.append(f"waiting for assessment in {', '.join(waiting)}")
    if stalled:
        parts.append(f"stalled in {', '.join(stalled)}")
    if renewing:
        parts.append(renewing.removeprefix(", "))
    return f"@{who.username} {' and '.join(parts)}" if parts else ""


def _renewing(who: Learner, record: LearnerRecord | None, awarded: set[str], today: dt.date) -> str:
    """The badges whose renewal the tool opened (the record's `renewing`): expiring on their
    last valid day, or expired; "" when none."""
    if record is None:
        return ""
    words = []
    for course in who.path.courses:
        term = renewal.latest_term(course, record, today)
        if course.id not in awarded or course.id not in record.renewing or term is None:
            continue
        if term.expired(today):
            words.append(f"{course.title} expired since {term.expired_since().isoformat()}")
        else:
            words.append(f"{course.title} expiring {term.valid_until.isoformat()}")
    return f", renewal open: {', '.join(words)}" if words else ""
