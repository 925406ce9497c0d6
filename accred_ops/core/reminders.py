"""Reminders: who to nudge about a course issue that has gone quiet, and why. Pure.

"Quiet" is GitLab's own `updated_at`: every tick, label, comment or edit moves it, so nothing
has to be read beyond the issue listing a sync makes anyway. A reminder is a comment and so
moves it too, which is what keeps reminders apart: an issue is reminded about only once it
has been quiet for `repeat_every_days` (and, unless it is overdue, for the longer limit of its
stage again). The clock is passed in, never read here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from accred_ops.core.model import Reminders
from accred_ops.core.progress import Stage
from accred_ops.core.state import Issue

LEARNERS_TURN = (Stage.ENROLLED, Stage.IN_PROGRESS)  # stages where the next step is the learner's


class Audience(StrEnum):
    LEARNER = "learner"
    ASSESSORS = "assessors"


@dataclass(frozen=True)
class Reminder:
    to: Audience
    reason: str  # completes "This course …", e.g. "was due on 2026-12-15"
    quiet_days: int


def quiet_days(issue: Issue, now: dt.datetime) -> int | None:
    """Whole days since the issue last changed (None when GitLab gave no time)."""
    if not issue.updated_at:
        return None
    changed = dt.datetime.fromisoformat(issue.updated_at.replace("Z", "+00:00"))
    return (now - changed).days


def reminder_for(issue: Issue, stage: Stage, rules: Reminders, now: dt.datetime) -> Reminder | None:
    """The reminder this open, unawarded issue is due, if any.

    The learner hears about an issue that is overdue or has been quiet for
    `stalled_after_days`; the assessors about one that has waited `assessment_after_days` in
    assessment (then the ball is theirs, so the learner is left alone).
    """
    quiet = quiet_days(issue, now)
    if issue.state != "opened" or quiet is None or quiet < rules.repeat_every_days:
        return None
    if stage is Stage.ASSESSMENT:
        if quiet >= rules.assessment_after_days:
            return Reminder(Audience.ASSESSORS, f"has waited {quiet} days for assessment", quiet)
        return None
    if stage not in LEARNERS_TURN:
        return None
    if issue.due_date and dt.date.fromisoformat(issue.due_date) < now.date():
        return Reminder(Audience.LEARNER, f"was due on {issue.due_date}", quiet)
    if quiet >= rules.stalled_after_days:
        return Reminder(Audience.LEARNER, f"has had no activity for {quiet} days", quiet)
    return None
