"""The plain data an export is made of: who issues, and each award as GitLab recorded it.

The lead's GitLab code reads the awards (issue closed with `accreditation::badge-awarded`,
`accreditation::revoked` with its reason, the verdicts' assessors) and passes them in as
these frozen values, so the badges package never talks to GitLab and is tested offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accred_ops.core.model import Course, LearningPath, Program


@dataclass(frozen=True)
class Issuer:
    """The organisation that vouches for every badge (the Open Badges issuer profile)."""

    name: str
    url: str
    email: str | None = None  # Open Badges 2.0 validators require one on the issuer profile


@dataclass(frozen=True)
class Award:
    """One badge given to one learner: a course badge, or the path badge when `course` is None."""

    learner: str  # GitLab username
    profile_url: str  # the learner's GitLab profile URL (the recipient identity by default)
    email: str | None  # from a roster, when known (then the identity is the email)
    program: Program
    path: LearningPath
    course: Course | None  # None = the path badge
    issued_on: datetime  # the award time (naive values are taken as UTC)
    evidence_url: str  # the course issue (or epic) URL
    assessors: tuple[str, ...]  # usernames whose verdicts it rests on
    revoked: bool = False
    revocation_reason: str | None = None
    # A badge that expires: the first moment it is no longer valid (OB 3.0 validUntil, OB 2.0
    # expires), and which award of the badge this is (0: the first, n: the n-th renewal).
    valid_until: datetime | None = None
    cycle: int = 0
    results: tuple[tuple[str, float], ...] = ()  # a rubric's practical: criterion id, score
    score: float | None = None  # the imported exam score (a percentage) the exam pass rests on

    @property
    def key(self) -> tuple[str, ...]:
        """What makes an award the same award across exports: learner, program, path, course.

        GitLab usernames are unique without regard to case, so the learner is lowercased.
        """
        course = self.course.id if self.course else ""
        base = (self.learner.lower(), self.program.id, self.path.id, course)
        return (*base, f"renewal-{self.cycle}") if self.cycle else base
