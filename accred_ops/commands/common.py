"""What every command of the command line shares: the context (configuration, workspace,
session), the exit codes and secret redaction, `--dry-run`, `--shard` and usernames, and the
run's progress and report printing."""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from accred_ops.app.session import open_session
from accred_ops.errors import AccredError
from accred_ops.files.load import find_config, load_workspace
from accred_ops.sync.results import LearnerResult, RunResult
from accred_ops.sync.session import Session


def _redact(text: str) -> str:
    """The token must never reach the terminal, even inside a message we did not write."""
    for secret in (
        os.environ.get("GITLAB_TOKEN", ""),
        os.environ.get("ACCRED_BADGE_KEY", ""),
        os.environ.get("ACCRED_SCORES_SECRET", ""),
    ):
        secret = secret.strip()
        text = text.replace(secret, "[secret]") if len(secret) >= 4 else text
    return text


@contextmanager
def exit_codes() -> Iterator[None]:
    try:
        yield
    except AccredError as err:
        click.echo(_redact(str(err)), err=True)
        sys.exit(err.exit_code)


class Context:
    def __init__(self, config: str | None) -> None:
        self.config_path = find_config(config)

    def workspace(self):  # type: ignore[no-untyped-def]
        ws = load_workspace(self.config_path)
        for warning in ws.warnings:  # allowed, but a curriculum author should know
            click.echo(warning, err=True)
        return ws

    def templates_dir(self, ws: Any) -> Path:
        return self.config_path.parent / ws.config.templates_dir

    def session(self) -> Session:
        ws = self.workspace()
        return open_session(
            ws, self.templates_dir(ws), self.config_path.parent / "scores", now_for_run()
        )


pass_context = click.make_pass_decorator(Context)


dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Print the plan (each change it would make) and write nothing."
)


def plural(count: int, word: str) -> str:
    """`1 learner`, `2 learners`: counts read as English."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def print_run(result: RunResult, verb: str) -> None:
    if result.tracking:
        click.echo(f"{verb}: {result.tracking}", err=True)
    if result.reading:
        click.echo(f"{verb}: {result.reading}", err=True)
    for notice in result.notices:
        click.echo(f"{verb}: {notice}", err=True)
    for line in result.group_lines:
        click.echo(f"  {line}")
    for learner in result.learners:
        _learner_lines(learner)
    writes = "would make" if result.dry_run else "made"
    changes = f"{writes} {plural(result.change_count, 'change')}"
    # setup works on the group only: "0 learners" there reads as if something were missing
    summary = (
        f"{verb}: {changes}"
        if verb == "setup"
        else f"{verb}: {plural(len(result.learners), 'learner')}, {changes}"
    )
    if result.failures:
        summary += f", {len(result.failures)} failed: " + ", ".join(
            f.username for f in result.failures
        )
    click.echo(summary)
    sys.exit(result.exit_code)


def _learner_lines(learner: LearnerResult) -> None:
    for line in learner.lines:
        click.echo(f"  @{learner.username}: {line}")
    if learner.error:
        click.echo(_redact(f"  @{learner.username}: FAILED: {learner.error}"), err=True)


def now_for_run() -> datetime.datetime:
    """The report's clock; ACCRED_NOW (ISO 8601) pins it for reproducible reports."""
    pinned = os.environ.get("ACCRED_NOW")
    if pinned:
        return datetime.datetime.fromisoformat(pinned.replace("Z", "+00:00"))
    return datetime.datetime.now(datetime.UTC)


def username_argument(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A GitLab username, or exit 2: what is typed here reaches comments GitLab reads, and a
    line break in it would start a quick action there."""
    from accred_ops.files.schema import USERNAME

    if value is not None and not USERNAME.match(value):
        raise click.BadParameter(f"{value!r} is not a GitLab username")
    return value


def _parse_shard(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        index, total = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter("use I/N, e.g. 2/4") from None
    if not 1 <= index <= total:
        raise click.BadParameter("I must be between 1 and N")
    return index, total


shard_option = click.option(
    "--shard",
    callback=_parse_shard,
    metavar="I/N",
    help="Only the learners of shard I of N (stable by username), for parallel CI jobs.",
)


def run_learners(
    ctx: Context,
    verb: str,
    run: Callable[[Session, Callable[[LearnerResult], None]], RunResult],
    cohort_id: str | None = None,
    plan_file: str | None = None,
) -> None:
    """Run, with progress on stderr: a bar on a terminal, one plain line per learner elsewhere
    (CI logs); then the report of every change on stdout."""
    with exit_codes():
        session = ctx.session()
        session.gitlab.limiter.on_wait = lambda line: click.echo(line, err=True)
        total = sum(
            len(c.learners) for c in session.ws.cohorts.values() if cohort_id in (None, c.id)
        )
        if sys.stderr.isatty() and not os.environ.get("CI"):
            with click.progressbar(length=total, label=verb, file=sys.stderr) as bar:
                result = run(session, lambda _: bar.update(1))
        else:
            done = iter(range(1, total + 1))

            def log(learner: LearnerResult) -> None:
                outcome = "FAILED" if learner.error else plural(len(learner.lines), "change")
                click.echo(
                    f"[{next(done, total)}/{total}] @{learner.username}: {outcome}", err=True
                )

            result = run(session, log)
        if plan_file:
            from accred_ops.app.planfile import plan_markdown

            Path(plan_file).write_text(plan_markdown(result, verb, os.environ), encoding="utf-8")
        print_run(result, verb)
