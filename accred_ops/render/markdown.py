"""Text from people made safe for GitLab Markdown: the escaping every renderer shares
(accred_ops/render/: the Texts and its rubric and validity parts), so none imports another for it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#!<>@]|&(?=#?\w+;))")
_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]")


class Safe(str):
    """Text already made safe for Markdown (by `md`, `url` or the code): never escaped again."""


def md(value: Any) -> Safe:
    """Text from people (learners, curriculum authors, the command line), made safe anywhere.

    One line only (so it can never start a line with a `/quick-action`), and the characters that
    would change the Markdown around it, raw HTML or an entity, backslash-escaped; a leading `/`
    is escaped too. `@` is escaped, so `@all` or `@group` is shown, never sent as a mention
    (GitLab 14.0+ does not turn an escaped `\\@name` into a reference: "Escaped markdown not
    interpreted as shortcuts", gitlab-org/gitlab f8e1fb75). `|` is escaped, so a table cell
    stays one cell. GitLab shows the text exactly as written.
    """
    if isinstance(value, Safe):
        return value
    text = " ".join(str(value).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return Safe("\\" + text if text.startswith("/") else text)


def url(value: Any) -> Safe:
    """A link target: http(s) only (else nothing is linked), with every character that could end
    the Markdown link or start a new line percent-encoded."""
    text = str(value).strip()
    if not re.match(r"https?://[^/\s]", text, re.IGNORECASE):
        raise ValueError(f"refusing to write a link to {text[:60]!r}: only http(s) URLs")
    encoded = _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), text)
    return Safe(encoded)


_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\Z")


def name(value: Any) -> Safe:
    """A username or group path to @-mention: left as it is when it is one (so the mention
    works), else escaped like any text (so `erin\\n/reopen` or `x <img>` is shown, not run)
    behind an invisible word joiner (U+2060), so the `@` a template puts before it mentions
    nobody (`@all` included)."""
    text = str(value).removeprefix("@")
    if _NAME.match(text) and text.lower() != "all":
        return Safe(text)
    return Safe("\u2060" + md(text))


def mentions(values: Sequence[str]) -> Safe:
    """`@sam, members of field-enablement/assessors`: each `@name` a real mention, the rest
    text."""
    return Safe(", ".join(f"@{name(v[1:])}" if v.startswith("@") else md(v) for v in values))
