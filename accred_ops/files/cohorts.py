"""cohorts/: who learns which path of which program, and when.

Each file is checked against `COHORT_SCHEMA`, then against the curriculum and the other cohorts
(a known program and path, ids and learners once, one open cohort per path); `files/load.py`
reads the files and hands them here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from accred_ops.core.model import Cohort, Learner, Program
from accred_ops.errors import Problem
from accred_ops.files.fields import SLUG_STR, USER_STR
from accred_ops.files.schema import Bool, Date, Either, Int, Key, ListOf, Map, Str
from accred_ops.files.yamlfile import YamlDoc

COHORT_SCHEMA = Map(
    {
        "id": Key(SLUG_STR, required=True),
        "program": Key(SLUG_STR, required=True),
        "path": Key(SLUG_STR, required=True),
        "start": Key(Date()),
        "weeks_per_course": Key(Int(1, 52)),
        "self_enrollment": Key(Bool()),
        "notify_manager": Key(Bool()),
        "learners": Key(
            ListOf(
                Either(
                    [
                        (
                            lambda v: isinstance(v, dict),
                            Map(
                                {
                                    "username": Key(USER_STR, required=True),
                                    "manager": Key(USER_STR),
                                    "email": Key(Str(what="email address")),
                                }
                            ),
                        ),
                        (lambda v: True, USER_STR),
                    ]
                ),
            ),
        ),
    }
)


def load_cohorts(
    docs: list[YamlDoc],
    programs: dict[str, Program],
    broken: set[str],
    unreadable: bool,
    problems: list[Problem],
) -> dict[str, Cohort]:
    """The cohorts by id; problems are added to `problems`. A cohort naming a program whose
    file has problems (`broken`), or an unknown one while some curriculum file did not even
    parse (`unreadable`), is left out unblamed: the real problem is in the curriculum."""
    cohorts: dict[str, Cohort] = {}
    enrolled: dict[tuple[str, str, str], str] = {}
    for doc in docs:
        found = COHORT_SCHEMA.check(doc, doc.data, ())
        problems += found
        if found:
            continue
        cohort = _cohort(doc.data, doc)
        if cohort.program in broken or (unreadable and cohort.program not in programs):
            continue
        problems += _check_cohort(doc, cohort, programs, cohorts, enrolled)
        cohorts[cohort.id] = cohort
    return cohorts


def _cohort(data: dict[str, Any], doc: YamlDoc | None = None) -> Cohort:
    learners = tuple(
        dataclasses.replace(
            Learner(item)
            if isinstance(item, str)
            else Learner(item["username"], item.get("manager"), item.get("email")),
            source=f"{doc.file}:{doc.line(('learners', index))}" if doc else "",
        )
        for index, item in enumerate(data.get("learners") or ())
    )
    return Cohort(
        id=data["id"],
        program=data["program"],
        path=data["path"],
        learners=learners,
        start=data.get("start"),
        weeks_per_course=data.get("weeks_per_course"),
        self_enrollment=data.get("self_enrollment", False),
        notify_manager=data.get("notify_manager", False),
    )


def _check_cohort(
    doc: YamlDoc,
    cohort: Cohort,
    programs: dict[str, Program],
    cohorts: dict[str, Cohort],
    enrolled: dict[tuple[str, str, str], str],
) -> list[Problem]:
    problems = []
    if cohort.id in cohorts:
        problems.append(doc.problem(("id",), f"cohort id '{cohort.id}' is already used"))
    problems += _check_program_path(doc, cohort, programs)
    if not cohort.learners and not cohort.self_enrollment:
        problems.append(
            doc.problem(
                ("learners",) if "learners" in doc.data else (),
                "learners must have 1 to 100000 items, has 0"
                if "learners" in doc.data
                else "missing key 'learners'",
            )
        )
    if cohort.self_enrollment:
        for other in cohorts.values():
            if other.self_enrollment and (other.program, other.path) == (
                cohort.program,
                cohort.path,
            ):
                problems.append(
                    doc.problem(
                        ("self_enrollment",),
                        f"cohort {other.id} is already open to self-enrollment for this path",
                    )
                )
    # An open cohort may give weeks alone: each learner's due dates count from their enrollment.
    weeks_alone = cohort.start is None and cohort.self_enrollment
    if (cohort.start is None) != (cohort.weeks_per_course is None) and not weeks_alone:
        problems.append(
            doc.problem(
                ("start",) if cohort.start else ("id",),
                "give both 'start' and 'weeks_per_course', or neither",
            )
        )
    return problems + _check_learners(doc, cohort, enrolled)


def _check_program_path(
    doc: YamlDoc, cohort: Cohort, programs: dict[str, Program]
) -> list[Problem]:
    """The cohort's program is in the curriculum, and has the cohort's path."""
    problems = []
    program = programs.get(cohort.program)
    if program is None:
        known = ", ".join(sorted(programs)) or "none"
        problems.append(
            doc.problem(
                ("program",), f"no program '{cohort.program}' in the curriculum (known: {known})"
            )
        )
    elif program.path(cohort.path) is None:
        known = ", ".join(p.id for p in program.paths)
        problems.append(
            doc.problem(
                ("path",), f"program '{program.id}' has no path '{cohort.path}' (known: {known})"
            )
        )
    return problems


def _check_learners(
    doc: YamlDoc, cohort: Cohort, enrolled: dict[tuple[str, str, str], str]
) -> list[Problem]:
    """Each learner once in the cohort, and in one cohort only for the same path (`enrolled`
    remembers where each was seen first)."""
    problems = []
    seen: set[str] = set()
    for index, learner in enumerate(cohort.learners):
        name = learner.username.lower()
        where = doc.line(("learners", index))
        if name in seen:
            problems.append(
                doc.problem(("learners", index), f"learner '{learner.username}' is listed twice")
            )
            continue
        seen.add(name)
        key = (name, cohort.program, cohort.path)
        if key in enrolled:
            problems.append(
                doc.problem(
                    ("learners", index),
                    f"learner '{learner.username}' is already in cohort {enrolled[key]} for the same path",
                )
            )
        else:
            enrolled[key] = f"{cohort.id} ({doc.file}:{where})"
    return problems
