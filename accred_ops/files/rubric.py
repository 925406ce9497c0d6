"""Rubrics in the curriculum: `practical: {rubric: {...}}` in a course, or declared once in a
program's `rubrics: {id: {...}}` and named by id (`rubric: sales-call`). Schema, the checks a
schema cannot say (the scale, the pass rule some score must meet, a moderator for several
assessors), each with its file:line, and the core's `Rubric`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from accred_ops.core.model import LearningPath, Program
from accred_ops.core.rubric import Criterion, Rubric, unmeetable
from accred_ops.errors import Problem
from accred_ops.files.schema import SLUG, Bool, Int, Key, ListOf, Map, Schema, Str
from accred_ops.files.yamlfile import KeyPath, YamlDoc

_slug = Str(SLUG, "lowercase slug like 'my-id'", 100)
_line = Str(what="one line of text", max_len=200)


class _Number(Schema):
    """A number (whole or decimal) from `low` to `high`."""

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and self.low <= value <= self.high:
            return []
        return [
            doc.problem(path, f"must be a number from {self.low} to {self.high}, got {value!r}")
        ]


class _Levels(Schema):
    """`labels: {1: Basic, 3: Proficient}`: whole-number keys, one-line names."""

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if not isinstance(value, dict):
            return [doc.problem(path, "'labels' must be a mapping like {1: Basic, 5: Advanced}")]
        problems = []
        for key, name in value.items():
            if not str(key).isdigit() or isinstance(key, bool):
                problems.append(doc.problem((*path, key), f"level {key!r} must be a whole number"))
            else:
                problems += _line.check(doc, name, (*path, key))
        return problems


class _Named(Schema):
    """`rubrics: {sales-call: {...}}`: slug keys, each value checked by `item`."""

    def __init__(self, item: Schema) -> None:
        self.item = item

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if not isinstance(value, dict):
            return [doc.problem(path, "'rubrics' must be a mapping of rubric id to rubric")]
        problems = []
        for key, item in value.items():
            problems += _slug.check(doc, key, (*path, key)) if isinstance(key, str) else []
            problems += self.item.check(doc, item, (*path, key))
        return problems


RUBRIC_SCHEMA = Map(
    {
        "criteria": Key(
            ListOf(
                Map(
                    {
                        "id": Key(_slug, required=True),
                        "title": Key(_line, required=True),
                        "description": Key(Str(what="description", max_len=1000)),
                    }
                ),
                min_items=1,
                max_items=30,
            ),
            required=True,
        ),
        "scale": Key(
            Map(
                {
                    "min": Key(Int(0, 100), required=True),
                    "max": Key(Int(1, 100), required=True),
                    "labels": Key(_Levels()),
                }
            ),
            required=True,
        ),
        "pass": Key(
            Map({"each_at_least": Key(Int(0, 100)), "average_at_least": Key(_Number(0, 100))}),
            required=True,
        ),
        "assessors": Key(Int(1, 10)),
        "max_spread": Key(Int(0, 100)),
        "exclude_manager": Key(Bool()),
    }
)
RUBRICS_SCHEMA = _Named(RUBRIC_SCHEMA)
# what `practical: {rubric: ...}` holds: a rubric, or the id of one of the program's `rubrics`
REF_OR_RUBRIC = (
    (lambda v: isinstance(v, dict), RUBRIC_SCHEMA),
    (lambda v: True, _slug),
)


def build(rubric_id: str, data: dict[str, Any]) -> Rubric:
    scale, rule = data["scale"], data["pass"]
    return Rubric(
        id=rubric_id,
        criteria=tuple(
            Criterion(c["id"], c["title"].strip(), (c.get("description") or "").strip())
            for c in data["criteria"]
        ),
        scale_min=scale["min"],
        scale_max=scale["max"],
        levels=tuple(
            sorted((int(k), str(v).strip()) for k, v in (scale.get("labels") or {}).items())
        ),
        each_at_least=rule.get("each_at_least"),
        average_at_least=rule.get("average_at_least"),
        assessors=data.get("assessors", 1),
        max_spread=data.get("max_spread"),
        exclude_manager=bool(data.get("exclude_manager", False)),
    )


def check(
    doc: YamlDoc, here: KeyPath, rubric: Rubric, moderators: tuple[str, ...]
) -> list[Problem]:
    """What a schema cannot say: the scale runs upwards, levels and thresholds lie on it, some
    score can pass, criteria are distinct, and several assessors have a moderator."""
    problems = []
    if rubric.scale_min >= rubric.scale_max:
        problems.append(doc.problem((*here, "scale"), "'min' must be below 'max'"))
        return problems
    on_scale = range(rubric.scale_min, rubric.scale_max + 1)
    for level, _ in rubric.levels:
        if level not in on_scale:
            where = (*here, "scale", "labels", level)
            problems.append(doc.problem(where, f"level {level} is off the scale"))
    for key, value in (
        ("each_at_least", rubric.each_at_least),
        ("average_at_least", rubric.average_at_least),
    ):
        if value is not None and not rubric.scale_min <= value <= rubric.scale_max:
            where = (*here, "pass", key)
            problems.append(
                doc.problem(
                    where, f"{value} is off the scale ({rubric.scale_min} to {rubric.scale_max})"
                )
            )
    reason = unmeetable(rubric)
    if reason and not problems:
        problems.append(doc.problem((*here, "pass"), reason))
    seen: set[str] = set()
    for index, criterion in enumerate(rubric.criteria):
        if criterion.id in seen:
            where = (*here, "criteria", index, "id")
            problems.append(doc.problem(where, f"duplicate criterion id '{criterion.id}'"))
        seen.add(criterion.id)
    if rubric.assessors > 1 and not moderators:
        problems.append(
            doc.problem(
                (*here, "assessors"),
                f"{rubric.assessors} assessors may disagree: name who settles it in accred.yml "
                "(assessors.moderators)",
            )
        )
    return problems


def program_rubrics(
    doc: YamlDoc, moderators: tuple[str, ...], problems: list[Problem]
) -> dict[str, Rubric]:
    """The rubrics a program declares at its top level, checked."""
    found = {}
    for rubric_id, data in (doc.data.get("rubrics") or {}).items():
        rubric = build(rubric_id, data)
        problems += check(doc, ("rubrics", rubric_id), rubric, moderators)
        found[rubric_id] = rubric
    return found


def course_rubric(
    doc: YamlDoc,
    here: KeyPath,
    course_id: str,
    practical: Any,
    known: dict[str, Rubric],
    moderators: tuple[str, ...],
    problems: list[Problem],
) -> Rubric | None:
    """The course's rubric (its own, or the program's one it names), or None."""
    value = practical.get("rubric") if isinstance(practical, dict) else None
    where = (*here, "practical", "rubric")
    if value is None:
        return None
    if isinstance(value, str):
        if value not in known:
            names = ", ".join(sorted(known)) or "none"
            problems.append(
                doc.problem(
                    where, f"no rubric '{value}' in this program's rubrics (known: {names})"
                )
            )
        return known.get(value)
    rubric = build(course_id, value)
    problems += check(doc, where, rubric, moderators)
    return rubric


def attach(
    doc: YamlDoc, program: Program, moderators: tuple[str, ...], problems: list[Problem]
) -> Program:
    """The program with each course's rubric, every rubric checked where it is written."""
    declared = program_rubrics(doc, moderators, problems)
    paths = []
    for p_index, p in enumerate(doc.data["learning_paths"]):
        courses = []
        for c_index, c in enumerate(p["courses"]):
            here = ("learning_paths", p_index, "courses", c_index)
            found = course_rubric(
                doc, here, c["id"], c.get("practical"), declared, moderators, problems
            )
            course = program.paths[p_index].courses[c_index]
            courses.append(dataclasses.replace(course, rubric=found) if found else course)
        path = program.paths[p_index]
        paths.append(LearningPath(path.id, path.title, tuple(courses)))
    return dataclasses.replace(program, paths=tuple(paths))
