"""What badges that expire cost a sync: the renewal check reads nothing more than the listings
a full pass reads anyway (the record's dates and the run's clock decide), and a quiet sync stays
at its 7 reads. The world's clock is pinned and moved; the CLI is told the time (ACCRED_NOW).

    python -m benchmarks.renewals --learners 10 100 --latency 0.02
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import re
import tempfile
import time
from pathlib import Path

from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.people import Person
from benchmarks.run import COURSES, FEW, PROJECT, Bench, Row, _world, table

START = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)
FIRST = "Co-Selling with Partners"


def _with_validity(folder: Path) -> None:
    for path in (folder / "curriculum").glob("*.yml"):
        text = re.sub(
            r"^(title: .*\n)",
            r"\1validity: {valid_for: 6 months, renew_before: 30 days}\n",
            path.read_text(),
            count=1,
            flags=re.M,
        )
        path.write_text(text)


def _award_first(sandbox: Sandbox, n: int) -> None:
    judge = Person(sandbox.url, "sam", PROJECT)
    for i in range(n):
        learner = Person(sandbox.url, f"learner{i:05d}", PROJECT)
        iid = learner.find_issue(FIRST, f"learner{i:05d}")
        learner.tick(iid)
        judge.add_label(iid, "exam::passed")
        judge.add_label(iid, "practical::approved")


def renewals(n: int, latency: float) -> list[Row]:
    """n learners each awarded their first course's badge (valid 6 months), then full passes
    and quiet syncs before and when the renewals open."""
    full = 5 + math.ceil(n / 100) + math.ceil(n * COURSES / 100)
    rows = []
    began = time.monotonic()  # the world's clock runs from START, as GitLab's would

    def clock() -> dt.datetime:
        return START + dt.timedelta(seconds=time.monotonic() - began)

    with Sandbox(_world(n), clock=clock) as sandbox, tempfile.TemporaryDirectory() as tmp:
        b = Bench(sandbox, Path(tmp), n, latency)
        b.configure(4, {"api": 0, "issues": 0, "notes": 0})
        _with_validity(b.folder)

        def at(scenario: str, bounds: tuple[int, int], *args: str) -> Row:
            os.environ["ACCRED_NOW"] = sandbox.now().isoformat()
            return b.run(scenario, 4, bounds, *args)

        for step in ("setup", "enroll"):
            at(step, (0, 0), step)
        sandbox.advance(minutes=5)
        at("first sync", (0, 0), "sync")
        _award_first(sandbox, n)
        sandbox.advance(hours=1)
        at("award", (0, 0), "sync")
        sandbox.advance(hours=1)
        at("settle", (0, 0), "sync")
        sandbox.advance(hours=1)
        rows.append(at("sync, nothing changed (badges valid)", (FEW, 0), "sync"))
        rows.append(at("sync --full, nothing due", (full, 1), "sync", "--full"))
        sandbox.advance(days=151)  # 2027-06-04 and after: the renewals are open
        # the day's full pass (full_sync_every_hours) opens them: for each learner the renewal
        # issue (created inside the epic) and the epic's table and record; and the sync record
        rows.append(at("sync, the day's full pass: renewals open", (full, 2 * n + 1), "sync"))
        sandbox.advance(hours=1)
        rows.append(at("sync, nothing changed (renewals open)", (FEW, 0), "sync"))
        rows.append(at("sync --full, renewals open, nothing new", (full, 1), "sync", "--full"))
    os.environ.pop("ACCRED_NOW", None)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, nargs="+", default=[10])
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    print(table([row for n in args.learners for row in renewals(n, args.latency)]))


if __name__ == "__main__":
    main()
