"""`exam: {pass_mark, max_attempts, retake_after_days}` and `practical: {after_exam}` in a course:
read and checked here, so that the curriculum loader only hands each course's mapping over.

`pass_mark` is a percentage; with it, the exam's verdicts come from imported scores
(`scores import`, the `scores/` folder) as well as from assessors. `max_attempts` and
`retake_after_days` only mean something with a pass mark. `practical.after_exam` needs an exam.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from accred_ops.core.model import ExamRules, Program
from accred_ops.errors import Problem
from accred_ops.files.schema import Bool, Int, Key
from accred_ops.files.yamlfile import KeyPath, YamlDoc

EXAM_KEYS = {
    "pass_mark": Key(Int(1, 100)),
    "max_attempts": Key(Int(1, 100)),
    "retake_after_days": Key(Int(0, 365)),
}
PRACTICAL_KEYS = {"after_exam": Key(Bool())}


def exam_rules(exam: Any) -> ExamRules | None:
    """The course's exam rules (schema-checked already), or None without a pass mark."""
    if not isinstance(exam, dict) or exam.get("pass_mark") is None:
        return None
    return ExamRules(exam["pass_mark"], exam.get("max_attempts"), exam.get("retake_after_days"))


def practical_after_exam(practical: Any) -> bool:
    return isinstance(practical, dict) and practical.get("after_exam") is True


def with_settings(program: Program, data: dict[str, Any]) -> Program:
    """The program's courses with the exam rules and practical setting their mapping gives
    (`data`: the schema-checked curriculum file, courses in the same order)."""
    paths = []
    for path, raw in zip(program.paths, data["learning_paths"], strict=True):
        courses = tuple(
            dataclasses.replace(
                course,
                exam_rules=exam_rules(c.get("exam")),
                practical_after_exam=practical_after_exam(c.get("practical")),
            )
            for course, c in zip(path.courses, raw["courses"], strict=True)
        )
        paths.append(dataclasses.replace(path, courses=courses))
    return dataclasses.replace(program, paths=tuple(paths))


def check(doc: YamlDoc, here: KeyPath, course: dict[str, Any]) -> list[Problem]:
    """What the schema cannot say: attempts rules need a pass mark; after_exam needs an exam."""
    problems = []
    exam, practical = course.get("exam", True), course.get("practical", True)
    if isinstance(exam, dict) and "pass_mark" not in exam:
        for key in ("max_attempts", "retake_after_days"):
            if key in exam:
                problems.append(
                    doc.problem(
                        (*here, "exam", key),
                        f"'{key}' needs 'pass_mark' (attempts are counted from imported scores)",
                    )
                )
    if practical_after_exam(practical) and exam is False:
        problems.append(
            doc.problem(
                (*here, "practical", "after_exam"),
                "'after_exam' needs an exam: this course has 'exam: false'",
            )
        )
    return problems
