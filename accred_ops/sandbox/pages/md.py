"""Markdown → safe HTML for the sandbox's pages, with GitLab's references.

markdown-it-py (a CommonMark parser) with raw HTML off: a `<script>` or `<img onerror>` in a
learner's text stays text, and its link validation drops `javascript:`, `vbscript:`, `file:`
and `data:` URLs. The task-list plugin draws `- [x]` as GitLab does (a disabled checkbox).
HTML comments (accred-ops' markers) are hidden, as GitLab hides them. References in plain text
become what GitLab shows: `~label` / `~"two words"` a coloured label, `#12` a link to the
project's issue 12, `&3` a link to the group's epic 3; a reference to nothing stays text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_REF = re.compile(
    r'~"(?P<quoted>[^"\n]+)"|~(?P<bare>[\w.:-]*\w)'
    r"|(?<![\w&#/])#(?P<issue>\d+)\b|(?<![\w&#/])&(?P<epic>\d+)\b"
)


@dataclass(frozen=True)
class Refs:
    """What references resolve to on one page: HTML for a label, an href for an issue/epic."""

    label: Callable[[str], str | None]
    issue: Callable[[int], str | None]
    epic: Callable[[int], str | None]


def _replace(match: re.Match[str], refs: Refs) -> str | None:
    if match["quoted"] or match["bare"]:
        return refs.label(match["quoted"] or match["bare"])
    number = int(match["issue"] or match["epic"])
    href = refs.issue(number) if match["issue"] else refs.epic(number)
    return f'<a href="{escape(href)}">{escape(match[0])}</a>' if href else None


def _split(token: Token, refs: Refs) -> list[Token]:
    out: list[Token] = []
    text, done = token.content, 0
    for match in _REF.finditer(text):
        html = _replace(match, refs)
        if html is None:
            continue
        out += [Token("text", "", 0, content=text[done : match.start()])]
        out += [Token("html_inline", "", 0, content=html)]
        done = match.end()
    return [*out, Token("text", "", 0, content=text[done:])] if out else [token]


def _references(state: StateCore) -> None:
    refs = state.env.get("refs")
    if not isinstance(refs, Refs):
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for child in block.children:
            depth += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            children += _split(child, refs) if child.type == "text" and not depth else [child]
        block.children = children


_MD = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
_MD.use(tasklists_plugin)
_MD.core.ruler.push("gitlab_references", _references)


def render(text: str | None, refs: Refs | None = None) -> str:
    return _MD.render(_COMMENT.sub("", text or ""), {"refs": refs} if refs else {})
