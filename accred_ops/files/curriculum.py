"""curriculum/: the programs, their learning paths, courses and competencies.

Each file is checked against `PROGRAM_SCHEMA`, then against what a schema cannot say (ids used
once, objectives distinct and one line each, instructions one paragraph, competencies known);
`files/load.py` reads the files and hands them here.
"""

from __future__ import annotations

from typing import Any

from accred_ops.core.model import (
    EXAM_ITEM,
    PRACTICAL_ITEM,
    Competency,
    Config,
    Course,
    LearningPath,
    Program,
)
from accred_ops.errors import Problem
from accred_ops.files import exam_settings
from accred_ops.files import rubric as rubrics
from accred_ops.files.fields import SLUG_STR, TEXT_STR, URL_STR
from accred_ops.files.schema import Bool, Either, Key, ListOf, Map, Str
from accred_ops.files.validity import (
    RENEWAL_SCHEMA,
    VALIDITY_SCHEMA,
    BadgeSchema,
    course_terms,
    program_validity,
)
from accred_ops.files.yamlfile import KeyPath, YamlDoc

# Text from the curriculum shown in issues: one line, bounded (checked in _one_line too).
_line = Str(what="one line of text", max_len=500)
_instructions = Str(what="instructions", max_len=2000)

COURSE_SCHEMA = Map(
    {
        "id": Key(SLUG_STR, required=True),
        "title": Key(TEXT_STR, required=True),
        "url": Key(URL_STR),
        "objectives": Key(
            ListOf(Str(what="learning objective", max_len=500), min_items=1), required=True
        ),
        # true/false, or where and how: {url, instructions} / {instructions} (then required)
        "exam": Key(
            Either(
                [
                    (
                        lambda v: isinstance(v, dict),
                        Map(
                            {
                                "url": Key(URL_STR),
                                "instructions": Key(_instructions),
                                **exam_settings.EXAM_KEYS,
                            }
                        ),
                    ),
                    (lambda v: True, Bool()),
                ]
            )
        ),
        "practical": Key(
            Either(
                [
                    (
                        lambda v: isinstance(v, dict),
                        Map(
                            {
                                "instructions": Key(_instructions),
                                "rubric": Key(Either(list(rubrics.REF_OR_RUBRIC))),
                                **exam_settings.PRACTICAL_KEYS,
                            }
                        ),
                    ),
                    (lambda v: True, Bool()),
                ]
            )
        ),
        "badge": Key(BadgeSchema()),
        "renewal": Key(RENEWAL_SCHEMA),
        "competencies": Key(ListOf(SLUG_STR, max_items=100)),
    }
)

COMPETENCY_SCHEMA = Map(
    {
        "id": Key(SLUG_STR, required=True),
        "name": Key(_line, required=True),
        "url": Key(URL_STR, required=True),
        "framework": Key(_line),
    }
)

PROGRAM_SCHEMA = Map(
    {
        "id": Key(SLUG_STR, required=True),
        "title": Key(TEXT_STR, required=True),
        "competency_framework": Key(
            Map({"name": Key(_line, required=True), "url": Key(URL_STR, required=True)})
        ),
        "competencies": Key(ListOf(COMPETENCY_SCHEMA, max_items=1000)),
        "validity": Key(VALIDITY_SCHEMA),
        "rubrics": Key(rubrics.RUBRICS_SCHEMA),
        "learning_paths": Key(
            ListOf(
                Map(
                    {
                        "id": Key(SLUG_STR, required=True),
                        "title": Key(TEXT_STR, required=True),
                        "courses": Key(ListOf(COURSE_SCHEMA, min_items=1), required=True),
                    }
                ),
                min_items=1,
            ),
            required=True,
        ),
    }
)


def load_programs(
    docs: list[YamlDoc], config: Config, problems: list[Problem], warnings: list[str]
) -> tuple[dict[str, tuple[Program, YamlDoc]], set[str]]:
    """The curriculum's programs (each with its file) and the ids of those whose file has
    problems; problems are added to `problems`."""
    programs: dict[str, tuple[Program, YamlDoc]] = {}
    broken: set[str] = set()  # programs whose file has problems: cohorts naming them are not blamed
    for doc in docs:
        found = PROGRAM_SCHEMA.check(doc, doc.data, ())
        problems += found
        if found and isinstance(doc.data, dict):
            broken.add(str(doc.data.get("id")))
        if not found:
            program = exam_settings.with_settings(_program(doc, problems, warnings), doc.data)
            program = rubrics.attach(doc, program, config.assessors.moderators, problems)
            if program.id in programs:
                other = programs[program.id][1]
                problems.append(
                    doc.problem(
                        ("id",), f"program id '{program.id}' is already used in {other.file}"
                    )
                )
            programs[program.id] = (program, doc)
    return programs, broken


def _program(doc: YamlDoc, problems: list[Problem], warnings: list[str]) -> Program:
    data = doc.data
    framework, competencies = _competencies(doc, problems)
    known = {c.id for c in competencies}
    validity, found = program_validity(doc)
    problems += found
    paths = []
    course_ids: set[str] = set()
    path_ids: set[str] = set()
    for p_index, p in enumerate(data["learning_paths"]):
        if p["id"] in path_ids:
            problems.append(
                doc.problem(("learning_paths", p_index, "id"), f"duplicate path id '{p['id']}'")
            )
        path_ids.add(p["id"])
        courses = []
        for c_index, c in enumerate(p["courses"]):
            here = ("learning_paths", p_index, "courses", c_index)
            if c["id"] in course_ids:
                problems.append(doc.problem((*here, "id"), f"duplicate course id '{c['id']}'"))
            course_ids.add(c["id"])
            problems += _check_objectives(doc, here, c["objectives"])
            problems += _check_text(doc, here, c)
            problems += _check_competency_refs(doc, here, c, known)
            exam, practical = c.get("exam", True), c.get("practical", True)
            warnings += _no_assessor(doc, here, c["id"], exam, practical)
            terms = course_terms(doc, here, c, validity, problems)
            courses.append(
                Course(
                    id=c["id"],
                    title=c["title"],
                    objectives=tuple(o.strip() for o in c["objectives"]),
                    exam=exam is not False,
                    practical=practical is not False,
                    url=c.get("url"),
                    badge_name=(c.get("badge") or {}).get("name")
                    or f"{data['title']}: {c['title']}",
                    exam_url=_detail(exam, "url"),
                    exam_instructions=_detail(exam, "instructions"),
                    practical_instructions=_detail(practical, "instructions"),
                    competencies=tuple(c.get("competencies") or ()),
                    **terms,
                )
            )
        paths.append(LearningPath(p["id"], p["title"], tuple(courses)))
    return Program(data["id"], data["title"], tuple(paths), competencies, framework)


def _check_competency_refs(
    doc: YamlDoc, here: KeyPath, course: dict[str, Any], known: set[str]
) -> list[Problem]:
    return [
        doc.problem(
            (*here, "competencies", index),
            f"no competency '{ref}' in this program (known: {', '.join(sorted(known)) or 'none'})",
        )
        for index, ref in enumerate(course.get("competencies") or ())
        if ref not in known
    ]


def _no_assessor(
    doc: YamlDoc, here: KeyPath, course_id: str, exam: Any, practical: Any
) -> list[str]:
    """`exam: false` with `practical: false` is allowed (the badge follows the ticks alone), but
    the ticks are the learner's own word: every command that loads the files says so, where."""
    if exam is not False or practical is not False:
        return []
    return [
        f"{doc.problem(here, '')}warning: course '{course_id}' has neither exam nor practical: "
        "its badge needs no assessor (the learner's ticks alone award it)"
    ]


def _detail(value: Any, key: str) -> str | None:
    """`exam: {url, instructions}` / `practical: {instructions}`: one field, trimmed."""
    found = value.get(key) if isinstance(value, dict) else None
    return found.strip() if isinstance(found, str) else None


def _check_text(doc: YamlDoc, here: tuple[str | int, ...], course: dict[str, Any]) -> list[Problem]:
    """Instructions are shown in the course issue: one paragraph, never a line of its own that
    could start a quick action (the `md` filter escapes the rest)."""
    problems = []
    for kind in ("exam", "practical"):
        value = course.get(kind)
        text = value.get("instructions") if isinstance(value, dict) else None
        if isinstance(text, str) and "\n" in text.strip():
            problems.append(
                doc.problem((*here, kind, "instructions"), "instructions must be one paragraph")
            )
    return problems + exam_settings.check(doc, here, course)


def _competencies(
    doc: YamlDoc, problems: list[Problem]
) -> tuple[Competency | None, tuple[Competency, ...]]:
    """The program's competency framework and competencies; a competency's framework defaults
    to the program's."""
    data = doc.data
    declared = data.get("competency_framework")
    framework = Competency("", declared["name"].strip(), declared["url"]) if declared else None
    found: list[Competency] = []
    for index, item in enumerate(data.get("competencies") or ()):
        if any(c.id == item["id"] for c in found):
            problems.append(
                doc.problem(
                    ("competencies", index, "id"), f"duplicate competency id '{item['id']}'"
                )
            )
            continue
        for key in ("name", "framework"):
            if "\n" in str(item.get(key, "")).strip():
                problems.append(
                    doc.problem(("competencies", index, key), f"'{key}' must be one line")
                )
        found.append(
            Competency(
                item["id"],
                item["name"].strip(),
                item["url"],
                (item.get("framework") or (framework.name if framework else "")).strip() or None,
            )
        )
    return framework, tuple(found)


def _check_objectives(
    doc: YamlDoc, here: tuple[str | int, ...], objectives: list[str]
) -> list[Problem]:
    """Objectives become checklist items matched by text, so they must be distinct."""
    from accred_ops.core.checklist import normalize

    seen: set[str] = {normalize(EXAM_ITEM), normalize(PRACTICAL_ITEM)}
    problems = []
    for index, text in enumerate(objectives):
        key = normalize(text)
        if key in seen:
            problems.append(
                doc.problem(
                    (*here, "objectives", index),
                    f"objective {text.strip()!r} is listed twice (or equals a submission item)",
                )
            )
        where = (*here, "objectives", index)
        if "\n" in text.strip():
            problems.append(doc.problem(where, "an objective must be one line"))
        elif where in doc.folded:
            problems.append(
                doc.problem(
                    where,
                    f"this objective runs on to line {doc.folded[where]}, so YAML reads it as "
                    f"one item: {text.strip()!r}. If these are separate objectives, start each "
                    "line with '- ' in the same column as the first; if it is one long "
                    "objective, keep it on one line",
                )
            )
        seen.add(key)
    return problems
