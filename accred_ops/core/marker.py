"""Hidden markers: how the tool finds its own epics, issues and comments again.

Humans retitle issues, edit descriptions and move things around; identity therefore lives in
an HTML comment GitLab does not render. Keys are plain `name=value` pairs of slugs and
usernames (both validated), so a marker can never contain `-->` or a newline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `<!-- accred-ops:<kind>( <name>=<value>)* -->`: kind [a-z-]+, name [a-z]+, value
# [A-Za-z0-9_.:-]+. Read by `_markers` with str.find, in linear time whatever a description
# holds (learners write course issue descriptions; a pattern with a repeat inside a repeat
# has no place there: docs/security.md, "Reading learner text in linear time").
_OPEN, _CLOSE = "<!-- accred-ops:", " -->"
_KIND = frozenset("abcdefghijklmnopqrstuvwxyz-")
_NAME = frozenset("abcdefghijklmnopqrstuvwxyz")
_VALUE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-")

PROGRESS_START = "<!-- accred-ops:progress:start -->"
PROGRESS_END = "<!-- accred-ops:progress:end -->"


@dataclass(frozen=True, order=True)
class EpicKey:
    """One learner on one learning path: one epic."""

    learner: str
    program: str
    path: str


@dataclass(frozen=True, order=True)
class IssueKey:
    """One learner in one course of a path: one issue."""

    learner: str
    program: str
    path: str
    course: str

    @property
    def epic(self) -> EpicKey:
        return EpicKey(self.learner, self.program, self.path)


def make(kind: str, **fields: str | int) -> str:
    pairs = "".join(f" {name}={value}" for name, value in fields.items())
    return f"<!-- accred-ops:{kind}{pairs} -->"


def find(text: str | None, kind: str) -> list[dict[str, str]]:
    """Every marker of `kind` in `text`, as its fields."""
    return [fields for _, _, found, fields in _markers(text or "") if found == kind]


def _fields(body: str) -> tuple[str, dict[str, str]] | None:
    """A marker's kind and fields, or None when `body` is not `<kind>( <name>=<value>)*`."""
    kind, *pairs = body.split(" ")
    if not kind or not _KIND.issuperset(kind):
        return None
    fields = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if not name or not value or not _NAME.issuperset(name) or not _VALUE.issuperset(value):
            return None
        fields[name] = value
    return kind, fields


def _markers(text: str) -> list[tuple[int, int, str, dict[str, str]]]:
    """Every marker in `text`: start, end, kind, fields. Each character is looked at a bounded
    number of times: a marker holds no `<`, so an opening followed by another before its
    close is skipped unread, and no close after an opening means no marker after it."""
    found, start, end = [], text.find(_OPEN), -1
    while start >= 0:
        if end < start + len(_OPEN):  # the first close after this opening (kept while it is)
            end = text.find(_CLOSE, start + len(_OPEN))
        if end < 0:
            break
        following = text.find(_OPEN, start + 1)
        if 0 <= following < end:
            start = following
            continue
        read = _fields(text[start + len(_OPEN) : end])
        if read is not None:
            found.append((start, end + len(_CLOSE), *read))
        start = following
    return found


def epic_marker(key: EpicKey) -> str:
    return make("epic", learner=key.learner, program=key.program, path=key.path)


def issue_marker(key: IssueKey) -> str:
    return make("issue", learner=key.learner, program=key.program, path=key.path, course=key.course)


def epic_key(description: str | None) -> EpicKey | None:
    for fields in find(description, "epic"):
        try:
            return EpicKey(fields["learner"].lower(), fields["program"], fields["path"])
        except KeyError:
            continue
    return None


def issue_key(description: str | None) -> IssueKey | None:
    for fields in find(description, "issue"):
        try:
            return IssueKey(
                fields["learner"].lower(), fields["program"], fields["path"], fields["course"]
            )
        except KeyError:
            continue
    return None


# A line GitLab could read as a quick action: `/` at the very start of a line (GitLab deletes
# every "\r" first), then a command name (lib/gitlab/quick_actions/extractor.rb: `^\/(?<cmd>…)`).
_COMMAND_LINE = re.compile(r"/[^\s/]")


def defuse(text: str) -> str:
    """Human text the tool sends again, with no line GitLab would run as a quick action.

    When the tool writes a description, GitLab runs its quick actions as the tool. A line a
    human left there may be dormant (a `/close` on a closed issue, or inside a fence or `>>>`
    quote that a later edit opens up), so every line that starts with `/` and a command-like
    character gets a backslash in front: CommonMark shows `\\/close` as `/close`, and GitLab's
    quick-action extractor, which wants `/` as the line's first character, ignores it. Lines
    inside code blocks are defused too (a block's bounds are exactly what an attacker moves);
    there the backslash shows.
    """
    lines = text.split("\n")
    return "\n".join(
        "\\" + line if _COMMAND_LINE.match(line.replace("\r", "")) else line for line in lines
    )


def replace_section(description: str, content: str) -> str:
    """Put `content` between the progress markers, keeping every other character as it was
    but for `defuse` (no quick action re-sent).

    Without markers (a human deleted them) the section is appended, so the table comes back
    and nothing a human wrote is lost.
    """
    section = f"{PROGRESS_START}\n{content.strip()}\n{PROGRESS_END}"
    start = description.find(PROGRESS_START)
    end = description.find(PROGRESS_END, start + 1) if start >= 0 else -1
    if start < 0 or end < 0:
        return defuse(description.rstrip("\n")) + "\n\n" + section + "\n"
    before, after = description[:start], description[end + len(PROGRESS_END) :]
    return defuse(before) + section + defuse(after)


def last(text: str) -> str | None:
    """The last marker in `text`, verbatim (how a comment is recognised after a lost response)."""
    found = _markers(text)
    return text[found[-1][0] : found[-1][1]] if found else None
