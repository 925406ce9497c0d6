"""A small schema language for the program files, so the rules are data, not `if` chains.

`check(doc, schema)` walks a loaded YAML document and returns every problem at the line of the
offending value: unknown keys, missing keys, wrong types, bad slugs, bad dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accred_ops.errors import Problem
from accred_ops.files.yamlfile import KeyPath, YamlDoc

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
# GitLab usernames: letters, digits, '_', '-', '.'; not starting with '-' or '.', not ending in
# '.', '.git' or '.atom'.
USERNAME = re.compile(r"(?!.*(\.|\.git|\.atom)\Z)[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}\Z")
# A link anyone may click: http(s) only (never `javascript:` or `data:`), a host, and nothing
# that could end a Markdown link or an HTML attribute.
URL = re.compile(r"https?://[^\s/<>\"'`\\()]+(?:/[^\s<>\"'`\\]*)?\Z", re.IGNORECASE)
# Every value of these files is one line: a line break (or a Unicode line or paragraph
# separator, or any other control character) in a title or URL would start a new line in what
# the tool writes, where GitLab reads `/close` as a quick action.
_NOT_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


class Schema:
    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        raise NotImplementedError


@dataclass
class Str(Schema):
    pattern: re.Pattern[str] | None = None
    what: str = "text"
    max_len: int = 1000

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if not isinstance(value, str) or not value.strip():
            return [doc.problem(path, f"{_name(path)} must be {_a(self.what)}, got {_show(value)}")]
        if len(value) > self.max_len:
            return [doc.problem(path, f"{_name(path)} is longer than {self.max_len} characters")]
        if _NOT_ONE_LINE.search(value.strip()):
            return [doc.problem(path, f"{_name(path)} must be one line (no line break)")]
        if self.pattern and not self.pattern.match(value):
            return [doc.problem(path, f"{_name(path)} must be {_a(self.what)}, got {value!r}")]
        return []


@dataclass
class Bool(Schema):
    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if isinstance(value, bool):
            return []
        return [doc.problem(path, f"{_name(path)} must be true or false, got {_show(value)}")]


@dataclass
class Int(Schema):
    low: int = 0
    high: int = 10_000

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        ):
            return []
        bounds = f"a whole number from {self.low} to {self.high}"
        if isinstance(value, str) and value.strip().isdigit():
            return [
                doc.problem(
                    path,
                    f"{_name(path)} must be {bounds}, got the text {value!r}: "
                    "remove the quotes around it",
                )
            ]
        return [doc.problem(path, f"{_name(path)} must be {bounds}, got {_show(value)}")]


@dataclass
class Date(Schema):
    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return []
        if isinstance(value, str) and _is_iso_date(value.strip()):
            return [
                doc.problem(
                    path,
                    f"{_name(path)} must be a date like 2026-12-01, got the text {value!r}: "
                    "remove the quotes around it",
                )
            ]
        return [
            doc.problem(path, f"{_name(path)} must be a date like 2026-12-01, got {_show(value)}")
        ]


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


@dataclass
class ListOf(Schema):
    item: Schema
    min_items: int = 0
    max_items: int = 100_000

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if not isinstance(value, list):
            return [doc.problem(path, f"{_name(path)} must be a list, got {_show(value)}")]
        if not self.min_items <= len(value) <= self.max_items:
            return [
                doc.problem(
                    path,
                    f"{_name(path)} must have {self.min_items} to {self.max_items} items, "
                    f"has {len(value)}",
                )
            ]
        problems: list[Problem] = []
        for index, item in enumerate(value):
            problems += self.item.check(doc, item, (*path, index))
        return problems


@dataclass
class Key:
    schema: Schema
    required: bool = False


@dataclass
class Map(Schema):
    keys: dict[str, Key] = field(default_factory=dict)
    what: str = "a mapping"

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if not isinstance(value, dict):
            return [
                doc.problem(
                    path,
                    f"{_name(path) if path else 'file'} must be {self.what}, got {_show(value)}",
                )
            ]
        problems = [
            doc.problem(
                (*path, key), f"unknown key '{key}' (expected one of: {', '.join(self.keys)})"
            )
            for key in value
            if key not in self.keys
        ]
        for key, spec in self.keys.items():
            if key in value:
                problems += spec.schema.check(doc, value[key], (*path, key))
            elif spec.required:
                problems.append(doc.problem(path, f"missing key '{key}'"))
        return problems


@dataclass
class Either(Schema):
    """The first schema whose `accepts` says yes checks the value (e.g. a username or a mapping)."""

    choices: list[tuple[Callable[[Any], bool], Schema]]

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        for accepts, schema in self.choices:
            if accepts(value):
                return schema.check(doc, value, path)
        return self.choices[-1][1].check(doc, value, path)


def _name(path: KeyPath) -> str:
    named = [str(p) for p in path if isinstance(p, str)]
    return f"'{named[-1]}'" if named else "value"


def _a(what: str) -> str:
    return what if what.startswith(("a ", "an ", "one of ")) else f"a {what}"


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
