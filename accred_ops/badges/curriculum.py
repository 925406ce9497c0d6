"""The badges a curriculum defines, with the words a verifier reads: name, description, criteria.

One badge per course and one per learning path. The criteria are written from the course
itself (its objectives, whether it has an exam and a practical), so that a badge shown to an
employer says what its holder demonstrated, and changes when the curriculum does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accred_ops.badges.layout import badge_stem
from accred_ops.badges.model import Award
from accred_ops.core.model import Competency, Course, LearningPath, Program


@dataclass(frozen=True)
class Badge:
    """A BadgeClass (OB 2.0) / Achievement (OB 3.0): what a course or path badge stands for."""

    program: Program
    path: LearningPath
    course: Course | None  # None = the path badge

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.program.id, self.path.id, self.course.id if self.course else "")

    @property
    def stem(self) -> str:
        return badge_stem(self.program.id, self.path.id, self.course.id if self.course else None)

    @property
    def name(self) -> str:
        if self.course is None:
            return f"{self.program.title}: {self.path.title}"
        return self.course.badge_name or f"{self.program.title}: {self.course.title}"

    @property
    def title(self) -> str:
        """The short title drawn on the image."""
        return self.course.title if self.course else self.path.title

    @property
    def description(self) -> str:
        if self.course is None:
            return (
                f"Accreditation for completing every course of the {self.path.title} "
                f"learning path of the {self.program.title}."
            )
        return (
            f"Awarded for completing the course {self.course.title}, part of the "
            f"{self.path.title} learning path of the {self.program.title}."
        )

    @property
    def criteria(self) -> str:
        """A Markdown narrative: what the holder had to show, as the curriculum says it."""
        if self.course is None:
            lines = [f"Earn the badge of every course of the *{md(self.path.title)}* path:", ""]
            lines += [f"- {md(course.badge_name or course.title)}" for course in self.path.courses]
            return "\n".join(lines)
        course = self.course
        lines = [f"Complete the course *{md(course.title)}*", ""]
        if course.url:
            lines[0] = f"Complete the course [{md(course.title)}]({course.url})"
        lines[0] += " and demonstrate every learning objective:"
        lines += [f"{n}. {md(objective)}" for n, objective in enumerate(course.objectives, 1)]
        checks = []
        if course.exam:
            checks.append("pass a written exam")
        if course.practical:
            checks.append("have a practical assessment approved")
        if checks:
            lines += [
                "",
                f"Then {' and '.join(checks)}. Verdicts are recorded on the learner's "
                "course issue in GitLab by an assessor, who is never the learner.",
            ]
        return "\n".join(lines)

    @property
    def competencies(self) -> list[Competency]:
        """What the badge aligns to: the course's competencies; a path badge, its courses'."""
        courses = [self.course] if self.course else list(self.path.courses)
        wanted = {ref for course in courses for ref in course.competencies}
        return [c for c in self.program.competencies if c.id in wanted]

    @property
    def tags(self) -> list[str]:
        return [self.program.id, self.path.id] + ([self.course.id] if self.course else [])


def md(text: str) -> str:
    """Curriculum text as literal Markdown: the characters that would format it are escaped."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def badges_of(programs: Sequence[Program], awards: Iterable[Award]) -> list[Badge]:
    """Every badge of every program, in curriculum order (path badge first, then courses).

    A badge an award refers to but the curriculum no longer has (a course since removed) is
    kept, from the award's own copy, so that no published assertion points at nothing.
    """
    found: dict[tuple[str, str, str], Badge] = {}
    for program in sorted(programs, key=lambda p: p.id):
        for path in program.paths:
            for course in (None, *path.courses):
                badge = Badge(program, path, course)
                found.setdefault(badge.key, badge)
    leftovers = {}
    for award in awards:
        badge = Badge(award.program, award.path, award.course)
        if badge.key not in found:
            leftovers.setdefault(badge.key, badge)
    return list(found.values()) + [leftovers[key] for key in sorted(leftovers)]
