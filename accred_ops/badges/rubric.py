"""A rubric's practical in the badge files: the Open Badges 3.0 achievement's
`resultDescription` (one per criterion, `resultType` RubricCriterionLevel, every level of the
scale as a RubricCriterionLevel) and the credential's `result` (each criterion's achieved
level, linked to its description by id); for Open Badges 2.0, the words of the evidence."""

from __future__ import annotations

from typing import Any

from accred_ops.badges.model import Award
from accred_ops.core.model import Course
from accred_ops.core.rubric import Rubric

Json = dict[str, Any]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _description_id(achievement_id: str, criterion: str) -> str:
    return f"{achievement_id}#criterion-{criterion}"


def _level_id(achievement_id: str, criterion: str, score: int) -> str:
    return f"{_description_id(achievement_id, criterion)}-level-{score}"


def _whole(rubric: Rubric, score: float) -> int:
    return min(rubric.scale_max, max(rubric.scale_min, int(score + 0.5)))


def result_descriptions(achievement_id: str, course: Course | None) -> list[Json]:
    """Each criterion as a ResultDescription whose levels are the rubric's scale, low to high."""
    rubric = course.rubric if course else None
    if rubric is None:
        return []
    named = dict(rubric.levels)
    found = []
    for criterion in rubric.criteria:
        doc: Json = {
            "id": _description_id(achievement_id, criterion.id),
            "type": ["ResultDescription"],
            "name": criterion.title,
            "resultType": "RubricCriterionLevel",
            "rubricCriterionLevel": [
                {
                    "id": _level_id(achievement_id, criterion.id, score),
                    "type": ["RubricCriterionLevel"],
                    "name": named.get(score, str(score)),
                    "points": str(score),
                    **({"level": named[score]} if score in named else {}),
                }
                for score in range(rubric.scale_min, rubric.scale_max + 1)
            ],
        }
        if criterion.description:
            doc["description"] = criterion.description
        if rubric.each_at_least is not None:
            doc["requiredLevel"] = _level_id(achievement_id, criterion.id, rubric.each_at_least)
        found.append(doc)
    return found


def results(achievement_id: str, award: Award) -> list[Json]:
    """Each criterion's result: the level its score reaches (rounded half up), and the score."""
    rubric = award.course.rubric if award.course else None
    if rubric is None or not award.results:
        return []
    scores = dict(award.results)
    return [
        {
            "type": ["Result"],
            "resultDescription": _description_id(achievement_id, c.id),
            "achievedLevel": _level_id(achievement_id, c.id, _whole(rubric, scores[c.id])),
            "value": _number(scores[c.id]),
        }
        for c in rubric.criteria
        if c.id in scores
    ]


def narrative(award: Award) -> str:
    """The results in words, for the Open Badges 2.0 evidence (empty without a rubric)."""
    rubric = award.course.rubric if award.course else None
    if rubric is None or not award.results:
        return ""
    scores = dict(award.results)
    parts = []
    for c in rubric.criteria:
        if c.id in scores:
            level = rubric.level_words(scores[c.id])
            named = f"level {level}" if level.isdigit() else level
            parts.append(f"{c.title} {_number(scores[c.id])} of {rubric.scale_max} ({named})")
    return f" Practical scored against its rubric: {'; '.join(parts)}."
