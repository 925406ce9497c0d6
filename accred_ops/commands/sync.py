"""`sync` (and `sync --event`, one learner a webhook names) and `mr-note`, the plan of a
dry run posted on a merge request."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from accred_ops.commands.common import (
    Context,
    dry_run_option,
    exit_codes,
    now_for_run,
    pass_context,
    print_run,
    run_learners,
    shard_option,
    username_argument,
)
from accred_ops.core.context import Mode
from accred_ops.errors import InputError
from accred_ops.files.validate import validate_workspace
from accred_ops.sync.results import LearnerResult, RunResult
from accred_ops.sync.session import Session


@click.command()
@click.option("--cohort", "cohort_id", help="Only this cohort.")
@click.option("--learner", "username", callback=username_argument, help="Only this learner.")
@shard_option
@click.option(
    "--dashboard", "with_dashboard", is_flag=True, help="Then update the dashboard issue."
)
@click.option(
    "--full",
    is_flag=True,
    help="Read every issue and epic, not only what changed since the last sync.",
)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the changes as Markdown to this file (for `mr-note`).",
)
@click.option(
    "--event",
    "event_file",
    metavar="FILE",
    help="Only the learner a GitLab webhook payload concerns (a file, `-` for stdin, or "
    "$TRIGGER_PAYLOAD in a triggered pipeline).",
)
@dry_run_option
@pass_context
def sync(
    ctx: Context,
    cohort_id: str | None,
    username: str | None,
    shard: tuple[int, int] | None,
    with_dashboard: bool,
    full: bool,
    plan_file: str | None,
    event_file: str | None,
    dry_run: bool,
) -> None:
    """Enroll what is missing, update stages, enforce verdict authority, award badges,
    refresh epics.

    \b
    Examples:
      accred-ops sync --dry-run --plan plan.md   # the plan, as Markdown too
      accred-ops sync --learner alice
      accred-ops sync --dashboard                # what the scheduled pipeline runs
    """
    if event_file is not None:
        if cohort_id or username or shard or with_dashboard or full or plan_file:
            raise click.UsageError("--event selects its learner itself: use it alone")
        _sync_event(ctx, event_file, dry_run)
        return

    def run(session: Session, progress: Callable[[LearnerResult], None]) -> RunResult:
        result = session.run(
            Mode.SYNC, dry_run, cohort_id, username, on_learner=progress, shard=shard, full=full
        )
        if with_dashboard:
            from accred_ops.app.reporting import update_dashboard

            # after an incremental sync that found nothing changed, the dashboard is current
            board = update_dashboard(session, now_for_run(), dry_run, only_if_missing=result.quiet)
            if board.action == "unchanged":
                click.echo("dashboard unchanged", err=True)
            else:
                result.group_lines.append(f"dashboard {board.action}")
        return result

    run_learners(ctx, "sync", run, cohort_id, plan_file)


def _sync_event(ctx: Context, event_file: str, dry_run: bool) -> None:
    """`sync --event`: the payload is read (exit 2 if unreadable) before any request; an event
    that concerns no learner is one plain line and exit 0."""
    from accred_ops.app.events import handle_payload
    from accred_ops.core.event import MAX_BYTES
    from accred_ops.errors import Problem

    with exit_codes():
        ws = ctx.workspace()
        validate_workspace(ws, ctx.templates_dir(ws))
        if not event_file.strip():
            raise InputError(
                "--event: no payload file (in CI: $TRIGGER_PAYLOAD is set only in pipelines a "
                "webhook triggered)"
            )
        name = "<stdin>" if event_file == "-" else event_file
        try:
            cap = MAX_BYTES + 1  # enough to tell an oversized body, never all of it
            if event_file == "-":
                raw = sys.stdin.buffer.read(cap)
            else:
                with Path(event_file).open("rb") as payload:
                    raw = payload.read(cap)
        except OSError as err:
            raise InputError([Problem(name, 0, f"{name}: cannot read: {err.strerror}")]) from None
        outcome = handle_payload(ws, ctx.templates_dir(ws), raw, name, dry_run, now=now_for_run())
        if outcome.result is None:
            click.echo(f"sync --event: {outcome.ignored}")
            return
        if outcome.selection:
            click.echo(f"sync --event: {outcome.selection.describe()}", err=True)
        print_run(outcome.result, "sync")


@click.command("mr-note")
@click.argument("plan_file", type=click.Path(dir_okay=False))
@click.option(
    "--project",
    default=lambda: os.environ.get("CI_MERGE_REQUEST_PROJECT_PATH"),
    help="The merge request's project path (default: $CI_MERGE_REQUEST_PROJECT_PATH).",
)
@click.option(
    "--mr",
    "mr_iid",
    type=int,
    default=lambda: os.environ.get("CI_MERGE_REQUEST_IID"),
    help="The merge request's iid (default: $CI_MERGE_REQUEST_IID).",
)
@pass_context
def mr_note(ctx: Context, plan_file: str, project: str | None, mr_iid: int | None) -> None:
    """Post a plan (`sync --dry-run --plan FILE`) on a merge request, editing the note it
    posted before rather than adding another.

    \b
    Examples (in a merge request pipeline, with ACCRED_PLAN_TOKEN as GITLAB_TOKEN):
      accred-ops sync --dry-run --plan plan.md
      accred-ops mr-note plan.md
      accred-ops mr-note plan.md --project field-enablement/accreditation --mr 12
    """
    from accred_ops.app.planfile import post_note

    with exit_codes():
        if not project or not mr_iid:
            raise InputError(
                "no merge request: run in a merge request pipeline, or give --project and --mr"
            )
        if not Path(plan_file).is_file():
            raise InputError(f"{plan_file}: no such plan file (made by `sync --dry-run --plan`)")
        plan = Path(plan_file).read_text(encoding="utf-8")
        action, url = post_note(ctx.session(), project, mr_iid, plan)
        click.echo(f"plan note {action}: {url}")
