"""`validity:`, a course's `badge: {validity}` and `renewal:` in a curriculum file, checked and
read into the core's `Validity` and `Renewal` (core/validity.py). Every problem is placed at
its line; a program without these keys gets None (its badges never expire, as before).
"""

from __future__ import annotations

from typing import Any

from accred_ops.core.validity import (
    Period,
    PeriodError,
    Renewal,
    Validity,
    parse_period,
    parse_window,
)
from accred_ops.errors import Problem
from accred_ops.files.schema import Bool, Key, ListOf, Map, Schema, Str, _name
from accred_ops.files.yamlfile import KeyPath, YamlDoc

DEFAULT_RENEW_BEFORE = "30 days"


class _Period(Schema):
    def __init__(self, zero_ok: bool = False) -> None:
        self.zero_ok = zero_ok

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        try:
            parse_period(value, zero_ok=self.zero_ok)
        except PeriodError as err:
            return [doc.problem(path, f"{_name(path)} {err}")]
        return []


class _Window(Schema):
    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        try:
            parse_window(value)
        except PeriodError as err:
            return [doc.problem(path, f"window date {err}")]
        return []


VALIDITY_SCHEMA = Map(
    {
        "valid_for": Key(_Period()),
        "renew_on": Key(ListOf(_Window(), min_items=1, max_items=12)),
        "grace": Key(_Period(zero_ok=True)),
        "renew_before": Key(_Period()),
    }
)

RENEWAL_SCHEMA = Map(
    {
        "objectives": Key(ListOf(Str(what="learning objective", max_len=500), min_items=1)),
        "exam": Key(Bool()),
        "practical": Key(Bool()),
    }
)


class _CourseValidity(Schema):
    """A course's `validity`: a mapping like the program's, or `false` (this badge never
    expires, whatever the program says)."""

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if value is False:
            return []
        return VALIDITY_SCHEMA.check(doc, value, path)


class BadgeSchema(Schema):
    """A course's `badge:`: `name`, and/or `validity` (a badge mapping needs at least a name
    unless it only sets the validity)."""

    inner = Map({"name": Key(Str(what="text")), "validity": Key(_CourseValidity())})

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        problems = self.inner.check(doc, value, path)
        if isinstance(value, dict) and "name" not in value and "validity" not in value:
            problems.append(doc.problem(path, "missing key 'name'"))
        return problems


def program_validity(doc: YamlDoc) -> tuple[Validity | None, list[Problem]]:
    """The program's own `validity:` (schema-checked already), with its consistency checked."""
    data = doc.data.get("validity")
    if data is None:
        return None, []
    return _read(doc, ("validity",), data, {})


def course_validity(
    doc: YamlDoc, here: KeyPath, course: dict[str, Any], program: Validity | None
) -> tuple[Validity | None, list[Problem]]:
    """A course's validity: the program's, with the course's own keys over it."""
    badge = course.get("badge") or {}
    if "validity" not in badge:
        return program, []
    own = badge["validity"]
    if own is False:
        return None, []
    inherited = _as_keys(program) if program is not None else {}
    if "valid_for" in own or "renew_on" in own:  # the course picks its own mode
        inherited = {k: v for k, v in inherited.items() if k not in ("valid_for", "renew_on")}
    return _read(doc, (*here, "badge", "validity"), own, inherited)


def _as_keys(validity: Validity) -> dict[str, Any]:
    keys: dict[str, Any] = {"grace": validity.grace, "renew_before": validity.renew_before}
    if validity.valid_for is not None:
        keys["valid_for"] = validity.valid_for
    else:
        keys["renew_on"] = validity.renew_on
    return keys


def _read(
    doc: YamlDoc, where: KeyPath, own: dict[str, Any], inherited: dict[str, Any]
) -> tuple[Validity | None, list[Problem]]:
    def period(key: str, default: str, zero_ok: bool = False) -> Period:
        if key in own:
            return parse_period(own[key], zero_ok=zero_ok)
        return inherited.get(key) or parse_period(default, zero_ok=zero_ok)

    valid_for = parse_period(own["valid_for"]) if "valid_for" in own else inherited.get("valid_for")
    windows = (
        tuple(sorted({parse_window(w) for w in own["renew_on"]}))
        if "renew_on" in own
        else inherited.get("renew_on", ())
    )
    if (valid_for is None) == (not windows):
        return None, [
            doc.problem(
                where,
                "validity needs exactly one of 'valid_for' (a rolling period from each award) "
                "or 'renew_on' (window dates)",
            )
        ]
    validity = Validity(
        valid_for, windows, period("grace", "0 days", True), period("renew_before", "30 days")
    )
    return validity, _consistent(doc, where, own, validity)


def _consistent(
    doc: YamlDoc, where: KeyPath, own: dict[str, Any], validity: Validity
) -> list[Problem]:
    at = (*where, "renew_before") if "renew_before" in own else where
    before = validity.renew_before
    if validity.valid_for is not None:
        if before.nominal_days >= validity.valid_for.nominal_days:
            return [
                doc.problem(
                    at,
                    f"renew_before ({before}) must be shorter than valid_for "
                    f"({validity.valid_for}): the renewal would open before the award",
                )
            ]
        return []
    gap = validity.shortest_gap()
    if gap is not None and before.nominal_days >= gap[0]:
        return [
            doc.problem(
                at,
                f"renew_before ({before}) must be shorter than the {gap[0]} days between the "
                f"windows {gap[1]}",
            )
        ]
    return []


def course_terms(
    doc: YamlDoc,
    here: KeyPath,
    course: dict[str, Any],
    program: Validity | None,
    problems: list[Problem],
) -> dict[str, Any]:
    """The course's `validity` and `renewal`, as the Course's fields; problems are added."""
    validity, found = course_validity(doc, here, course, program)
    renewal, more = course_renewal(doc, here, course, validity)
    problems += found + more
    return {"validity": validity, "renewal": renewal}


def course_renewal(
    doc: YamlDoc, here: KeyPath, course: dict[str, Any], validity: Validity | None
) -> tuple[Renewal | None, list[Problem]]:
    """What the course's renewal asks: its `renewal:` keys over the default (the course's
    objectives and its exam again, not the practical). None when the badge never expires."""
    given = course.get("renewal")
    if validity is None:
        if given is not None:
            return None, [
                doc.problem(
                    (*here, "renewal"),
                    "'renewal' needs a validity: this course's badge never expires "
                    "(add 'validity:' to the program or 'badge: {validity: …}' to the course)",
                )
            ]
        return None, []
    given = given or {}
    exam = course.get("exam", True) is not False
    objectives = tuple(o.strip() for o in given.get("objectives") or course["objectives"])
    renewal = Renewal(
        objectives, bool(given.get("exam", exam)), bool(given.get("practical", False))
    )
    if len(set(objectives)) != len(objectives):
        return renewal, [
            doc.problem((*here, "renewal", "objectives"), "renewal objectives repeat an objective")
        ]
    return renewal, []
