"""`validate` and `preview`: the program repository checked and rendered, offline."""

from __future__ import annotations

import click

from accred_ops.commands.common import (
    Context,
    exit_codes,
    pass_context,
    username_argument,
)
from accred_ops.files.scores_csv import read_folder
from accred_ops.files.validate import preview_text, validate_workspace


@click.command()
@pass_context
def validate(ctx: Context) -> None:
    """Check accred.yml, curriculum, cohorts and templates, offline.

    Every problem is printed as file:line: message, and the exit code is 2.

    \b
    Examples:
      accred-ops validate
      accred-ops --config program/accred.yml validate
    """
    with exit_codes():
        ws = ctx.workspace()
        summary = validate_workspace(ws, ctx.templates_dir(ws))
        read_folder(ctx.config_path.parent / "scores", ws)  # the scores/ a sync would import
        click.echo(summary)


@click.command()
@click.option("--cohort", "cohort_id", required=True, help="Cohort id.")
@click.option(
    "--learner",
    "username",
    required=True,
    callback=username_argument,
    help="A learner of that cohort.",
)
@click.option("--course", "course_id", help="A course id: show its issue instead of the epic.")
@pass_context
def preview(ctx: Context, cohort_id: str, username: str, course_id: str | None) -> None:
    """Print a rendered learner epic, or course issue, offline.

    \b
    Examples:
      accred-ops preview 2026-q4 alice
      accred-ops preview 2026-q4 alice --course account-planning
    """
    with exit_codes():
        ws = ctx.workspace()
        click.echo(
            preview_text(ws, ctx.templates_dir(ws), cohort_id, username, course_id), nl=False
        )
