"""`accred-ops demo --reactive`: the badge seconds after the verdict, with no schedule.

The sandbox GitLab delivers its webhooks (Issue Hook, Note Hook) to a tiny receiver on
127.0.0.1, which runs each body through `sync --event`'s own code, one at a time, as the
triggered CI job would on GitLab. No `sync` is run by hand: every change below is answered by
the events it causes.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from accred_ops.app.demo import PROJECT, SEED, Echo, write_workspace
from accred_ops.app.events import EventOutcome, handle_payload
from accred_ops.app.receiver import Receiver
from accred_ops.core.context import Mode
from accred_ops.files.load import load_workspace
from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.people import Person
from accred_ops.sync.connection import connect
from accred_ops.sync.session import Session

SECRET = "demo-webhook-secret"


def run_reactive_demo(echo: Echo, latency: float = 0.0) -> float:
    """Play an assessor's verdict reaching the badge through webhooks alone; returns the seconds
    from the verdict's last label to the award comment (`latency`: per sandbox request)."""
    with Sandbox(SEED) as sandbox, tempfile.TemporaryDirectory(prefix="accred-demo-") as tmp:
        echo(f"Sandbox GitLab at {sandbox.url}; webhooks on, no scheduled sync")
        ws = load_workspace(write_workspace(Path(tmp), sandbox.url, ["alice", "bob"]))
        env = {
            "GITLAB_TOKEN": sandbox.token_for("accred-bot"),
            "GITLAB_URL": sandbox.url,
            "ACCRED_MAX_RETRIES": "3",
        }
        session = Session(ws, connect(ws, env))
        session.setup(dry_run=False)
        session.run(Mode.ENROLL, dry_run=False)
        echo("== setup and enroll done: alice and bob each have an epic and five course issues")
        ignored: list[str] = []
        lock = threading.Lock()

        def answer(body: bytes) -> None:
            outcome = handle_payload(ws, None, body, "webhook", env=env)
            with lock:
                _show(outcome, echo, ignored)

        people = {n: Person(sandbox.url, sandbox.token_for(n), PROJECT) for n in ("alice", "sam")}
        with Receiver(answer, SECRET) as receiver:
            Person(sandbox.url, env["GITLAB_TOKEN"], PROJECT).add_webhook(receiver.url, SECRET)
            _, path = ws.path_of(ws.cohorts["demo"])
            course = path.courses[0]
            iid = people["alice"].find_issue(course.title, "alice")
            sandbox.faults.latency = latency
            echo(f"\n-- Alice ticks every item of '{course.title}'.")
            people["alice"].tick(iid)
            _settle(sandbox, receiver)
            echo("\n-- Sam, an assessor, passes her exam and approves her practical.")
            people["sam"].add_label(iid, ws.config.labels.exam_passed)
            people["sam"].add_label(iid, ws.config.labels.practical_approved)
            verdict = time.perf_counter()
            seconds = _until(lambda: _awarded(sandbox, iid, course.badge_name), verdict)
            _settle(sandbox, receiver)
            sandbox.faults.latency = 0
        echo(
            f"\n== The badge arrived {seconds:.2f} s after Sam's verdict, with no schedule "
            f"({len(sandbox.deliveries)} webhook deliveries; {len(ignored)} were accred-ops' "
            "own changes or concerned nobody, each dropped after at most one request)"
        )
        return seconds


def _show(outcome: EventOutcome, echo: Echo, ignored: list[str]) -> None:
    if outcome.result is None:
        ignored.append(outcome.ignored)
        return
    where = outcome.selection.describe() if outcome.selection else "event"
    lines = [f"@{r.username}: {line}" for r in outcome.result.learners for line in r.lines]
    echo(f"   {where}: {len(lines)} changes")
    for line in lines:
        echo(f"      {line}")


def _awarded(sandbox: Sandbox, iid: int, badge: str) -> bool:
    with sandbox.world.lock:
        return any(
            issue.iid == iid and any(badge in n.body and not n.system for n in issue.notes)
            for issue in sandbox.world.state.issues.values()
        )


def _until(done: Callable[[], bool], since: float, timeout: float = 60) -> float:
    while not done():
        if time.perf_counter() - since > timeout:
            raise TimeoutError("no award within a minute: see the events above")
        time.sleep(0.005)
    return time.perf_counter() - since


def _settle(sandbox: Sandbox, receiver: Receiver) -> None:
    """Until every delivery is made and answered, the deliveries those answers cause too."""
    for _ in range(4):
        sandbox.wait_for_hooks(30)
        deadline = time.monotonic() + 60
        while not receiver.idle() and time.monotonic() < deadline:
            time.sleep(0.01)
