"""Reading an assessor's scoring comment: one line per criterion, `<criterion id>: <score>`, in
any order, optionally followed by free text.

The form is the comment's first lines (after blank lines or a code fence an assessor copied
along): every line that reads `word: value` where the word is a criterion of the rubric or the
value starts with a digit. The first other line ends it; the rest is the assessor's free text.
A comment whose first line is no such line is an ordinary comment, not a form.

Comment text is anyone's: only the first `MAX_CHARS` characters and `MAX_LINES` lines are
read, with string methods only (no regular expression), so reading is linear in the capped
input whatever the text holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from accred_ops.core.rubric import Rubric

MAX_CHARS = 4000
MAX_LINES = 60
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class Form:
    """A scoring comment as read: the scores when it is whole, else what to fix."""

    scores: dict[str, int]
    problems: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems


def _pair(line: str, ids: frozenset[str]) -> tuple[str, str] | None:
    """`discovery: 4` -> ("discovery", "4") when the line is a form line, else None."""
    key, colon, value = line.strip().partition(":")
    key, value = key.strip().lower(), value.strip()
    if not colon or not key or len(key) > 100 or not set(key) <= _ID_CHARS:
        return None
    if key in ids or value[:1].isdigit() or (value[:1] in "+-" and value[1:2].isdigit()):
        return key, value
    return None


def _form_lines(body: str, ids: frozenset[str]) -> list[tuple[str, str]]:
    lines = body[:MAX_CHARS].splitlines()[:MAX_LINES]
    start = 0
    while start < len(lines) and (not lines[start].strip() or lines[start].startswith("```")):
        start += 1
    pairs = []
    for line in lines[start:]:
        pair = _pair(line, ids)
        if pair is None:
            break
        pairs.append(pair)
    return pairs


def _score(rubric: Rubric, cid: str, value: str) -> tuple[int | None, str | None]:
    word = value.split()[0] if value.split() else ""
    if not (word.isdigit() or (word[:1] in "+-" and word[1:].isdigit())) or len(word) > 6:
        return None, f"'{cid}: {value[:20]}': the score must be a whole number"
    score = int(word)
    if not rubric.scale_min <= score <= rubric.scale_max:
        scale = f"{rubric.scale_min} to {rubric.scale_max}"
        return None, f"'{cid}: {score}': the score must be from {scale}"
    return score, None


def read_form(body: str, rubric: Rubric) -> Form | None:
    """The scoring form at the start of a comment, or None when the comment holds none. A form
    with an unknown or repeated criterion, a missing one, or a score off the scale counts for
    nothing: its problems say exactly what to fix."""
    ids = frozenset(rubric.ids)
    pairs = _form_lines(body, ids)
    if not pairs:
        return None
    scores: dict[str, int] = {}
    problems: list[str] = []
    for cid, value in pairs:
        if cid not in ids:
            problems.append(f"'{cid}' is not a criterion of this rubric")
        elif cid in scores:
            problems.append(f"'{cid}' is scored twice")
        else:
            score, problem = _score(rubric, cid, value)
            if problem:
                problems.append(problem)
            elif score is not None:
                scores[cid] = score
    seen = {cid for cid, _ in pairs}
    problems += [f"'{cid}' has no score" for cid in rubric.ids if cid not in seen]
    return Form(scores, tuple(problems))


def form_text(rubric: Rubric) -> str:
    """The form an assessor copies: one `<criterion id>: ` line per criterion."""
    return "\n".join(f"{cid}: " for cid in rubric.ids)
