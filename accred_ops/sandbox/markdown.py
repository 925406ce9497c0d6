"""Just enough Markdown for GitLab's side effects: task lists and quick actions.

GitLab derives `task_completion_status` and the "marked the checklist item" system notes from
the task list of a description, and runs quick actions (`/label ~x`) written at the start of a
line. Both ignore fenced code blocks and HTML comments; this module does the same, line by line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

_TASK = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[([ xX~])\][ \t]+(.*)$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_LABEL_ARG = re.compile(r'~"([^"]+)"|~([^\s~"]+)|([^\s~"]+)')


@dataclass(frozen=True)
class Task:
    text: str
    checked: bool


def _live_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """(index, line) of the lines outside fenced code blocks and HTML comments."""
    fence: str | None = None
    in_comment = False
    for index, line in enumerate(markdown.replace("\r\n", "\n").split("\n")):
        if in_comment:
            end = line.find("-->")
            if end < 0:
                continue
            in_comment, line = False, line[end + 3 :]
        if fence is not None:
            match = _FENCE.match(line)
            closing = match and match[1][0] == fence[0] and len(match[1]) >= len(fence)
            if closing and not line.strip()[len(match[1]) :].strip():
                fence = None
            continue
        match = _FENCE.match(line)
        if match:
            fence = match[1]
            continue
        line = re.sub(r"<!--.*?-->", "", line)
        start = line.find("<!--")
        if start >= 0:
            in_comment, line = True, line[:start]
        yield index, line


def tasks(markdown: str | None) -> list[Task]:
    """The task-list items GitLab counts, in order; `[~]` (inapplicable) items are skipped."""
    found = []
    for _, line in _live_lines(markdown or ""):
        match = _TASK.match(line)
        if match and match[1] != "~":
            found.append(Task(match[2].strip(), match[1] in "xX"))
    return found


def completion(markdown: str | None) -> tuple[int, int]:
    """(count, completed_count) for `task_completion_status`."""
    items = tasks(markdown)
    return len(items), sum(t.checked for t in items)


def flipped(old: str | None, new: str | None) -> list[Task]:
    """Items whose text is unchanged at the same index and whose box flipped (GitLab pairs by
    index, so inserting an item above a tick hides the tick)."""
    before = tasks(old)
    return [
        task
        for i, task in enumerate(tasks(new))
        if i < len(before) and before[i].text == task.text and before[i].checked != task.checked
    ]


@dataclass
class Commands:
    """Quick actions found in a text, and the text without their lines."""

    text: str
    close: bool = False
    reopen: bool = False
    add_labels: list[str] = field(default_factory=list)
    remove_labels: list[str] = field(default_factory=list)
    remove_all_labels: bool = False
    count: int = 0


def label_args(arg: str) -> list[str]:
    """`~foo ~"two words" bar` → ["foo", "two words", "bar"]."""
    return [next(g for g in m.groups() if g) for m in _LABEL_ARG.finditer(arg or "")]


# GitLab's quick-action extractor (lib/gitlab/quick_actions/extractor.rb, commands_regex): one
# alternation tried at each line start, in this order, with Ruby's `mix` flags (`.` matches a
# newline, case-insensitive; `^`/`$` are line anchors). A command is `/name` at the very start
# of a line; inside a ``` code block, an "inline code" run between backticks, an HTML block
# (`<tag>` … `</tag>` lines) or a `>>>` quote it is text. The inline-code alternative,
# `^.*`\n*.+?\n*`$`, is evaluated by hand (`_inline_code_end`): the same match, without the
# quadratic backtracking a regex engine spends on a long text with no backtick.
_CODE = re.compile(r"```.+?\n```$", re.MULTILINE | re.DOTALL)
_BLOCKS = re.compile(r"<[^>]+?>\n.+?\n</[^>]+?>$|>>>.+?\n>>>$", re.MULTILINE | re.DOTALL)


def _command(names: list[str]) -> re.Pattern[str]:
    return re.compile(
        rf"/(?P<cmd>{'|'.join(names)})(?:[ ](?P<arg>[^\n]*))?(?:\s*\n|$)",
        re.MULTILINE | re.IGNORECASE,
    )


class _Backticks:
    """Where `^.*`\n*.+?\n*`$` (DOTALL) ends when tried at a position: greedy `.*` takes the
    last backtick b1 that still leaves a backtick ending a line at b2 >= b1 + 2; lazy `.+?`
    then takes the first such b2."""

    def __init__(self, text: str) -> None:
        self.ticks = [i for i, c in enumerate(text) if c == "`"]
        self.ends = [i for i in self.ticks if i + 1 == len(text) or text[i + 1] == "\n"]

    def end(self, pos: int) -> int | None:
        if not self.ends:
            return None
        last = bisect.bisect_right(self.ticks, self.ends[-1] - 2) - 1
        if last < 0 or self.ticks[last] < pos:
            return None
        first = self.ends[bisect.bisect_left(self.ends, self.ticks[last] + 2)]
        return first + 1


def _extract(text: str, names: list[str], run: Callable[[re.Match[str]], str]) -> str:
    """GitLab's `content.gsub!(commands_regex)`: the text with each command replaced by what
    `run` returns; code, inline code, HTML and quote blocks are kept as they are."""
    command = _command(names) if names else None
    ticks = _Backticks(text)
    out: list[str] = []
    pos = done = 0
    while pos <= len(text):
        end: int | None = None
        match = _CODE.match(text, pos) or None
        if match is None:
            end = ticks.end(pos)
            if end is None:
                match = _BLOCKS.match(text, pos) or (command.match(text, pos) if command else None)
        if match is not None:
            end = match.end()
            if match.re is command:
                out += [text[done:pos], run(match)]
                done = end
        if end is not None and end > pos:
            pos = (
                end
                if end == 0 or text[end - 1] == "\n"
                else text.find("\n", end) + 1 or len(text) + 1
            )
            continue
        newline = text.find("\n", pos)
        pos = newline + 1 if newline >= 0 else len(text) + 1
    out.append(text[done:])
    return "".join(out)


def quick_actions(
    text: str | None,
    *,
    is_open: bool,
    persisted: bool,
    has_labels: bool,
    may_label: bool = True,
    may_state: bool = True,
) -> Commands:
    """Extract the commands available in this context; unavailable ones stay in the text, as in
    GitLab, which builds the extractor from the available commands only (e.g. `/close` on a
    closed issue, or any `/close` in a new issue's description, is left as text)."""
    names = ["label", "labels"] if may_label else []
    names += ["close"] if persisted and is_open and may_state else []
    names += ["reopen"] if persisted and not is_open and may_state else []
    names += ["unlabel", "remove_label"] if persisted and has_labels and may_label else []
    if not names:
        return Commands(text=text or "")
    found = Commands(text="")
    content = (text or "").replace("\r", "")

    def run(match: re.Match[str]) -> str:
        if not match["cmd"]:
            return match[0]
        name, arg = match["cmd"].lower(), (match["arg"] or "").strip()
        if name == "close":
            found.close = True
        elif name == "reopen":
            found.reopen = True
        elif name in ("label", "labels"):
            found.add_labels += label_args(arg)
        elif arg:
            found.remove_labels += label_args(arg)
        else:
            found.remove_all_labels = True
        found.count += 1
        return ""

    result = _extract(content, names, run)
    # GitLab trims the text around removed commands; text without commands is left untouched
    found.text = result.rstrip() if found.count else (text or "")
    return found
