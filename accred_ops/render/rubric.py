"""The texts of a rubric's practical (core/judging.py): the scoring form, the tally, the call
for a moderator, the reply to a malformed form, the results in the award comment. A mixin of
`render.Texts`, kept apart so the renderer's class stays small."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accred_ops.core.model import Course
from accred_ops.core.rubric import Rubric, ScoreSheet, Tally, average, passes
from accred_ops.core.scoring import form_text
from accred_ops.render.markdown import Safe, name


@dataclass(frozen=True)
class ResultRow:
    """One criterion as a comment's table shows it (the template escapes the text)."""

    id: str
    title: str
    scores: tuple[str, ...]
    result: str
    level: str


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def result_rows(
    rubric: Rubric, scores: dict[str, float], sheets: Sequence[ScoreSheet] = ()
) -> list[ResultRow]:
    return [
        ResultRow(
            c.id,
            c.title,
            tuple(str(s.scores.get(c.id, "")) for s in sheets),
            _number(scores.get(c.id, 0.0)),
            rubric.level_words(scores.get(c.id, 0.0)),
        )
        for c in rubric.criteria
    ]


def _who(names: Sequence[str]) -> str:
    return ", ".join(f"@{name(n)}" for n in names)


class RubricTexts:
    """Methods `render.Texts` gains; `_render` and the filters are the host's."""

    def _render(self, name: str, **context: Any) -> str:  # pragma: no cover - the host's
        raise NotImplementedError

    def scoring_form(self, course: Course) -> str:
        return form_text(course.rubric) if course.rubric else ""

    def _rubric_note(self, template: str, course: Course, note_marker: str, **context: Any) -> str:
        """A rubric's comment: the template filled, the form at hand, the marker last."""
        rubric = course.rubric
        assert rubric is not None
        form = Safe(form_text(rubric))
        body = self._render(template, course=course, rubric=rubric, form=form, **context)
        return body + "\n" + note_marker + "\n" if note_marker else body

    def rubric_tally(
        self,
        course: Course,
        learner: str,
        tally: Tally,
        sheets: Sequence[ScoreSheet],
        superseded: int,
        note_marker: str,
    ) -> str:
        rubric = course.rubric
        assert rubric is not None
        return self._rubric_note(
            "rubric_tally.md.j2",
            course,
            note_marker,
            learner=name(learner),
            passed=tally.passed,
            round=tally.round,
            assessors=Safe(_who([s.who for s in sheets])),
            moderator=name(tally.moderator) if tally.moderator else None,
            rows=result_rows(rubric, tally.scores, sheets),
            sheet_verdicts=[
                (name(s.who), "passes" if passes(rubric, s.scores) else "fails") for s in sheets
            ],
            average=_number(average(tally.scores)),
            average_level=rubric.level_words(average(tally.scores)),
            rule=rubric.rule_text(),
            superseded=superseded,
        )

    def rubric_moderation(
        self,
        course: Course,
        learner: str,
        moderators: Sequence[str],
        reason: str,
        sheets: Sequence[ScoreSheet],
        note_marker: str,
    ) -> str:
        assert course.rubric is not None
        return self._rubric_note(
            "rubric_moderation.md.j2",
            course,
            note_marker,
            learner=name(learner),
            moderators=Safe(" ".join(f"@{name(m)}" for m in moderators) or "Moderators"),
            reason=reason,
            assessors=Safe(_who([s.who for s in sheets])),
            rows=result_rows(course.rubric, {}, sheets),
        )

    def rubric_form_problem(
        self, course: Course, author: str, problems: Sequence[str], note_marker: str
    ) -> str:
        assert course.rubric is not None
        scale = f"{course.rubric.scale_min} to {course.rubric.scale_max}"
        return self._rubric_note(
            "rubric_form_problem.md.j2",
            course,
            note_marker,
            author=name(author),
            problems=problems,
            scale=scale,
        )

    def rubric_results(self, course: Course, tally: Tally) -> str:
        assert course.rubric is not None
        return self._rubric_note(
            "rubric_results.md.j2",
            course,
            "",
            rows=result_rows(course.rubric, tally.scores),
            by=Safe(_who([w for w in tally.by if w != tally.moderator])),
            moderator=name(tally.moderator) if tally.moderator else None,
            rule=course.rubric.rule_text(),
        )

    def rubric_next(
        self, course: Course, learner: str, chosen: str, scored: int, note_marker: str
    ) -> str:
        return self._rubric_note(
            "rubric_next.md.j2",
            course,
            note_marker,
            learner=name(learner),
            chosen=name(chosen),
            scored=scored,
        )

    def rubric_label_refused(self, course: Course, label: str, actor: str, note_marker: str) -> str:
        return self._rubric_note(
            "rubric_label_refused.md.j2",
            course,
            note_marker,
            actor=name(actor),
            label=Safe(label),  # a label name accred.yml gives (validated: no quote)
        )
