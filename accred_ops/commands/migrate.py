"""`migrate --to`: every learner's path moved to epics or to learner issues."""

from __future__ import annotations

import click

from accred_ops.commands.common import (
    Context,
    dry_run_option,
    exit_codes,
    pass_context,
    print_run,
)


@click.command()
@click.option(
    "--to",
    "to",
    type=click.Choice(["epic", "issue"]),
    required=True,
    help="epic: group epics (GitLab Premium, Ultimate); issue: learner issues (GitLab Free).",
)
@dry_run_option
@pass_context
def migrate(ctx: Context, to: str, dry_run: bool) -> None:
    """Move every learner's path to epics or to learner issues, keeping all progress.

    \b
    Examples:
      accred-ops migrate --to issue --dry-run
      accred-ops migrate --to issue && accred-ops sync
    """
    from accred_ops.app.migrate import migrate as run_migration

    with exit_codes():
        result = run_migration(ctx.session(), to, dry_run)
        if not dry_run and not result.failures:
            click.echo(
                f"now set `gitlab.tracking: {to}` in accred.yml, then run `accred-ops sync`",
                err=True,
            )
        print_run(result, "migrate")
