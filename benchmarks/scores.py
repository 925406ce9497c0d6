"""Measure `scores import` against the sandbox: a results file of one attempt per learner and
course (N learners x 5 courses rows), imported once, then again (re-import).

    python -m benchmarks.scores                    # 200 learners: 1,000 rows
    python -m benchmarks.scores --learners 20 200 --latency 0

Bounds: a new attempt costs at most 2 writes (the score comment, the verdict label; GitLab's
answer to the comment's creation is not read back); the reads are those of a full pass's
listing (token user, epics, issues, 100 a page) plus, per course issue with a row whose
attempt is not on the learner's record and on which GitLab's listing counts a comment, its
comments (1 read a page), and its label events where an assessor's `exam::passed` could
stand. The program has been synced once before the import (as a running program has), and
`sync --full` is measured then: the reads of a full pass, which the first import must not
exceed. The next sync writes the attempts into the record with the epic write it makes anyway
(the verdicts changed the progress table); a re-import after it reads the listing only and
writes nothing.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from accred_ops.sandbox import Sandbox
from benchmarks.run import COURSES, Bench, Row, _world, table

COURSE_IDS = (
    "co-selling-with-partners",
    "account-planning",
    "account-planning-in-gainsight",
    "generate-pipeline",
    "manage-forecasting-activities",
)


def _results(n: int) -> str:
    """Every learner, every course: scores 40..100, so both verdicts occur."""
    lines = ["username,course,score,max_score,taken_at,attempt_id"]
    for i in range(n):
        for c, course in enumerate(COURSE_IDS):
            score = 40 + (i * 7 + c * 13) % 61
            lines.append(f"learner{i:05d},{course},{score},100,2026-12-02T10:00:00Z,a{i}-{c}")
    return "\n".join(lines) + "\n"


def measure(n: int, latency: float) -> list[Row]:
    with Sandbox(_world(n)) as sandbox, tempfile.TemporaryDirectory() as tmp:
        b = Bench(sandbox, Path(tmp), n, latency)
        b.configure(4, {"api": 0, "issues": 0, "notes": 0})
        curriculum = b.folder / "curriculum" / "strategic-account-leaders.yml"
        curriculum.write_text(
            curriculum.read_text().replace("  exam: true\n", "  exam: {pass_mark: 80}\n")
        )
        b.run("setup", 4, (0, 0), "setup")
        b.run("enroll", 4, (0, 0), "enroll")
        b.run("sync", 4, (0, 0), "sync")
        full = b.run("a full pass before any score (sync --full)", 4, (0, 0), "sync", "--full")
        (b.folder / "results.csv").write_text(_results(n))
        rows = n * COURSES
        listing = 1 + math.ceil(n / 100) + math.ceil(rows / 100)
        first = b.run(
            f"scores import, {rows} new attempts",
            4,
            # the listing: no course issue has a comment yet, so none is read
            (listing, 2 * rows),
            "scores",
            "import",
            "results.csv",
        )
        early = b.run(
            f"scores import again, before a sync ({rows} known attempts)",
            4,
            # each issue's comments (the score comment is there, not yet on the record); no
            # label events: every row is among the tool's score comments already
            (listing + rows, 0),
            "scores",
            "import",
            "results.csv",
        )
        synced = b.run("sync after the import (records the attempts)", 4, (0, 0), "sync")
        again = b.run(
            f"scores import again, after the sync ({rows} known attempts)",
            4,
            (listing, 0),  # the listing only: every attempt is on the learner's record
            "scores",
            "import",
            "results.csv",
        )
        return [full, first, early, synced, again]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, nargs="+", default=[200])
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    rows = [row for n in args.learners for row in measure(n, args.latency)]
    print(table(rows))


if __name__ == "__main__":
    main()
