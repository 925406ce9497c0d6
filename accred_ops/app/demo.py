"""`accred-ops demo`: the whole flow on the built-in sandbox, no GitLab and no token needed.

It seeds a sandbox GitLab, runs `setup` and `enroll` for the shipped program with a small
cohort, then plays a few days of activity as the learners and an assessor would (through the
API, with their own tokens), running `sync` after each day, and shows what happened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from accred_ops.app.init import SCAFFOLD
from accred_ops.core.context import Mode
from accred_ops.core.progress import OPEN_STAGES, stage_label
from accred_ops.files.load import load_workspace
from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.app import describe
from accred_ops.sandbox.people import Person
from accred_ops.sandbox.world import starting_clock
from accred_ops.sync.connection import connect
from accred_ops.sync.results import RunResult
from accred_ops.sync.session import Session

GROUP = "field-enablement"
PROJECT = "field-enablement/accreditation"

SEED = {
    "users": [
        {
            "username": "accred-bot",
            "token": "demo-bot-token",
            "name": "Accreditation Bot",
            "bot": True,  # a group access token's user, as the README advises
        },
        {"username": "alice", "token": "demo-alice-token", "name": "Alice Ng"},
        {"username": "bob", "token": "demo-bob-token", "name": "Bob Ortiz"},
        {"username": "carol", "token": "demo-carol-token", "name": "Carol Diaz"},
        {"username": "sam", "token": "demo-sam-token", "name": "Sam Assessor"},
    ],
    "groups": [
        {
            "path": GROUP,
            "members": [{"username": "accred-bot", "access_level": 50}],
        },
        {"path": f"{GROUP}/assessors", "members": [{"username": "sam", "access_level": 30}]},
    ],
    # Learners and assessors are project members: members of the parent group would count as
    # inherited members of the assessors subgroup (GitLab's members/all), i.e. as assessors.
    "projects": [
        {
            "path": PROJECT,
            "members": [
                {"username": "alice", "access_level": 20},
                {"username": "bob", "access_level": 20},
                {"username": "carol", "access_level": 20},
                {"username": "sam", "access_level": 30},
            ],
        }
    ],
}

Echo = Callable[[str], None]


def source_root() -> Path:
    """The program the demo plays: the one accred-ops ships (the one `init` writes), whatever
    the current folder holds — a user's own program may have other ids."""
    return SCAFFOLD


def this_monday() -> dt.date:
    """The demo cohort's start: this week's Monday by the sandbox's clock, so its due dates read
    right on any day."""
    today = starting_clock()().date()
    return today - dt.timedelta(days=today.weekday())


def write_workspace(
    folder: Path,
    url: str | None,
    learners: Sequence[str],
    cohort: str = "demo",
    concurrency: int = 4,
    full_sync_every_hours: int | None = None,
    start: dt.date | None = None,
) -> Path:
    """A program repository for the sandbox world: the shipped curriculum and one cohort, which
    starts on `start`, by default the day after the sandbox's today (so the demo reads the same
    on any date, and tests that pin the sandbox's clock pin the cohort's dates with it)."""
    source = source_root() / "curriculum"
    if source.resolve() != (folder / "curriculum").resolve():
        shutil.copytree(source, folder / "curriculum", dirs_exist_ok=True)
    (folder / "cohorts").mkdir(exist_ok=True)
    names = "".join(f"  - {name}\n" for name in learners)
    start = start or starting_clock()().date() + dt.timedelta(days=1)
    (folder / "cohorts" / f"{cohort}.yml").write_text(
        f"id: {cohort}\nprogram: sal\npath: territory-and-pipeline\nstart: {start.isoformat()}\n"
        f"weeks_per_course: 2\nlearners:\n{names}"
    )
    url_line = f"  url: {url}\n" if url else ""
    every = (
        ""
        if full_sync_every_hours is None
        else f"  full_sync_every_hours: {full_sync_every_hours}\n"
    )
    (folder / "accred.yml").write_text(
        f"gitlab:\n{url_line}  group: {GROUP}\n  project: {PROJECT}\n  board: Field Enablement\n"
        f"  concurrency: {concurrency}\n{every}"
        f"assessors:\n  groups: [{GROUP}/assessors]\n"
    )
    return folder / "accred.yml"


DEMO_ISSUER = (
    "badges:\n  issuer: {name: Demo Field Enablement, url: https://example.com, "
    "email: enablement@example.com}\n"
)


def _summary(title: str, result: RunResult, echo: Echo) -> None:
    echo(f"\n== {title}")
    for line in result.group_lines[:3]:
        echo(f"   {line}")
    if len(result.group_lines) > 3:
        echo(f"   ... and {len(result.group_lines) - 3} more group changes")
    for learner in result.learners:
        for line in learner.lines:
            echo(f"   @{learner.username}: {line}")
        if learner.error:
            echo(f"   @{learner.username}: FAILED: {learner.error}")
    echo(f"   ({result.change_count} changes)")


def run_demo(echo: Echo, keep: bool = False, wait: Callable[[], None] | None = None) -> int:
    """Play the story; returns the number of course badges awarded (for tests). With `keep`,
    the sandbox stays up (until `wait` returns: Ctrl-C by default) so the board can be seen."""
    with Sandbox(SEED) as sandbox, tempfile.TemporaryDirectory(prefix="accred-demo-") as tmp:
        echo(
            f"Sandbox GitLab running at {sandbox.url} (in memory; it disappears when the demo ends)"
        )
        folder = write_workspace(Path(tmp), sandbox.url, ["alice", "bob"], start=this_monday())
        with folder.open("a") as settings:  # for `badges export`, which --keep offers
            settings.write(DEMO_ISSUER)
        ws = load_workspace(folder)
        env = {
            "GITLAB_TOKEN": sandbox.token_for("accred-bot"),
            "GITLAB_URL": sandbox.url,
            "ACCRED_MAX_RETRIES": "3",
        }
        session = Session(ws, connect(ws, env))
        people = {
            name: Person(sandbox.url, sandbox.token_for(name), PROJECT)
            for name in ("alice", "bob", "sam")
        }
        _play(session, people, echo)
        awarded = _show_board(session, echo)
        if not keep:
            echo(f"\nTo see the board in a browser: {how_to_run()} demo --keep")
            return awarded
        echo("")
        for line in describe(sandbox):
            echo(line)
        echo(f"the demo's program folder (accred.yml, cohorts/, curriculum/): {tmp}")
        me = how_to_run(absolute=True)
        echo(f"  cd {tmp}, export the two variables above, then: {me} report,")
        echo(f"  {me} status alice, {me} badges export --out badges --base-url ...")
        echo(f"\nopen {sandbox.url}/ to see the board (Ctrl-C stops the sandbox)")
        with contextlib.suppress(KeyboardInterrupt):
            (wait or threading.Event().wait)()
        return awarded


def how_to_run(absolute: bool = False) -> str:
    """The command a reader types to run the tool again: `accred-ops` where it is on PATH, else
    the program running now (`.venv/bin/accred-ops` after `python3 dev.py demo`, which does not
    put the tool on PATH), absolute when the reader is asked to change folders first."""
    program = Path(sys.argv[0])
    if shutil.which("accred-ops"):
        return "accred-ops"
    if program.resolve() == Path(__file__).resolve().parent.parent / "__main__.py":
        # python -m accred_ops
        return f"{sys.executable} -m accred_ops"
    if program.name != "accred-ops":
        return "accred-ops"
    if absolute or not program.resolve().is_relative_to(Path.cwd()):
        return str(program.resolve())
    return str(program.resolve().relative_to(Path.cwd()))


def _play(session: Session, people: dict[str, Person], echo: Echo) -> None:
    """Three days of the story: enroll, ticks, a refused self-verdict, an assessor's verdicts,
    the badges, then a sync with nothing to do."""
    ws = session.ws
    _, path = ws.path_of(ws.cohorts["demo"])
    first, *rest = path.courses

    _summary("setup: labels and the Field Enablement board", session.setup(dry_run=False), echo)
    enrolled = session.run(Mode.ENROLL, dry_run=False)
    echo(
        f"\n== enroll: {len(enrolled.learners)} learners, {enrolled.change_count} changes "
        f"(an epic each, {len(path.courses)} course issues each, linked)"
    )

    echo("\n-- Day 1: Alice ticks every item of her first course; Bob ticks one objective.")
    alice_first = people["alice"].find_issue(first.title, "alice")
    people["alice"].tick(alice_first)
    bob_first = people["bob"].find_issue(first.title, "bob")
    people["bob"].tick(bob_first, [first.objectives[0]])
    _summary("sync", session.run(Mode.SYNC, dry_run=False), echo)

    echo("\n-- Day 2: Alice tries to pass her own exam; then Sam, an assessor, passes her.")
    people["alice"].add_label(alice_first, ws.config.labels.exam_passed)
    _summary("sync (the self-set verdict is refused)", session.run(Mode.SYNC, dry_run=False), echo)
    people["sam"].add_label(alice_first, ws.config.labels.exam_passed)
    people["sam"].add_label(alice_first, ws.config.labels.practical_approved)
    _summary("sync (the badge is awarded)", session.run(Mode.SYNC, dry_run=False), echo)

    echo("\n-- Day 3: Alice completes the other four courses and Sam passes each of them.")
    for course in rest:
        iid = people["alice"].find_issue(course.title, "alice")
        people["alice"].tick(iid)
        people["sam"].add_label(iid, ws.config.labels.exam_passed)
        people["sam"].add_label(iid, ws.config.labels.practical_approved)
    _summary("sync (four badges, and the path badge)", session.run(Mode.SYNC, dry_run=False), echo)
    again = session.run(Mode.SYNC, dry_run=False)
    echo(f"\n== sync again with nothing changed: {again.change_count} changes")


def _show_board(session: Session, echo: Echo) -> int:
    labels = session.ws.config.labels
    issues = sorted(session.gitlab.list_issues([labels.scope]), key=lambda i: i.iid)
    echo(f'\n== The "{session.ws.config.gitlab.board}" board')
    for stage in OPEN_STAGES:
        label = stage_label(labels, stage)
        cards = [i.title for i in issues if i.state == "opened" and label in i.labels]
        echo(f"   [{label}] {len(cards)} card(s)")
        for title in cards:
            echo(f"      - {title}")
    closed = [i for i in issues if i.state == "closed" and labels.badge_awarded in i.labels]
    echo(f"   [Closed] {len(closed)} card(s), each with its badge")
    echo("\n== Badges awarded")
    for issue in closed:
        echo(f"   - {issue.title}")
    for epic in session.gitlab.list_epics([labels.scope]):
        if labels.accredited in epic.labels:
            echo(f"   - path badge: {epic.title}")
    return len(closed)
