"""Revocation is final by construction. Pure.

* `revoke` writes the learner record (with the revocation) before anything else it writes, so
  a failure at any later write leaves the record saying "revoked"; and a record that lacks a
  revocation the tool's revoke comment proves is repaired, never answered "nothing to do".
* The record decides an issue only while the issue agrees with it: when labels or state
  disagree (in either direction), the sync reads the issue's details, where the tool's own
  revoke comment is.
* A record is never written back from a stale read: every write of it is merged with the
  record GitLab holds at that moment (`merged`): revocations, awards and retired issues are
  only ever added, so a run that read the record before another run's write cannot take them
  away. See docs/security.md, "Revocation is final".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from accred_ops.core import record, renewal
from accred_ops.core.model import Course, Labels
from accred_ops.core.plan import Change, UpdateEpic, WriteRecord
from accred_ops.core.state import Issue, LearnerState

if TYPE_CHECKING:
    from accred_ops.core.context import LearnerContext


def agrees_with_record(
    labels: Labels, course: Course, issue: Issue, on_record: record.LearnerRecord
) -> bool:
    """Whether the issue shows what the record says: revoked, the revoked label; awarded (and
    not revoked), closed with the badge label and without the revoked one."""
    if course.id in on_record.revoked:
        return labels.revoked in issue.labels
    return (
        issue.state == "closed"
        and labels.badge_awarded in issue.labels
        and labels.revoked not in issue.labels
    )


def merged(
    current: record.LearnerRecord | None, wanted: record.LearnerRecord
) -> record.LearnerRecord:
    """`wanted` written over the record GitLab holds now: what is final only grows. The
    revocations and awards of either, the issues retired by either; each course's issue as
    `wanted` names it (it was read from GitLab in this run); the imported attempts of either."""
    if current is None or current.key != wanted.key:
        return wanted
    awards = {**current.awards, **wanted.awards}
    revoked = (*wanted.revoked, *(c for c in current.revoked if c not in wanted.revoked))
    issues = {**current.issues, **wanted.issues}
    iids = {**current.iids, **wanted.iids}
    replaced = {i for c, i in current.issues.items() if issues.get(c) != i}
    retired = tuple(sorted({*wanted.retired, *current.retired, *replaced}))  # a set, in order
    awarded_on = {
        c: tuple(sorted({*current.awarded_on.get(c, ()), *wanted.awarded_on.get(c, ())}))
        for c in {*current.awarded_on, *wanted.awarded_on}
    }
    earlier = {
        c: (
            *wanted.earlier.get(c, ()),
            *(i for i in current.earlier.get(c, ()) if i not in wanted.earlier.get(c, ())),
        )
        for c in {*current.earlier, *wanted.earlier}
    }
    scored = {
        c: record.first_per_key((*current.scored.get(c, ()), *wanted.scored.get(c, ())))
        for c in {*current.scored, *wanted.scored}
    }
    return dataclasses.replace(
        wanted,
        scored=scored,
        awards=awards,
        revoked=revoked,
        retired=retired,
        issues=issues,
        iids=iids,
        awarded_on=awarded_on,
        earlier=earlier,
    )


def renewal_ended(
    course: Course,
    issue: Issue,
    on_record: record.LearnerRecord | None,
    today: dt.date | None = None,
) -> str | None:
    """The cycle whose renewal `issue` is, when `revoke` withdraws the badge it renews: that
    renewal ends with the badge (closed, its comment says why), and none opens again, since a
    revoked badge never expires and is never renewed (core/renewal.py). The record names the
    renewal, or (a sync killed before recording it) `issue` is a newer one for the cycle due
    `today`, as it would be had this revocation not been recorded yet (a rerun of a killed
    `revoke` finds the record saying "revoked" already)."""
    if on_record is None:
        return None
    if on_record.issues.get(course.id) == issue.id:
        return on_record.renewing.get(course.id)
    if today is None:
        return None
    return renewal.renewing(course, unrevoked(on_record, course.id), issue, today)


def unrevoked(on_record: record.LearnerRecord, course: str) -> record.LearnerRecord:
    """The record as it was before `course` was revoked: which renewal was due then."""
    return dataclasses.replace(
        on_record, revoked=tuple(c for c in on_record.revoked if c != course)
    )


def record_first(ctx: LearnerContext, state: LearnerState, course: Course) -> list[Change]:
    """The write that puts the revocation of `course` in the learner's record, if it is not
    there: the first thing `revoke` writes (and its repair of a record that missed it)."""
    epic, before = state.epic, state.record
    if epic is None:
        return []
    wanted = (before or record.LearnerRecord(ctx.epic_key, ctx.cohort.id, ctx.via)).with_revoked(
        course.id
    )
    if before is not None and course.id in before.revoked:
        return []
    if ctx.record_in_note:
        note = state.record_note
        return [
            WriteRecord(ctx.epic_key, epic.iid, note.id if note else None, record.note_text(wanted))
        ]
    why = f'record the revocation of "{course.badge_name}" first'
    return [UpdateEpic(ctx.epic_key, epic.iid, record.put(epic.description, wanted), why=why)]
