"""Reading a GitLab task list: which checklist items a description holds, and which are ticked.

Follows GitLab's Markdown rules closely enough for learners' real edits: any list marker,
nested items, `[x]`/`[X]`, `[~]` (inapplicable) skipped, nothing inside fenced code blocks or
HTML comments. Matching to the curriculum is by text, forgiving of whitespace, case, Markdown
escapes and small typo fixes, and one-to-one, so items a human adds never count.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

_ITEM = re.compile(
    r"^(?P<indent>[ \t]*(?:>[ \t]?)*[ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+\[(?P<box>[ xX~])\](?:[ \t]+(?P<text>.*)|[ \t]*$)"
)
_FENCE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)*[ \t]*(?P<fence>`{3,}|~{3,})")
_ESCAPE = re.compile(r"\\(.)")
SIMILAR_ENOUGH = 0.85


@dataclass(frozen=True)
class TaskItem:
    text: str
    checked: bool
    line: int


def parse_task_items(markdown: str) -> list[TaskItem]:
    """Every task-list item GitLab would count, in document order."""
    items: list[TaskItem] = []
    fence: str | None = None
    in_comment = False
    for number, raw in enumerate(markdown.replace("\r\n", "\n").split("\n"), start=1):
        line = raw
        if in_comment:
            end = line.find("-->")
            if end < 0:
                continue
            in_comment = False
            line = line[end + 3 :]
        if fence is not None:
            match = _FENCE.match(line)
            if (
                match
                and match["fence"][0] == fence[0]
                and len(match["fence"]) >= len(fence)
                and not line.strip().lstrip(">").strip()[len(match["fence"]) :].strip()
            ):
                fence = None
            continue
        match = _FENCE.match(line)
        if match:
            fence = match["fence"]
            continue
        start = line.find("<!--")
        if start >= 0 and "-->" not in line[start:]:
            in_comment = True
            line = line[:start]
        line = re.sub(r"<!--.*?-->", "", line)
        item = _ITEM.match(line)
        if item and item["box"] != "~":
            items.append(TaskItem((item["text"] or "").strip(), item["box"] in "xX", number))
    return items


def normalize(text: str) -> str:
    """Matching key: escapes removed, whitespace collapsed, casefolded, emphasis and end punctuation stripped."""
    text = _ESCAPE.sub(r"\1", text)
    text = " ".join(text.split()).casefold()
    return text.strip("*_` ").rstrip(".:;!,").strip()


def ticked(expected: Sequence[str], items: Sequence[TaskItem]) -> dict[str, bool]:
    """For each expected item text, whether its matching item is ticked (no match: False)."""
    keys = [normalize(item.text) for item in items]
    used: set[int] = set()
    found: dict[str, int] = {}
    for text in expected:
        wanted = normalize(text)
        index = next((i for i, key in enumerate(keys) if key == wanted and i not in used), None)
        if index is not None:
            used.add(index)
            found[text] = index
    for text in expected:
        if text in found:
            continue
        wanted = normalize(text)
        scored = [
            (difflib.SequenceMatcher(None, wanted, key).ratio(), i)
            for i, key in enumerate(keys)
            if i not in used
        ]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR_ENOUGH:
            used.add(best[1])
            found[text] = best[1]
    return {text: text in found and items[found[text]].checked for text in expected}
