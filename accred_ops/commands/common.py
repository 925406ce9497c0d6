"""What every command of the command line shares: the context (configuration, workspace,
session), the exit codes and secret redaction, `--dry-run`, and the run report's printing."""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from accred_ops.errors import AccredError
from accred_ops.files.load import find_config, load_workspace
from accred_ops.files.scores_csv import read_folder
from accred_ops.files.validate import validate_workspace
from accred_ops.sync.connection import connect
from accred_ops.sync.results import LearnerResult, RunResult
from accred_ops.sync.scores import Folder
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
def _exit_codes() -> Iterator[None]:
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
        validate_workspace(ws, self.templates_dir(ws))
        session = Session(ws, connect(ws), self.templates_dir(ws), now=_now())
        from accred_ops.badges.links import attach  # award comments link the award's page

        attach(session.texts, ws)
        rows, digest = read_folder(self.config_path.parent / "scores", ws)
        session.scores = Folder(tuple(rows), digest)  # type: ignore[attr-defined]
        return session


pass_context = click.make_pass_decorator(Context)


dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Print the plan (each change it would make) and write nothing."
)


def plural(count: int, word: str) -> str:
    """`1 learner`, `2 learners`: counts read as English."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def _report(result: RunResult, verb: str) -> None:
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


def _now() -> datetime.datetime:
    """The report's clock; ACCRED_NOW (ISO 8601) pins it for reproducible reports."""
    pinned = os.environ.get("ACCRED_NOW")
    if pinned:
        return datetime.datetime.fromisoformat(pinned.replace("Z", "+00:00"))
    return datetime.datetime.now(datetime.UTC)
