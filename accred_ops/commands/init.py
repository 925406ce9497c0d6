"""`init`: a new program repository that passes `validate` at once."""

from __future__ import annotations

from pathlib import Path

import click

from accred_ops.commands.common import (
    exit_codes,
    now_for_run,
)


@click.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that exist already.")
@click.option(
    "--copied-pipeline",
    is_flag=True,
    help="Write the pipeline's jobs into .gitlab-ci.yml instead of including the accred-ops "
    "CI/CD component (for an instance without the CI/CD catalog).",
)
@click.option(
    "--component-project",
    default="tools/accred-ops",
    show_default=True,
    help="The project path of accred-ops on your GitLab, which publishes the component.",
)
def init(folder: str, force: bool, copied_pipeline: bool, component_project: str) -> None:
    """Write a program repository into FOLDER (default: here) that passes `validate` at once:
    accred.yml, the shipped curriculum as an example, a cohort, .gitlab-ci.yml pinned to this
    accred-ops, and the enrollment and course-feedback issue templates. Existing files are
    never overwritten without --force.

    \b
    Examples:
      accred-ops init
      accred-ops init my-program && cd my-program && accred-ops validate
    """
    from accred_ops.app.init import init as scaffold

    with exit_codes():
        made = scaffold(
            Path(folder), force, copied_pipeline, component_project, now_for_run().date()
        )
        for name in made.written:
            click.echo(f"wrote {Path(folder) / name}")
        click.echo(f".gitlab-ci.yml installs {made.package}")
        if made.note:
            click.echo(f"note: {made.note}", err=True)
        click.echo(
            "next: set gitlab.group and gitlab.project in accred.yml, list your learners in "
            "cohorts/, then run `accred-ops validate`"
        )
