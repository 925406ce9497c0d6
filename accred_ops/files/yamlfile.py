"""Safe YAML loading that remembers where every value came from.

Validation messages must say `file:line`, so values are loaded together with a map from their
key path (e.g. ``("learning_paths", 0, "id")``) to the line they start on. Loading is
``safe_load``-level (no Python objects) and bounded: large files and alias bombs are refused
instead of exhausting memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from accred_ops.errors import Problem

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000

KeyPath = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """A loaded YAML document: plain Python data plus the line of each key path."""

    file: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    # plain (unquoted) scalars written over several lines, with their last line: YAML folds
    # them into one value, which is how an indentation slip merges list items silently
    folded: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def problem(self, path: KeyPath, message: str) -> Problem:
        return Problem(self.file, self.line(path), message)


class _Converter:
    """Turns a composed node tree into plain data, counting nodes so aliases cannot explode."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.constructor = yaml.SafeLoader("")
        self.count = 0

    def convert(self, node: yaml.Node, path: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Refused(node, f"too many values (over {MAX_NODES}; an alias bomb?)")
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            self._plain(node, "map")
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self._plain(node, "seq")
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.style is None and node.end_mark.line > node.start_mark.line:
            self.doc.folded[path] = node.end_mark.line + 1
        try:
            return self.constructor.construct_object(node, deep=True)
        except (
            ValueError
        ):  # e.g. a date like 2026-13-01: keep the text, the schema says what is wrong
            return node.value

    @staticmethod
    def _plain(node: yaml.Node, kind: str) -> None:
        if node.tag != f"tag:yaml.org,2002:{kind}":
            raise _Refused(
                node, f"YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed"
            )

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node, "merge keys (<<) are not supported; write the keys out")
            key = self.constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise _Refused(key_node, f"duplicate key '{key}'")
            self.doc.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, (*path, key))
        return result


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1


def load_yaml(path: Path, display: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Load one YAML file; on failure return the problems (with lines) instead of raising."""
    try:
        size = path.stat().st_size  # refuse a huge file before reading any of it
        if size > MAX_FILE_BYTES:
            message = f"file is too large ({size:,} bytes; limit {MAX_FILE_BYTES:,})"
            return None, [Problem(display, 1, message)]
        raw = path.read_bytes()
    except OSError as err:
        return None, [Problem(display, 1, f"cannot read file: {err.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(display, line, "file is not valid UTF-8")]
    doc = YamlDoc(display, None)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        doc.data = None if root is None else _Converter(doc).convert(root, ())
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark and mark and mark.index >= len(text.rstrip()):
            mark = err.context_mark  # "unexpected end of file": point at what was left open
        line = mark.line + 1 if mark else 1
        return None, [Problem(display, line, plain_words(err))]
    except yaml.YAMLError as err:
        return None, [Problem(display, 1, f"YAML error: {err}")]
    except _Refused as err:
        return None, [Problem(display, err.line, str(err))]
    return doc, []


# What PyYAML's messages mean for someone editing a program file, most specific first.
_PLAIN = (
    ("found character '\\t'", "a tab character: indent with spaces only"),
    (
        "expected <block end>, but found",
        "this line is indented differently from the lines "
        "above it: items of one list, and keys of one mapping, start in the same column",
    ),
    (
        "mapping values are not allowed here",
        "a ': ' where YAML does not expect one: indent "
        "this line under its key, or put the whole text in quotes",
    ),
    (
        "could not find expected ':'",
        "this line is neither 'key: value' nor '- item', or a "
        "quote or bracket opened above is not closed",
    ),
    ("found unexpected end of stream", "a quote opened here is never closed"),
    ("while parsing a flow", "a '[' or '{' opened here is not closed, or a ',' is missing"),
    ("found undefined alias", "a '*' starts an alias, which YAML cannot find: quote the text"),
    (
        "found unknown escape character",
        "a backslash escape YAML does not know inside "
        "double quotes: use single quotes, or write '\\\\'",
    ),
    (
        "expected alphabetic or numeric character",
        "a '*' or '&' at the start of a value: put the value in quotes",
    ),
    ("found character '%'", "a value cannot start with '%': put it in quotes"),
    ("found character '@'", "a value cannot start with '@': put it in quotes"),
    ("found character '`'", "a value cannot start with '`': put it in quotes"),
)


def plain_words(err: yaml.MarkedYAMLError) -> str:
    """A YAML syntax error in words an editor of the file understands, then PyYAML's own."""
    said = " ".join(str(part) for part in (err.context, err.problem) if part)
    for jargon, words in _PLAIN:
        if jargon in said:
            return f"YAML syntax: {words} (the parser said: {err.problem or err.context})"
    return f"YAML syntax: {err.problem or err.context}"
