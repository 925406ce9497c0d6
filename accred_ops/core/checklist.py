"""Reading a GitLab task list: which checklist items a description holds, and which are ticked.

Learners tick boxes in GitLab's UI, and humans edit the description around them: they add their
own items, reorder, re-indent, nest, quote, comment out and fix typos. So the list is read the
way GitLab's Markdown pipeline reads it (CommonMark block structure, line by line): any list
marker, nested and blockquoted items count, `[~]` (inapplicable) items are skipped, and nothing
inside fenced or indented code blocks or HTML comments counts. Matching to the curriculum is by
text, forgiving of whitespace, case, Markdown escapes and small typo fixes, and one-to-one, so
items a human adds never count and never stand in for an objective that is still there.

Pure: no I/O, stdlib only.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from accred_ops.core.textscan import without_inline_comments

# A typo fix in a one-line objective keeps the ratio well above this; a reworded item does not.
SIMILAR_ENOUGH = 0.85

# CommonMark blocks, matched on a line's content after its indentation.
_QUOTE = re.compile(r" {0,3}> ?")
_MARKER = re.compile(r"(?P<marker>[-*+]|(?P<number>\d{1,9})[.)])(?P<gap>[ \t]*)(?P<rest>.*)")
_BOX = re.compile(r"\[(?P<box>[ xX~])\](?:[ \t]+(?P<text>.*)|[ \t]*)")
_FENCE = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)")
_HEADING = re.compile(r"#{1,6}(?:[ \t].*)?")
# CommonMark escapes only ASCII punctuation: `C:\temp` keeps its backslash.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_EMPHASIS_CHARS = "*_`"
_END_PUNCTUATION = ".,;:!?"
# Emphasis deeper than this many delimiters on one side is stripped a layer at a time.
_MAX_DELIMITER = 8

# Bounded work per issue, whatever a description holds (GitLab allows 1,048,576 characters):
# only its first MAX_DESCRIPTION_CHARS are read, only its first MAX_ITEMS checklist items count,
# and at most MAX_FUZZY_RATIOS typo-tolerant comparisons are made. A course issue as the tool
# writes it is a few KB with a dozen items; a learner's notes fit well within these.
MAX_DESCRIPTION_CHARS = 100_000
MAX_ITEMS = 500
MAX_FUZZY_RATIOS = 500
_TAB = 4


@dataclass(frozen=True)
class TaskItem:
    """One checkbox of a task list, as a learner sees it in GitLab."""

    text: str
    """The item's text as written: its first line, stripped, inline HTML comments removed (they
    are invisible in GitLab, so a human note there must not spoil the match)."""
    checked: bool
    line: int
    """1-based line number in the description, to point a human at the item."""


@dataclass(frozen=True)
class _Fence:
    char: str
    length: int
    depth: int  # blockquote depth it was opened at: leaving the quote closes it
    base: int  # content column of its list item: a line left of it closes the item and fence


def _split_quotes(line: str, limit: int | None = None) -> tuple[int, str]:
    """Blockquote depth (at most `limit` levels) and the content inside, leading tabs expanded."""
    depth = 0
    while limit is None or depth < limit:
        match = _QUOTE.match(_expand(line))
        if not match:
            break
        line, depth = _expand(line)[match.end() :], depth + 1
    return depth, _expand(line)


def _expand(line: str) -> str:
    """Leading tabs as spaces (tab stops of 4), since indentation decides code and nesting."""
    head = len(line) - len(line.lstrip(" \t"))
    return line[:head].expandtabs(_TAB) + line[head:]


def _closes(fence: _Fence, body: str) -> bool:
    """Whether `body` is a closing fence: same character, at least as long, nothing after."""
    indent = len(body) - len(body.lstrip(" "))
    text = body.strip()
    return indent - fence.base <= 3 and len(text) >= fence.length and text == fence.char * len(text)


def _opens(text: str) -> str:
    """The fence `text` opens, or "" (a backtick fence's info string may not hold a backtick:
    that is an inline code span)."""
    match = _FENCE.fullmatch(text)
    if not match or (match["fence"][0] == "`" and "`" in match["info"]):
        return ""
    return match["fence"]


def _list_item(text: str) -> re.Match[str] | None:
    """A list item start: a marker followed by whitespace or the end of the line."""
    match = _MARKER.fullmatch(text)
    return match if match and (match["gap"] or not match["rest"]) else None


def _may_interrupt(marker: re.Match[str]) -> bool:
    """Whether a list item may interrupt a paragraph: only a non-empty one, and an ordered one
    only if it starts at 1 (otherwise "2. [x]" in running text would become a task)."""
    return bool(marker["rest"].strip()) and (not marker["number"] or int(marker["number"]) == 1)


def parse_task_items(markdown: str) -> list[TaskItem]:
    """Every task-list item GitLab would count, in document order.

    Follows CommonMark's block structure just far enough to know where list items start: the
    open list items' content columns (so 4+ columns past the current container is code, and a
    paragraph's lazy continuation line is not an item), fences (closed by the same character,
    at least as long, or by leaving the list item or blockquote that holds them), HTML comments
    (multi-line, hiding everything up to `-->`) and blockquotes (items inside them count).
    """
    items: list[TaskItem] = []
    markdown = markdown[:MAX_DESCRIPTION_CHARS]
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    stack: list[int] = []  # content columns of the open list items, outermost first
    depth = 0  # blockquote depth of the previous line
    para = False  # the previous line was paragraph text, so this one may continue it lazily
    fence: _Fence | None = None
    comment = False
    for number, raw in enumerate(lines, start=1):
        if comment:
            # The rest of the closing line is HTML block or paragraph text: never an item.
            comment = "-->" not in raw
            para = False
            continue
        if fence is not None:
            quoted, body = _split_quotes(raw, fence.depth)
            indent = len(body) - len(body.lstrip(" "))
            if quoted == fence.depth and (not body.strip() or indent >= fence.base):
                if _closes(fence, body):
                    fence = None
                continue
            fence = None  # its blockquote or list item ended: read the line afresh
        quoted, body = _split_quotes(raw)
        if quoted != depth:
            depth, stack, para = quoted, [], False
        if not body.strip():
            para = False
            continue
        indent = len(body) - len(body.lstrip(" "))
        text = body[indent:]
        # The open items this line is inside; a lazy paragraph line may stay left of them.
        inside = len(stack)
        while inside and indent < stack[inside - 1]:
            inside -= 1
        base = stack[inside - 1] if inside else 0
        if indent - base >= 4:
            # Indented code (or, right after a paragraph, its continuation): never an item.
            if not para:
                del stack[inside:]
            continue
        if text.startswith("<!--"):
            del stack[inside:]
            comment, para = "-->" not in text[4:], False
            continue
        opening = _opens(text)
        if opening:
            del stack[inside:]
            fence, para = _Fence(opening[0], len(opening), depth, base), False
            continue
        if _HEADING.fullmatch(text) or _is_break(text):
            del stack[inside:]
            para = False
            continue
        # Inline comments vanish; an unclosed one hides the rest of the line and what follows.
        # (`\<!--` is escaped text, not a comment: the course template escapes `<`.)
        text, comment = without_inline_comments(text)
        marker = _list_item(text)
        if marker and para and inside == len(stack) and not _may_interrupt(marker):
            marker = None
        if marker is None:
            if not para:
                del stack[inside:]
            para = bool(text.strip())
            continue
        del stack[inside:]
        column = indent
        while marker:
            column += len(marker["marker"])
            gap = len((" " * column + marker["gap"]).expandtabs(_TAB)) - column
            rest = marker["rest"]
            if not rest.strip() or gap > 4:
                # Empty item, or content that is indented code: not a task either way.
                stack.append(column + 1)
                para = False
                break
            column += gap
            stack.append(column)
            para = True
            opening = _opens(rest)
            if opening:
                fence, para = _Fence(opening[0], len(opening), depth, column), False
                break
            marker = _list_item(rest)  # `- - [ ] x`: a list inside the item's first line
            if marker:
                continue
            box = _BOX.fullmatch(rest)
            if box and box["box"] != "~":
                items.append(TaskItem((box["text"] or "").strip(), box["box"] in "xX", number))
                if len(items) >= MAX_ITEMS:
                    return items
            break
    return items


def normalize(text: str) -> str:
    """Matching key: Markdown backslash escapes removed, whitespace collapsed, casefolded,
    trailing punctuation and surrounding emphasis (*, _, `) stripped.

    The course template writes objectives escaped (`\\*`, `&amp;`), GitLab shows them plain, and
    humans retype them with other spacing, case, a full stop or bold: all of these must give
    the same key. HTML character references are decoded for the same reason.
    """
    text = html.unescape(_ESCAPE.sub(r"\1", text))
    text = " ".join(text.split()).casefold()
    return _strip_emphasis(text)


def _strip_emphasis(text: str) -> str:
    """Trailing punctuation and surrounding emphasis off, layer after layer, as the pattern
    `([*_`]+)(.+?)\\1` would strip them, but in linear time: by offsets, each layer's delimiter
    (at most _MAX_DELIMITER characters) compared once."""
    start, end = 0, len(text)
    while True:
        while end > start and text[end - 1] in _END_PUNCTUATION + " ":
            end -= 1
        width = _delimiter(text, start, end)
        if not width:
            return text[start:end]
        start, end = start + width, end - width
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1


def _delimiter(text: str, start: int, end: int) -> int:
    """The longest run of emphasis characters that opens and closes text[start:end] around at
    least one character (0: none)."""
    lead = 0
    while lead < _MAX_DELIMITER and start + lead < end and text[start + lead] in _EMPHASIS_CHARS:
        lead += 1
    for width in range(min(lead, (end - start - 1) // 2), 0, -1):
        if text[start : start + width] == text[end - width : end]:
            return width
    return 0


def _is_break(text: str) -> bool:
    """A thematic break: three or more of one of `*`, `-`, `_`, and spaces or tabs only."""
    marks = text.replace(" ", "").replace("\t", "")
    return len(marks) >= 3 and marks[0] in "*-_" and marks == marks[0] * len(marks)


def _lengths_allow(a: str, b: str) -> bool:
    """Whether two texts' lengths allow SIMILAR_ENOUGH at all: SequenceMatcher's ratio is at
    most 2·min/(len a + len b), so a much longer or shorter item is never compared (and a
    comparison's cost stays bounded by the objective's length)."""
    return 2 * min(len(a), len(b)) >= SIMILAR_ENOUGH * (len(a) + len(b))


def ticked(expected: Sequence[str], items: Sequence[TaskItem]) -> dict[str, bool]:
    """For each expected item text (keys exactly as given), whether a matching item is ticked.

    Matching is one-to-one, so an item never answers for two expected texts. Exact normalized
    matches come first, each expected text taking its first unclaimed occurrence in document
    order (strict and predictable: a ticked copy further down does not count). Then each
    expected text still unmatched may take an unclaimed item whose SequenceMatcher ratio is at
    least SIMILAR_ENOUGH, so a fixed typo still counts; the most similar pairs are made first.
    An item whose text exactly equals some expected text is never a fuzzy candidate: it is a
    copy of that objective, not a misspelling of another. No match: False. At most
    MAX_FUZZY_RATIOS comparisons are made (items left uncompared do not match).
    """
    keys = [normalize(item.text) for item in items]
    wanted = {text: normalize(text) for text in expected}
    found: dict[str, int] = {}
    used: set[int] = set()
    for text, key in wanted.items():
        index = next((i for i, k in enumerate(keys) if k == key and i not in used), None)
        if index is not None:
            found[text] = index
            used.add(index)
    exact = set(wanted.values())
    pairs: list[tuple[float, int, int, str]] = []
    budget = MAX_FUZZY_RATIOS
    for order, (text, key) in enumerate(wanted.items()):
        if text in found:
            continue
        for index, item_key in enumerate(keys):
            if index in used or item_key in exact or not _lengths_allow(key, item_key):
                continue
            if budget <= 0:
                break
            budget -= 1
            ratio = difflib.SequenceMatcher(None, key, item_key).ratio()
            if ratio >= SIMILAR_ENOUGH:
                pairs.append((-ratio, order, index, text))
    for _, _, index, text in sorted(pairs):
        if text not in found and index not in used:
            found[text] = index
            used.add(index)
    return {text: text in found and items[found[text]].checked for text in wanted}
