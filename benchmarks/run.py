"""Measure enroll and sync against the sandbox, next to the fewest requests the REST API allows.

    python -m benchmarks.run                      # 10 and 100 learners, no latency
    python -m benchmarks.run --learners 10 100 1000 --latency 0.02 --out docs/benchmarks.md
    python -m benchmarks.run --tracking issue     # learner issues (GitLab Free)

Lower bounds (C courses, N learners, labels and board already set up), epic mode:
  enroll, fresh:      reads 4 + ceil(members / 100) (token user, labels, epics, issues, members)
                      writes N (C + 1) (an epic, holding the learner record, and C issues each,
                      issues created inside the epic)
  sync, full pass:    reads 5 + ceil(N / 100) + ceil(N C / 100) (token user, labels, the sync
                      state issue and the tool's comment on it that holds the record, open course
                      feedback, every epic and issue), writes 1 (the record's comment; 3 the
                      first time: the state issue, closed, and the comment)
  sync, incremental:  reads 7 (token user, labels, the record (2), epics and issues changed since,
                      course feedback changed since)
  sync, k changed:    the same 7 reads, writes 2 k + 1 (the issue's stage, the epic's table and
                      stage, the record); accred-ops also reads each changed learner's epic and
                      issues (2 k), or the whole program when that is fewer requests
Learner issues (--tracking issue) add, per learner, one read of the learner issue's comments
(its record) to every full pass and one record comment to enrollment (1 creation, read back
once); the C links to the learner issue are writes of their own.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from accred_ops.app.demo import write_workspace
from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.people import Person

GROUP, PROJECT = "field-enablement", "field-enablement/accreditation"
COURSES = 5
FEW = 7  # an incremental sync's reads: token user, labels, record (2), epics, issues, feedback


@dataclass
class Row:
    scenario: str
    learners: int
    latency_ms: int
    concurrency: int
    reads: int
    writes: int
    seconds: float
    bound_reads: int
    bound_writes: int
    peak_mb: float
    throttled: int = 0

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


class Bench:
    """One sandbox world of n learners, and the CLI run against it as a separate process."""

    def __init__(
        self, sandbox: Sandbox, folder: Path, n: int, latency: float, tracking: str = "epic"
    ) -> None:
        self.sandbox, self.folder, self.n, self.latency = sandbox, folder, n, latency
        self.tracking = tracking

    def configure(self, concurrency: int, limits: dict[str, int] | None = None) -> None:
        learners = [f"learner{i:05d}" for i in range(self.n)]
        config = write_workspace(
            self.folder, self.sandbox.url, learners, cohort="bench", concurrency=concurrency
        )
        config.write_text(
            config.read_text().replace("gitlab:\n", f"gitlab:\n  tracking: {self.tracking}\n")
        )
        if limits is not None:
            rates = "".join(f"    {k}: {v}\n" for k, v in limits.items())
            config.write_text(
                config.read_text().replace(
                    "  concurrency:", f"  rate_limits:\n{rates}  concurrency:"
                )
            )

    def run(self, scenario: str, concurrency: int, bounds: tuple[int, int], *args: str) -> Row:
        self.sandbox.reset_log()
        self.sandbox.faults.latency = self.latency
        root = str(Path(__file__).resolve().parent.parent)
        env = {
            **os.environ,
            "GITLAB_TOKEN": "bot",
            "GITLAB_URL": self.sandbox.url,
            "PYTHONPATH": root,
        }
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.client", *args],
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        self.sandbox.faults.latency = 0
        if done.returncode:
            raise SystemExit(f"{scenario} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        peak = float(re.findall(r"PEAK_MB=([0-9.]+)", done.stderr)[-1])
        log = self.sandbox.log
        reads = sum(1 for r in log if not r.is_write)
        writes = sum(1 for r in log if r.is_write)
        throttled = sum(1 for r in log if r.status == 429)
        return Row(
            scenario,
            self.n,
            round(self.latency * 1000),
            concurrency,
            reads,
            writes,
            seconds,
            *bounds,
            peak,
            throttled,
        )

    def tick(self, first: int, count: int) -> None:
        for i in range(first, first + count):
            person = Person(self.sandbox.url, f"learner{i:05d}", PROJECT)
            person.tick(
                person.find_issue("Co-Selling with Partners", f"learner{i:05d}"),
                ["The different types of partners GitLab works with"],
            )


def bench(n: int, latency: float, concurrency: int, tracking: str = "epic") -> list[Row]:
    """enroll, a sync with nothing changed, and syncs after k learners changed."""
    rows = []
    pages = math.ceil(n / 100) + math.ceil(n * COURSES / 100)
    issue_mode = tracking == "issue"
    records = n if issue_mode else 0  # issue mode: each learner issue's comments, its record
    with Sandbox(_world(n)) as sandbox, tempfile.TemporaryDirectory() as tmp:
        b = Bench(sandbox, Path(tmp), n, latency, tracking)
        b.configure(concurrency, {"api": 0, "issues": 0, "notes": 0})
        b.run("setup", concurrency, (0, 0), "setup")
        member_pages = math.ceil((n + 2) / 100)
        writes = n * (COURSES + 1) + (n * COURSES + n if issue_mode else 0)
        rows.append(
            b.run(f"enroll ({tracking})", concurrency, (4 + member_pages, writes), "enroll")
        )
        sandbox.advance(minutes=5)  # the sandbox's clock: GitLab's `updated_at` and `Date`
        full = 5 + pages + records
        rows.append(b.run("sync, first: full pass", concurrency, (full, 3), "sync"))
        sandbox.advance(hours=1)
        rows.append(b.run("sync, nothing changed", concurrency, (FEW, 0), "sync"))
        rows.append(b.run("sync --full, nothing changed", concurrency, (full, 1), "sync", "--full"))
        done = 0
        for k in sorted({1, max(1, n // 100), max(1, n // 10)}):
            b.tick(done, k)
            done += k
            sandbox.advance(hours=1)
            rows.append(b.run(f"sync, {k} changed", concurrency, (FEW, 2 * k + 1), "sync"))
    return rows


@contextlib.contextmanager
def _synced(n: int, latency: float) -> Iterator[tuple[Sandbox, Bench]]:
    """n learners set up, enrolled and synced once (unmeasured), for the scenarios that follow."""
    with Sandbox(_world(n)) as sandbox, tempfile.TemporaryDirectory() as tmp:
        b = Bench(sandbox, Path(tmp), n, latency)
        b.configure(4, {"api": 0, "issues": 0, "notes": 0})
        b.run("setup", 4, (0, 0), "setup")
        b.run("enroll", 4, (0, 0), "enroll")
        sandbox.advance(minutes=5)
        b.run("sync, first: full pass", 4, (0, 0), "sync")
        yield sandbox, b


def loop(n: int, latency: float, k: int) -> list[Row]:
    """The assessment loop's sync steps: k issues entering assessment (routed by mention, then
    by round robin), and k course feedback issues to triage (a known course, then none)."""
    rows = []
    with _synced(n, latency) as (sandbox, b):
        config = b.folder / "accred.yml"
        for mode, first in (("mention", 0), ("round-robin", k)):
            text = re.sub(r"  (routing|usernames): .*\n", "", config.read_text())
            config.write_text(
                text.replace("assessors:\n", f"assessors:\n  routing: {mode}\n  usernames: [sam]\n")
            )
            for i in range(first, first + k):
                person = Person(sandbox.url, f"learner{i:05d}", PROJECT)
                person.tick(person.find_issue("Co-Selling with Partners", f"learner{i:05d}"))
            sandbox.advance(hours=1)
            # bound: the 6 reads; a comment, the stage and the epic each, and the record
            rows.append(b.run(f"sync, {k} enter assessment ({mode})", 4, (FEW, 3 * k + 1), "sync"))
        for course, what in (
            ("account-planning", "a known course"),
            ("nothing known", "no course"),
        ):
            for i in range(k):
                person = Person(sandbox.url, f"learner{i:05d}", PROJECT)
                person.project.issues.create(
                    {
                        "title": f"Feedback {what} {i}",
                        "description": f"Course: {course}\nRating: 4\n",
                        "labels": "Field Learning Programs,accreditation::feedback",
                    }
                )
            sandbox.advance(hours=1)
            rows.append(b.run(f"sync, {k} new feedback ({what})", 4, (FEW, k + 1), "sync"))
    return rows


def speedup(n: int, latency: float, levels: list[int]) -> list[Row]:
    """The same enrollment at several concurrency levels."""
    rows = []
    for concurrency in levels:
        with Sandbox(_world(n)) as sandbox, tempfile.TemporaryDirectory() as tmp:
            b = Bench(sandbox, Path(tmp), n, latency)
            b.configure(concurrency, {"api": 0, "issues": 0, "notes": 0})
            b.run("setup", concurrency, (0, 0), "setup")
            rows.append(
                b.run(
                    "enroll",
                    concurrency,
                    (4 + math.ceil((n + 2) / 100), n * (COURSES + 1)),
                    "enroll",
                )
            )
    return rows


def limiter(n: int, server_limit: int) -> list[Row]:
    """Enrollment against a server that allows `server_limit` issue creations a minute: with the
    client-side limit just under it, and without one."""
    rows = []
    for client_limit in (server_limit - 2, 0):
        with Sandbox(_world(n)) as sandbox, tempfile.TemporaryDirectory() as tmp:
            b = Bench(sandbox, Path(tmp), n, 0.0)
            b.configure(4, {"api": 0, "issues": client_limit, "notes": 0})
            b.run("setup", 4, (0, 0), "setup")
            sandbox.faults.rate_limits = {"issues_create": server_limit}
            label = (
                f"enroll, server {server_limit} creations/min, client {client_limit or 'unlimited'}"
            )
            rows.append(b.run(label, 4, (4 + 1, n * (COURSES + 1)), "enroll"))
    return rows


def storm(n: int, latency: float, concurrency: int) -> list[Row]:
    """Enroll n learners, run the scheduled sync at once (a full pass whose overlap holds every
    enrollment write), then the first hourly sync after."""
    pages = math.ceil(n / 100) + math.ceil(n * COURSES / 100)
    with Sandbox(_world(n)) as sandbox, tempfile.TemporaryDirectory() as tmp:
        b = Bench(sandbox, Path(tmp), n, latency)
        b.configure(concurrency, {"api": 0, "issues": 0, "notes": 0})
        b.run("setup", concurrency, (0, 0), "setup")
        rows = [b.run("enroll", concurrency, (4 + math.ceil((n + 2) / 100), n * 6), "enroll")]
        label = "sync at once after enroll: full pass, waits out its overlap"
        rows.append(b.run(label, concurrency, (3 + pages, 2), "sync"))
        sandbox.advance(hours=1)
        rows.append(b.run("the first hourly sync after", concurrency, (FEW, 0), "sync"))
    return rows


def events(latency: float) -> tuple[list[Row], float]:
    """Requests per `sync --event` (10 learners): each change made, its webhook caught, then
    the CLI run on the payload; and the seconds from an assessor's label to the award comment
    with webhooks delivered to a local receiver (`demo --reactive`)."""
    from accred_ops.app.demo_reactive import run_reactive_demo
    from accred_ops.app.receiver import Receiver

    rows = []
    with _synced(10, latency) as (sandbox, b):
        caught: list[bytes] = []
        with Receiver(caught.append, "secret") as receiver:
            Person(sandbox.url, "bot", PROJECT).add_webhook(receiver.url, "secret")
            learner, sam = (
                Person(sandbox.url, "learner00000", PROJECT),
                Person(sandbox.url, "sam", PROJECT),
            )
            iid = learner.find_issue("Co-Selling with Partners", "learner00000")

            def event(name: str, bounds: tuple[int, int], act: Callable[[], None]) -> None:
                act()
                sandbox.wait_for_hooks(30)
                time.sleep(0.2)
                path = b.folder / f"event{len(rows)}.json"
                path.write_bytes(caught[-1])
                rows.append(b.run(name, 1, bounds, "sync", "--event", str(path)))

            event("event: a comment (no change)", (6, 0), lambda: learner.comment(iid, "hello"))
            event(
                "event: a tick (stage moves)",
                (6, 2),
                lambda: learner.tick(iid, ["The different types of partners GitLab works with"]),
            )
            learner.tick(iid)
            sandbox.wait_for_hooks(30)

            def verdicts() -> None:
                sam.add_label(iid, "exam::passed")
                sam.add_label(iid, "practical::approved")

            event("event: the verdict (award)", (6 + 4, 3), verdicts)
            event("event: the tool's own change", (1, 0), lambda: None)
    seconds = run_reactive_demo(lambda _: None, latency)
    return rows, seconds


def table(rows: list[Row]) -> str:
    lines = [
        "| scenario | learners | latency | concurrency | reads | writes | 429s | seconds | lower bound (reads + writes) | ratio | client peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.scenario} | {r.learners} | {r.latency_ms} ms | {r.concurrency} | {r.reads} | {r.writes} | "
            f"{r.throttled} | {r.seconds:.2f} | {r.bound_reads} + {r.bound_writes} | {r.ratio:.2f} | {r.peak_mb:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, nargs="+", default=[10, 100])
    parser.add_argument(
        "--latency", type=float, default=0.02, help="seconds added to every request"
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--tracking", nargs="+", default=["epic"], help="epic and/or issue (learner issues)"
    )
    parser.add_argument(
        "--speedup",
        type=int,
        default=0,
        help="learners for the concurrency comparison at 100 ms (0: skip)",
    )
    parser.add_argument(
        "--limiter",
        action="store_true",
        help="also show the client-side limiter against a throttling server (takes minutes)",
    )
    parser.add_argument(
        "--loop",
        type=int,
        default=0,
        help="also measure the assessment loop's steps with this many issues (0: skip)",
    )
    parser.add_argument(
        "--storm", type=int, default=0, help="learners for the sync right after enroll (0: skip)"
    )
    parser.add_argument(
        "--events", action="store_true", help="also measure `sync --event` (webhooks)"
    )
    parser.add_argument("--out", type=Path, help="also write a Markdown report here")
    args = parser.parse_args()
    if args.loop and args.learners[0] < 2 * args.loop:  # two rounds of --loop learners tick
        parser.error(f"--loop {args.loop} needs --learners {2 * args.loop} or more first")
    sections = []
    rows = [
        row
        for tracking in args.tracking
        for n in args.learners
        for row in bench(n, args.latency, args.concurrency, tracking)
    ]
    sections.append(("Requests against the lower bound", table(rows)))
    print(sections[-1][1], flush=True)
    if args.speedup:
        sections.append(
            ("Concurrency at 100 ms latency", table(speedup(args.speedup, 0.1, [1, 4, 8])))
        )
        print(sections[-1][1], flush=True)
    if args.loop:
        n = args.learners[0]
        sections.append(("Assessment loop", table(loop(n, args.latency, args.loop))))
        print(sections[-1][1], flush=True)
    if args.storm:
        sections.append(
            ("After a big enrollment", table(storm(args.storm, args.latency, args.concurrency)))
        )
        print(sections[-1][1], flush=True)
    if args.events:
        found, seconds = events(args.latency)
        note = f"\n\nFrom the assessor's last verdict label to the award comment: {seconds:.2f} s"
        sections.append(("Webhook events", table(found) + note))
        print(sections[-1][1], flush=True)
    if args.limiter:
        sections.append(("Client-side rate limiter", table(limiter(5, 20))))
        print(sections[-1][1], flush=True)
    if args.out:
        command = "python -m benchmarks.run " + " ".join(sys.argv[1:])
        header = (
            f"# Benchmarks\n\nMeasured {dt.date.today()} on {platform.machine()}, {os.cpu_count()} cores "
            f"({platform.python_implementation()} {platform.python_version()}); the sandbox runs in the benchmark's "
            f"process on 127.0.0.1 and the CLI in its own, whose peak memory is shown.\n\n"
            f"Command: `{command}`\n\n"
        )
        body = "\n\n".join(f"## {title}\n\n{text}" for title, text in sections)
        args.out.write_text(header + (__doc__ or "").split("\n\n", 1)[1] + "\n" + body + "\n")


if __name__ == "__main__":
    main()
