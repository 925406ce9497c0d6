"""Linear-time reading of text a learner writes. Pure.

Regular expressions with lazy spans (`<!--.*?-->`), back-references or nested quantifiers
backtrack: a description of many `<!--` with no `-->`, or a checklist item of 8,000 `*`, makes
them quadratic or cubic, and one learner's issue would hold the interpreter for every other
learner. Every text a learner writes is therefore capped before it is read (`cap`), and the
spans a reader hides (HTML comments, fenced code) are found here with `str.find` and one pass
over the lines: each character is looked at a bounded number of times, whatever it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

# The most of a learner's text any reader looks at (GitLab allows 1,048,576 characters in a
# description). A feedback issue or an enrollment request is a few lines; the course issue's
# checklist has its own cap (core/checklist.py).
MAX_REQUEST_CHARS = 20_000
MAX_FEEDBACK_CHARS = 20_000

COMMENT_OPEN, COMMENT_CLOSE = "<!--", "-->"
MAX_FENCE_RUN = 10  # a longer fence counts as this long (both when it opens and closes)


def cap(text: str | None, limit: int) -> str:
    """The first `limit` characters of `text` (None: empty)."""
    return (text or "")[:limit]


def comment_start(text: str, pos: int = 0) -> int:
    """Where the first `<!--` at or after `pos` not escaped by a backslash starts, or -1."""
    while True:
        found = text.find(COMMENT_OPEN, pos)
        if found <= 0 or text[found - 1] != "\\":
            return found
        pos = found + 1


def without_inline_comments(text: str) -> tuple[str, bool]:
    """`text` without its closed `<!-- … -->` comments (unescaped ones), cut before an unclosed
    one; and whether an unclosed one was cut (it hides the lines after it too)."""
    parts, pos = [], 0
    while (start := comment_start(text, pos)) >= 0:
        end = text.find(COMMENT_CLOSE, start + len(COMMENT_OPEN))
        if end < 0:
            break
        parts.append(text[pos:start])
        pos = end + len(COMMENT_CLOSE)
    parts.append(text[pos:])
    joined = "".join(parts)
    start = comment_start(joined)
    return (joined, False) if start < 0 else (joined[:start], True)


@dataclass(frozen=True)
class _Line:
    start: int  # offset of its first character
    char: str  # the fence character it starts with ("" when none)
    run: int  # how many of it (a fence needs 3)


def _lines(text: str, fences: str) -> list[_Line]:
    lines, start = [], 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        char = text[start] if start < end and text[start] in fences else ""
        run = 0
        while char and start + run < end and text[start + run] == char:
            run += 1
        lines.append(_Line(start, char, run))
        start = end + 1
    return lines


class _Fences:
    """The fenced blocks as `^(run).*?^\\1` finds them from a position: an opening line (a run
    of 3+ of one fence character; only its first `exact` when given) up to the first later line
    starting with as long a run (the longest run some later line closes), that run included.
    Runs count up to MAX_FENCE_RUN; for each line and run length, the next line that closes
    it is known in advance, so every look-up takes constant time."""

    def __init__(self, text: str, fences: str, exact: int) -> None:
        self.lines = _lines(text, fences)
        self.exact = exact
        self.index = 0
        size = len(self.lines)
        # after[c][i][r]: the first line after line i starting with a run of >= r of c
        self.after: dict[str, list[list[int]]] = {}
        for char in fences:
            table, upcoming = (
                [[size] * (MAX_FENCE_RUN + 1) for _ in range(size)],
                [size] * (MAX_FENCE_RUN + 1),
            )
            for i in range(size - 1, -1, -1):
                table[i] = list(upcoming)
                line = self.lines[i]
                if line.char == char:
                    for r in range(1, min(line.run, MAX_FENCE_RUN) + 1):
                        upcoming[r] = i
            self.after[char] = table

    def first_from(self, pos: int) -> tuple[int, int] | None:
        """The first fenced block opening at a line start at or after `pos`."""
        lines = self.lines
        while self.index < len(lines) and lines[self.index].start < pos:
            self.index += 1
        for i in range(self.index, len(lines)):
            line = lines[i]
            if not line.char or line.run < 3:
                continue
            after = self.after[line.char][i]
            run = min(self.exact or line.run, line.run, MAX_FENCE_RUN)
            while run >= 3 and after[run] >= len(lines):
                run -= 1  # a shorter opening run, as the pattern backtracks to
            if run >= 3:
                self.index = i
                return line.start, lines[after[run]].start + run
        self.index = len(lines)
        return None


def without_hidden(text: str, fences: str = "`", exact: int = 3) -> str:
    """`text` without what GitLab does not show as prose: closed HTML comments and fenced code
    blocks (`fences`: the fence characters; `exact`: the run an opening must begin with, 0 for
    any run of 3 or more), whichever starts first, as a leftmost regular expression would."""
    blocks = _Fences(text, fences, exact)
    last_close = text.rfind(COMMENT_CLOSE)
    parts, pos = [], 0
    while True:
        comment = text.find(COMMENT_OPEN, pos)
        if comment >= 0 and last_close < comment + len(COMMENT_OPEN):
            comment = -1  # no `-->` after it: neither it nor any later one is closed
        block = blocks.first_from(pos)
        if comment < 0 and block is None:
            break
        if block is None or 0 <= comment < block[0]:
            end = text.find(COMMENT_CLOSE, comment + len(COMMENT_OPEN)) + len(COMMENT_CLOSE)
            start = comment
        else:
            start, end = block
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
