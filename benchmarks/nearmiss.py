"""Bounded work per learner: reading the ticks of a ~1 MB description of near-miss items.

A learner (or anyone who may edit the issue) can fill a description with checklist items that
each miss an objective by a little, so every one is a fuzzy-match candidate. Run:
`python -m benchmarks.nearmiss [SIZE_BYTES]`; it prints the description size, the items read,
the similarity ratios computed and the seconds `read_ticks` took, for one course issue; then the
seconds of `sync --full` on a sandbox with three learners, quiet and after two learners each
saved such a description on their first course issue.
"""

from __future__ import annotations

import difflib
import sys
import time
from pathlib import Path

from accred_ops.core import checklist
from accred_ops.core.progress import read_ticks
from accred_ops.files.load import load_workspace

ROOT = Path(__file__).resolve().parent.parent


def near_miss_description(objectives: tuple[str, ...], size: int) -> str:
    """Items that read like an objective with a few characters changed (ratio just below 0.85),
    and not one real objective: every item is compared with every objective."""
    lines, total, n = [], 0, 0
    while total < size:
        text = objectives[n % len(objectives)]
        cut = max(4, len(text) // 5)
        line = f"- [x] {text[:-cut]}{'z' * cut} {n}"
        lines.append(line)
        total += len(line) + 1
        n += 1
    return "\n".join(lines)


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_048_576
    ws = load_workspace(ROOT / "accred.yml")
    course = next(iter(ws.programs.values())).paths[0].courses[0]
    description = near_miss_description(course.objectives, size)
    calls = 0
    real = difflib.SequenceMatcher

    class Counting(real):  # type: ignore[misc,valid-type]
        def ratio(self) -> float:
            nonlocal calls
            calls += 1
            return super().ratio()

    checklist.difflib.SequenceMatcher = Counting  # type: ignore[misc]
    started = time.perf_counter()
    read_ticks(course, description)
    seconds = time.perf_counter() - started
    items = len(checklist.parse_task_items(description))
    print(f"{len(description)} chars, {items} items read, {calls} ratios, {seconds:.2f} s")


def sync_full(size: int) -> str:
    """`sync --full` before and after two learners' descriptions of `size` near-miss items."""
    import copy
    import os
    import shutil
    import tempfile

    from click.testing import CliRunner

    from accred_ops.app.demo import PROJECT, SEED, write_workspace
    from accred_ops.cli import main as cli
    from accred_ops.sandbox import Sandbox
    from accred_ops.sandbox.people import Person

    folder = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "templates", folder / "templates")
    learners = ("alice", "bob", "carol")
    with Sandbox(copy.deepcopy(SEED)) as sandbox:
        write_workspace(folder, sandbox.url, learners, full_sync_every_hours=0)
        os.chdir(folder)
        os.environ["GITLAB_TOKEN"] = sandbox.token_for("accred-bot")
        runner = CliRunner()
        assert runner.invoke(cli, ["enroll"]).exit_code == 0

        def timed() -> float:
            started = time.perf_counter()
            assert runner.invoke(cli, ["sync", "--full"]).exit_code == 0
            return time.perf_counter() - started

        quiet = min(timed() for _ in range(2))
        ws = load_workspace(folder / "accred.yml")
        course = next(iter(ws.programs.values())).paths[0].courses[0]
        for who in learners[:2]:
            person = Person(sandbox.url, sandbox.token_for(who), PROJECT)
            issue = person.project.issues.get(person.find_issue(course.title, who))
            issue.description = near_miss_description(course.objectives, size)
            issue.save()
        attacked = min(timed() for _ in range(2))
    return f"sync --full: {quiet:.2f} s quiet, {attacked:.2f} s with two near-miss descriptions"


if __name__ == "__main__":
    main()
    print(sync_full(int(sys.argv[1]) if len(sys.argv) > 1 else 1_048_576))
