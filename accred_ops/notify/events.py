"""What a chat channel hears about: events read from the state a sync leaves, never from the
plan it made, so that a run killed after an award and before its message finds the award again
(the next sync reads that learner again: the sync record only moves after a whole run). Pure.

Every event comes from facts a learner cannot forge (docs/security.md): an award or a path is
in the tool's learner record; an issue in assessment or with a failing verdict is what the
issue holds *after* the sync put its stage and verdict labels right (a verdict set by anyone
but an assessor is already removed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from accred_ops.core import expiry
from accred_ops.core.model import Cohort, Course, Labels, LearningPath, Program
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Issue, LearnerState


@dataclass(frozen=True)
class Event:
    kind: str  # award | path | assessment | failed | expiring (digest: docs/notifications.md)
    id: str  # stable across runs: what the ledger remembers as sent
    at: str  # when it happened, by GitLab's clock (ISO 8601): older than the ledger: never sent
    learner: str  # a GitLab username
    program: str  # titles from the curriculum (escaped by each format like learner text)
    path: str
    course: str = ""
    badge: str = ""
    verdict: str = ""  # failed: the failing verdict label
    url: str = ""  # the issue or epic on GitLab
    cohort: str = ""
    manager: str = ""
    summary: str = ""  # digest: its learners in words
    cycle: str = ""  # expiring: the renewal cycle opened (2027-H2); award: the n-th renewal
    until: str = ""  # expiring: the last day the badge being renewed is valid (ISO date)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event | None:
        try:
            return cls(**{k: str(data[k]) for k in data if k in cls.__dataclass_fields__})
        except TypeError:
            return None


@dataclass(frozen=True)
class Learner:
    """Who and where: one learner of a cohort on a program's path."""

    program: Program
    path: LearningPath
    cohort: Cohort
    username: str
    manager: str = ""


def derive(who: Learner, state: LearnerState, labels: Labels) -> list[Event]:
    """Every event this learner's state shows (the ledger decides which are new)."""
    record = state.record
    base = {
        "learner": who.username,
        "program": who.program.title,
        "path": who.path.title,
        "cohort": who.cohort.id,
        "manager": who.manager,
    }
    events: list[Event] = []
    awarded = set(record.awards) - set(record.revoked) if record else set()
    times: list[str] = []
    for course in who.path.courses:
        issue = state.issues.get(course.id)
        key = f"{who.username.lower()}:{who.program.id}:{who.path.id}:{course.id}"
        names = {
            "course": course.title,
            "badge": course.badge_name or f"{who.program.title}: {course.title}",
            "url": issue.web_url if issue else "",
        }
        if course.id in awarded:
            at = (issue.closed_at or issue.updated_at) if issue else ""
            times.append(at)
            events.append(_award(course, record, key, at, {**base, **names}))
            events += _expiring(course, record, issue, key, {**base, **names})
            if issue is not None and issue.state == "opened":  # a renewal under way
                events += _waiting(issue, key, labels, {**base, **names})
        elif issue is not None and issue.state == "opened":
            events += _waiting(issue, key, labels, {**base, **names})
    if awarded and all(c.id in awarded for c in who.path.courses):
        key = f"{who.username.lower()}:{who.program.id}:{who.path.id}"
        url = state.epic.web_url if state.epic else ""
        events.append(Event("path", f"path:{key}", max(times), **base, url=url))
    return events


def _award(
    course: Course, record: LearnerRecord | None, key: str, at: str, fields: dict[str, str]
) -> Event:
    """The course's latest award: the first keeps its old id; the n-th renewal (a new day in
    the record's `awarded_on`) is an event of its own, `cycle` saying which."""
    done = len(expiry.recorded_days(course, record)) - 1
    if done <= 0:
        return Event("award", f"award:{key}", at, **fields)
    return Event("award", f"award:{key}:renewal-{done}", at, **fields, cycle=str(done))


def _expiring(
    course: Course,
    record: LearnerRecord | None,
    issue: Issue | None,
    key: str,
    fields: dict[str, str],
) -> list[Event]:
    """A badge whose renewal the tool opened (the record binds the course to the cycle): once
    per cycle, whether it is renewed in time or expires unrenewed (docs/notifications.md)."""
    cycle = record.renewing.get(course.id) if record else None
    days = expiry.recorded_days(course, record)
    if not cycle or issue is None or course.validity is None or not days:
        return []
    until = course.validity.term(days[-1]).valid_until.isoformat()
    at = issue.created_at or issue.updated_at
    # per award (the n-th date on record), not per cycle name: rolling terms can name two
    # cycles alike (due 2027-07-04 and 2027-12-06 are both 2027-H2)
    event_id = f"expiring:{key}:award-{len(days)}"
    return [Event("expiring", event_id, at, **fields, cycle=cycle, until=until)]


def _waiting(issue: Issue, key: str, labels: Labels, fields: dict[str, str]) -> list[Event]:
    """An open course issue: waiting for assessment (once per issue), a failing verdict the
    learner was told of (once per verdict label and issue)."""
    found = []
    if labels.assessment in issue.labels:
        found.append(
            Event("assessment", f"assessment:{key}:{issue.id}", issue.updated_at, **fields)
        )
    if labels.retake in issue.labels:
        for verdict in (labels.exam_failed, labels.practical_changes_requested):
            if verdict in issue.labels:
                found.append(
                    Event(
                        "failed",
                        f"failed:{key}:{issue.id}:{verdict}",
                        issue.updated_at,
                        verdict=verdict,
                        **fields,
                    )
                )
    return found
