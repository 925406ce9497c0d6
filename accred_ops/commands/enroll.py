"""`setup` and `enroll`: the group's labels and board, then each learner's epic and issues."""

from __future__ import annotations

import click

from accred_ops.commands.common import (
    Context,
    dry_run_option,
    exit_codes,
    pass_context,
    print_run,
    run_learners,
    shard_option,
)
from accred_ops.core.context import Mode


@click.command()
@dry_run_option
@pass_context
def setup(ctx: Context, dry_run: bool) -> None:
    """Create missing labels in the group, and the board with one list per open stage.

    \b
    Examples:
      accred-ops setup --dry-run     # what it would create
      accred-ops setup
    """
    with exit_codes():
        print_run(ctx.session().setup(dry_run), "setup")


@click.command()
@click.option("--cohort", "cohort_id", help="Only this cohort.")
@shard_option
@dry_run_option
@pass_context
def enroll(
    ctx: Context, cohort_id: str | None, shard: tuple[int, int] | None, dry_run: bool
) -> None:
    """Open one epic (or, on GitLab Free, one learner issue) per learner with one issue per
    course, linked.

    \b
    Examples:
      accred-ops enroll --dry-run    # every change it would make, nothing written
      accred-ops enroll --cohort 2026-q4
    """
    run_learners(
        ctx,
        "enroll",
        lambda s, cb: s.run(Mode.ENROLL, dry_run, cohort_id, on_learner=cb, shard=shard),
        cohort_id,
    )
