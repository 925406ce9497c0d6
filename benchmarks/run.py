"""Measure enroll and sync against the sandbox, next to the fewest requests the REST API allows.

    python -m benchmarks.run                      # 10 and 100 learners, no latency
    python -m benchmarks.run --learners 10 100 1000 --latency 0.02 --out docs/benchmarks.md

Lower bounds (C courses, N learners, labels and board already set up):
  enroll, fresh:      reads 4 + N (token user, labels, epics, issues, one user look-up each)
                      writes N (C + 1) (an epic and C issues each, issues created inside the epic)
  sync, no change:    reads 2 + ceil(N / 100) + ceil(N C / 100), writes 0
  sync, k changed:    the same reads, writes 2 k (the issue's stage, the epic's table and stage)
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import platform
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from accred_ops.core.planner import Mode
from accred_ops.demo import write_workspace
from accred_ops.files.load import load_workspace
from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.people import Person
from accred_ops.service import Session, connect

ROOT = Path(__file__).resolve().parent.parent
GROUP, PROJECT = "field-enablement", "field-enablement/accreditation"
COURSES = 5


@dataclass
class Row:
    scenario: str
    learners: int
    latency_ms: int
    reads: int
    writes: int
    seconds: float
    bound_reads: int
    bound_writes: int
    peak_mb: float

    @property
    def ratio(self) -> float:
        return (self.reads + self.writes) / max(1, self.bound_reads + self.bound_writes)


def _world(n: int) -> dict:
    learners = [f"learner{i:05d}" for i in range(n)]
    return {
        "users": [{"username": "accred-bot", "token": "bot"}, {"username": "sam", "token": "sam"}]
        + [{"username": u, "token": u} for u in learners],
        "groups": [
            {"path": GROUP, "members": [{"username": "accred-bot", "access_level": 50}]},
            {"path": f"{GROUP}/assessors", "members": [{"username": "sam", "access_level": 30}]},
        ],
        "projects": [
            {
                "path": PROJECT,
                "members": [{"username": u, "access_level": 20} for u in [*learners, "sam"]],
            }
        ],
    }


def _measure(
    sandbox: Sandbox,
    scenario: str,
    n: int,
    latency: float,
    bounds: tuple[int, int],
    work: Callable[[], object],
) -> Row:
    sandbox.reset_log()
    sandbox.faults.latency = latency
    tracemalloc.start()
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    sandbox.faults.latency = 0
    log = sandbox.log
    reads = sum(1 for r in log if not r.is_write)
    writes = sum(1 for r in log if r.is_write)
    return Row(scenario, n, round(latency * 1000), reads, writes, seconds, *bounds, peak)


def bench(n: int, latency: float, changed: list[int]) -> list[Row]:
    rows = []
    with Sandbox(_world(n)) as sandbox, tempfile.TemporaryDirectory() as tmp:
        learners = [f"learner{i:05d}" for i in range(n)]
        ws = load_workspace(write_workspace(Path(tmp), sandbox.url, learners, cohort="bench"))

        def session() -> Session:  # a new one per run, as each CLI run starts afresh
            return Session(ws, connect(ws, {"GITLAB_TOKEN": "bot", "GITLAB_URL": sandbox.url}))

        session().setup(dry_run=False)
        pages = math.ceil(n / 100) + math.ceil(n * COURSES / 100)
        rows.append(
            _measure(
                sandbox,
                "enroll",
                n,
                latency,
                (4 + n, n * (COURSES + 1)),
                lambda: session().run(Mode.ENROLL, False),
            )
        )
        rows.append(
            _measure(
                sandbox,
                "sync, nothing changed",
                n,
                latency,
                (2 + pages, 0),
                lambda: session().run(Mode.SYNC, False),
            )
        )
        done = 0
        for k in sorted({k for k in changed if k <= n}):
            for i in range(done, done + k):
                person = Person(sandbox.url, f"learner{i:05d}", PROJECT)
                iid = person.find_issue("Co-Selling with Partners", f"learner{i:05d}")
                person.tick(iid, ["The different types of partners GitLab works with"])
            done += k
            rows.append(
                _measure(
                    sandbox,
                    f"sync, {k} changed",
                    n,
                    latency,
                    (2 + pages, 2 * k),
                    lambda: session().run(Mode.SYNC, False),
                )
            )
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| scenario | learners | latency | reads | writes | seconds | lower bound (reads + writes) | ratio | peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.scenario} | {r.learners} | {r.latency_ms} ms | {r.reads} | {r.writes} | {r.seconds:.2f} | "
            f"{r.bound_reads} + {r.bound_writes} | {r.ratio:.2f} | {r.peak_mb:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument("--out", type=Path, help="also write a Markdown report here")
    args = parser.parse_args()
    rows = []
    for n in args.learners:
        rows += bench(n, args.latency, [1, max(1, n // 100), max(1, n // 10)])
    text = table(rows)
    print(text)
    if args.out:
        header = (
            f"# Benchmarks\n\nMeasured {dt.date.today()} on {platform.machine()} "
            f"({platform.python_implementation()} {platform.python_version()}), sandbox on 127.0.0.1.\n\n"
            f"Command: `python -m benchmarks.run --learners {' '.join(map(str, args.learners))} --latency {args.latency}`\n\n"
        )
        args.out.write_text(header + (__doc__ or "").split("\n\n", 1)[1] + "\n" + text + "\n")


if __name__ == "__main__":
    main()
