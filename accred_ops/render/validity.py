"""The texts of badges that expire: the renewal course issue and the line under an award
comment that says until when. A part of `render.Texts` (its templates, its escaping)."""

from __future__ import annotations

import dataclasses
from typing import Any

from accred_ops.core import renewal
from accred_ops.core.model import Cohort, Course, LearningPath, Program
from accred_ops.core.validity import Term


class ValidityTexts:
    """Mixed into `render.Texts`, whose `_render` and `course_issue` these use."""

    def _render(self, name: str, **context: Any) -> str:
        raise NotImplementedError

    def course_issue(
        self, program: Program, path: LearningPath, course: Course, cohort: Cohort, learner: str
    ) -> str:
        raise NotImplementedError

    def renewal_issue(
        self,
        program: Program,
        path: LearningPath,
        course: Course,
        cohort: Cohort,
        learner: str,
        cycle: str,
        term: Term,
    ) -> str:
        """A renewal course issue: the course issue's own words with what the renewal asks
        (core/renewal.py `view`), under a line naming the cycle and the badge's last day."""
        asked = renewal.view(course)
        courses = tuple(asked if c is course else c for c in path.courses)
        head = self._render(
            "renewal_issue.md.j2",
            course=course,
            cycle=cycle,
            until=term.valid_until.isoformat(),
        )
        undated = dataclasses.replace(cohort, start=None, weeks_per_course=None)
        body = self.course_issue(
            program, dataclasses.replace(path, courses=courses), asked, undated, learner
        )
        return head + "\n" + body

    def renewal_days_left(self, days: int) -> str:
        """The line a reminder on a renewal starts with: how many days the badge has left."""
        return self._render("renewal_days_left.md.j2", days=days) + "\n"

    def award_validity(self, course: Course, term: Term) -> str:
        """The line under an award comment of a badge that expires: until when it is valid."""
        return "\n" + self._render(
            "award_validity.md.j2",
            course=course,
            until=term.valid_until.isoformat(),
            opens=term.renewal_opens.isoformat(),
            cycle=term.cycle(),
        )
