"""Work at the caps: each reader of learner text fed the worst input it may see, counted in
steps (Python line events in accred-ops' own code) and in the characters it reads, never in
seconds. `python -m benchmarks.caps` prints the table docs/benchmarks.md shows.

Also the audit of every regular expression those readers hold: none may have an unbounded
repeat inside another, a lazy unbounded repeat (`.*?`, which a search restarts at every
candidate), or a back-reference: the shapes that backtrack.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from types import FrameType, ModuleType
from typing import Any

from accred_ops.core import checklist, enrollment, feedback, marker, textscan

_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)


def steps(work: Callable[[], Any]) -> int:
    """How many lines of accred-ops' own code `work` runs (its deterministic cost)."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if "accred_ops" not in frame.f_code.co_filename:
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def _risks(items: Any, inside_repeat: bool = False) -> list[str]:
    found = []
    for op, arg in items:
        if op == c.GROUPREF or op == c.GROUPREF_EXISTS:
            found.append("a back-reference")
        if op in _REPEATS:
            _low, high, body = arg
            unbounded = high == c.MAXREPEAT
            if unbounded and op == c.MIN_REPEAT:
                found.append("a lazy unbounded repeat")
            if unbounded and inside_repeat:
                found.append("an unbounded repeat inside another")
            found += _risks(body, inside_repeat or unbounded)
        elif op == c.SUBPATTERN:
            found += _risks(arg[-1], inside_repeat)
        elif op == c.BRANCH:
            for branch in arg[1]:
                found += _risks(branch, inside_repeat)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            found += _risks(arg[1], inside_repeat)
    return found


def risky_patterns(module: ModuleType) -> dict[str, list[str]]:
    """Each regular expression a module holds at its top level that could backtrack."""
    found = {}
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern):
            risks = _risks(_parser.parse(value.pattern, value.flags))
            if risks:
                found[f"{module.__name__}.{name}"] = sorted(set(risks))
    return found


@dataclass(frozen=True)
class Reader:
    name: str
    module: ModuleType
    cap: int
    read: Callable[[str], Any]
    worst: Callable[[int], str]  # the worst text of about that many characters


def _checklist(text: str) -> Any:
    return checklist.ticked(["Explain the partner model"], checklist.parse_task_items(text))


def _feedback(text: str) -> Any:
    return feedback.course_line(text), feedback.rating(text)


DESCRIPTION_LIMIT = 1_048_576  # GitLab's own cap on a description: the markers' reader's cap


def _marker(text: str) -> Any:
    return marker.issue_key(text[:DESCRIPTION_LIMIT]), marker.last(text[:DESCRIPTION_LIMIT])


READERS = (
    Reader(
        "checklist item of emphasis",
        checklist,
        checklist.MAX_DESCRIPTION_CHARS,
        _checklist,
        lambda n: "- [x] " + "*" * (n - 7) + "a",
    ),
    Reader(
        "checklist item of bare emphasis",
        checklist,
        checklist.MAX_DESCRIPTION_CHARS,
        _checklist,
        lambda n: "- [x] " + "*_" * ((n - 6) // 2),
    ),
    Reader(
        "checklist lines of unclosed comments",
        checklist,
        checklist.MAX_DESCRIPTION_CHARS,
        _checklist,
        lambda n: "- [x] a <!--\n" * (n // 13),
    ),
    Reader(
        "feedback of unclosed comments",
        feedback,
        textscan.MAX_FEEDBACK_CHARS,
        _feedback,
        lambda n: "Rating: 5\n" + "<!--" * (n // 4),
    ),
    Reader(
        "feedback of unclosed fences",
        feedback,
        textscan.MAX_FEEDBACK_CHARS,
        _feedback,
        lambda n: "<!-- -->```\n" * (n // 12),
    ),
    Reader(
        "request of unclosed comments",
        enrollment,
        textscan.MAX_REQUEST_CHARS,
        enrollment.requested,
        lambda n: "Program: sal\n" + "<!--" * (n // 4),
    ),
    Reader(
        "request of fences",
        enrollment,
        textscan.MAX_REQUEST_CHARS,
        enrollment.requested,
        lambda n: "".join(f"{'`' * (3 + i % 8)}\n<!--\n" for i in range(n // 16)) + "-->",
    ),
    Reader(
        "markers: openings, one close",
        marker,
        DESCRIPTION_LIMIT,
        _marker,
        lambda n: "<!-- accred-ops:issue a=b" * (n // 26) + " -->",
    ),
    Reader(
        "markers: many almost-markers",
        marker,
        DESCRIPTION_LIMIT,
        _marker,
        lambda n: "<!-- accred-ops:issue a=b c -->" * (n // 31),
    ),
)


def measure(reader: Reader) -> dict[str, int]:
    """Steps for a clean text and the worst one at half the cap, the cap, and 4x the cap."""
    cap = reader.cap
    return {
        "clean at cap": steps(lambda: reader.read("a" * cap)),
        "worst at cap/2": steps(lambda: reader.read(reader.worst(cap // 2))),
        "worst at cap": steps(lambda: reader.read(reader.worst(cap))),
        "worst at 4x cap": steps(lambda: reader.read(reader.worst(4 * cap))),
    }


def main() -> None:
    print(
        "| reader | cap (chars) | clean at cap | worst at cap/2 | worst at cap | worst at 4x cap |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for reader in READERS:
        found = measure(reader)
        print(
            f"| {reader.name} | {reader.cap:,} | "
            + " | ".join(f"{v:,}" for v in found.values())
            + " |"
        )
    for module in {r.module for r in READERS} | {textscan}:
        print(module.__name__, "risky patterns:", risky_patterns(module) or "none")


if __name__ == "__main__":
    main()
