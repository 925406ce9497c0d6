"""Load and validate the program repository: accred.yml, curriculum/, cohorts/.

Every command calls `load_workspace` first; any problem in any file stops the command with
exit 2 before a single request is sent (SPEC §6). All problems are collected, not just the first.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

from accred_ops.core.model import (
    EXAM_ITEM,
    PRACTICAL_ITEM,
    Assessors,
    Cohort,
    Competency,
    Config,
    Course,
    GitLabSettings,
    Labels,
    Learner,
    LearningPath,
    Program,
    Reminders,
    Workspace,
)
from accred_ops.errors import InputError, Problem
from accred_ops.files import exam_settings, toolusers
from accred_ops.files import rubric as rubrics
from accred_ops.files.credly import CREDLY_SCHEMA, credly
from accred_ops.files.notifications import NOTIFICATIONS_SCHEMA, webhooks
from accred_ops.files.schema import (
    SLUG,
    URL,
    USERNAME,
    Bool,
    Date,
    Either,
    Int,
    Key,
    ListOf,
    Map,
    Str,
)
from accred_ops.files.validity import (
    RENEWAL_SCHEMA,
    VALIDITY_SCHEMA,
    BadgeSchema,
    course_terms,
    program_validity,
)
from accred_ops.files.yamlfile import KeyPath, YamlDoc, load_yaml

_slug = Str(SLUG, "lowercase slug like 'my-id'", 100)
_user = Str(USERNAME, "GitLab username", 255)
_text = Str(what="text")
_url = Str(URL, "http(s) URL like 'https://example.com/course'", 2000)
_label = Str(re.compile(r'[^"]+\Z'), "label name without '\"'", 255)
# Text from the curriculum shown in issues: one line, bounded (checked in _one_line too).
_line = Str(what="one line of text", max_len=500)
_instructions = Str(what="instructions", max_len=2000)

CONFIG_SCHEMA = Map(
    {
        "gitlab": Key(
            Map(
                {
                    "url": Key(_url),
                    "group": Key(Str(what="group full path"), required=True),
                    "project": Key(Str(what="project full path"), required=True),
                    "board": Key(_text),
                    "concurrency": Key(Int(1, 64)),
                    "full_sync_every_hours": Key(Int(0, 24 * 366)),
                    "tracking": Key(
                        Str(re.compile(r"(epic|issue|auto)\Z"), "one of epic, issue, auto")
                    ),
                    "api": Key(Str(re.compile(r"(rest|workitems)\Z"), "one of rest, workitems")),
                    "rate_limits": Key(
                        Map({kind: Key(Int(0, 1_000_000)) for kind in ("api", "issues", "notes")})
                    ),
                    "previous_tool_users": Key(ListOf(_user)),
                }
            ),
            required=True,
        ),
        "assessors": Key(
            Map(
                {
                    "usernames": Key(ListOf(_user)),
                    "groups": Key(ListOf(Str(what="group path"))),
                    "inherited": Key(Bool()),
                    "routing": Key(
                        Str(
                            re.compile(r"(mention|round-robin|manager)\Z"),
                            "one of mention, round-robin, manager",
                        )
                    ),
                    "moderators": Key(ListOf(_user)),
                }
            )
        ),
        "labels": Key(Map({f.name: Key(_label) for f in dataclasses.fields(Labels)})),
        "enrollment": Key(Map({"allowed_groups": Key(ListOf(Str(what="group path")))})),
        "badges": Key(
            Map(
                {
                    "issuer": Key(
                        Map(
                            {
                                "name": Key(_text, required=True),
                                "url": Key(_url, required=True),
                                "email": Key(Str(what="email address")),
                            }
                        ),
                        required=True,
                    ),
                    "public_holders": Key(Bool()),  # list holders on the public index
                    "pages_url": Key(_url),  # where `badges export` is served: award links
                    "credly": Key(CREDLY_SCHEMA),
                }
            )
        ),
        "reminders": Key(Map({f.name: Key(Int(1, 365)) for f in dataclasses.fields(Reminders)})),
        "notifications": Key(NOTIFICATIONS_SCHEMA),
        "curriculum": Key(Str(what="folder")),
        "cohorts": Key(Str(what="folder")),
        "templates": Key(Str(what="folder")),
    }
)

COURSE_SCHEMA = Map(
    {
        "id": Key(_slug, required=True),
        "title": Key(_text, required=True),
        "url": Key(_url),
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
                                "url": Key(_url),
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
        "competencies": Key(ListOf(_slug, max_items=100)),
    }
)

COMPETENCY_SCHEMA = Map(
    {
        "id": Key(_slug, required=True),
        "name": Key(_line, required=True),
        "url": Key(_url, required=True),
        "framework": Key(_line),
    }
)

PROGRAM_SCHEMA = Map(
    {
        "id": Key(_slug, required=True),
        "title": Key(_text, required=True),
        "competency_framework": Key(
            Map({"name": Key(_line, required=True), "url": Key(_url, required=True)})
        ),
        "competencies": Key(ListOf(COMPETENCY_SCHEMA, max_items=1000)),
        "validity": Key(VALIDITY_SCHEMA),
        "rubrics": Key(rubrics.RUBRICS_SCHEMA),
        "learning_paths": Key(
            ListOf(
                Map(
                    {
                        "id": Key(_slug, required=True),
                        "title": Key(_text, required=True),
                        "courses": Key(ListOf(COURSE_SCHEMA, min_items=1), required=True),
                    }
                ),
                min_items=1,
            ),
            required=True,
        ),
    }
)

COHORT_SCHEMA = Map(
    {
        "id": Key(_slug, required=True),
        "program": Key(_slug, required=True),
        "path": Key(_slug, required=True),
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
                                    "username": Key(_user, required=True),
                                    "manager": Key(_user),
                                    "email": Key(Str(what="email address")),
                                }
                            ),
                        ),
                        (lambda v: True, _user),
                    ]
                ),
            ),
        ),
    }
)


def find_config(explicit: str | None) -> Path:
    """`--config PATH`, else `ACCRED_CONFIG`, else `./accred.yml` (SPEC §2)."""
    chosen = explicit or os.environ.get("ACCRED_CONFIG") or "accred.yml"
    return Path(chosen)


def load_workspace(config_path: Path) -> Workspace:
    """Read and validate every local file; raise InputError listing all problems."""
    problems: list[Problem] = []
    root = config_path.parent
    if not config_path.exists():
        raise InputError(
            f"no {config_path.name} in {root.resolve()}: this is not a program folder. Run "
            "`accred-ops init` to make one here, or name one with --config PATH (or ACCRED_CONFIG)"
        )
    config_doc, found = load_yaml(config_path, _display(config_path))
    problems += found
    if config_doc is None:
        raise InputError(problems)
    problems += CONFIG_SCHEMA.check(config_doc, config_doc.data, ())
    if problems:
        raise InputError(problems)
    config = _config(config_doc.data)

    warnings: list[str] = []
    programs, broken, unreadable = _load_programs(root, config, config_doc, problems, warnings)

    cohorts: dict[str, Cohort] = {}
    enrolled: dict[tuple[str, str, str], str] = {}
    for doc in _load_folder(root / config.cohorts_dir, "cohorts", config_doc, problems):
        found = COHORT_SCHEMA.check(doc, doc.data, ())
        problems += found
        if found:
            continue
        cohort = _cohort(doc.data, doc)
        if cohort.program in broken or (unreadable and cohort.program not in programs):
            continue
        problems += _check_cohort(
            doc, cohort, {k: v[0] for k, v in programs.items()}, cohorts, enrolled
        )
        cohorts[cohort.id] = cohort
    problems += toolusers.check(config_doc, config, cohorts.values())
    if problems:
        raise InputError(problems)
    return Workspace(config, {k: v[0] for k, v in programs.items()}, cohorts, tuple(warnings))


def _load_programs(
    root: Path, config: Config, config_doc: YamlDoc, problems: list[Problem], warnings: list[str]
) -> tuple[dict[str, tuple[Program, YamlDoc]], set[str], bool]:
    """The curriculum's programs (each with its file), the ids of those whose file has problems,
    and whether some curriculum file did not even parse; problems are added to `problems`."""
    programs: dict[str, tuple[Program, YamlDoc]] = {}
    broken: set[str] = set()  # programs whose file has problems: cohorts naming them are not blamed
    before = len(problems)
    docs = _load_folder(root / config.curriculum_dir, "curriculum", config_doc, problems)
    # a curriculum file that does not even parse names no program: blaming every cohort for
    # naming an unknown one would bury the real problem
    unreadable = len(problems) > before
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
    return programs, broken, unreadable


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _load_folder(
    folder: Path, key: str, config_doc: YamlDoc, problems: list[Problem]
) -> list[YamlDoc]:
    if not folder.is_dir():
        problems.append(config_doc.problem((key,), f"folder '{_display(folder)}' does not exist"))
        return []
    docs = []
    for path in sorted(folder.glob("*.y*ml")):
        doc, found = load_yaml(path, _display(path))
        problems += found
        if doc is not None:
            docs.append(doc)
    return docs


def _config(data: dict[str, Any]) -> Config:
    gl = data["gitlab"]
    assessors = data.get("assessors") or {}
    return Config(
        gitlab=GitLabSettings(
            url=gl.get("url"),
            group=gl["group"],
            project=gl["project"],
            board=gl.get("board", "Field Enablement"),
            concurrency=gl.get("concurrency", 4),
            full_sync_every_hours=gl.get("full_sync_every_hours", 24),
            tracking=gl.get("tracking", "auto"),
            api=gl.get("api", "rest"),
            rate_limits=tuple(
                {**dict(GitLabSettings.rate_limits), **gl.get("rate_limits", {})}.items()
            ),
            previous_tool_users=tuple(gl.get("previous_tool_users", ())),
        ),
        assessors=Assessors(
            tuple(assessors.get("usernames", ())),
            tuple(assessors.get("groups", ())),
            inherited=bool(assessors.get("inherited", False)),
            routing=assessors.get("routing", "mention"),
            moderators=tuple(assessors.get("moderators", ())),
        ),
        labels=Labels(**data.get("labels", {})),
        issuer=(data.get("badges") or {}).get("issuer"),
        public_holders=bool((data.get("badges") or {}).get("public_holders", False)),
        badges_url=(data.get("badges") or {}).get("pages_url"),
        reminders=Reminders(**data["reminders"]) if "reminders" in data else None,
        enrollment_groups=tuple((data.get("enrollment") or {}).get("allowed_groups", ())),
        curriculum_dir=data.get("curriculum", "curriculum"),
        cohorts_dir=data.get("cohorts", "cohorts"),
        templates_dir=data.get("templates", "templates"),
        notifications=webhooks(data.get("notifications")),
        credly=credly((data.get("badges") or {}).get("credly")),
    )


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
