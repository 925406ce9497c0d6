"""`report` and `dashboard`: the program's progress, read from GitLab."""

from __future__ import annotations

from pathlib import Path

import click

from accred_ops.commands.common import (
    Context,
    dry_run_option,
    exit_codes,
    now_for_run,
    pass_context,
)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "csv", "json", "html"]),
    default="md",
    show_default=True,
    help="Markdown, CSV (one row per learner and course), JSON or one offline HTML page.",
)
@click.option("--cohort", "cohort_id", help="Only this cohort.")
@click.option("--manager", help="Only the learners this manager manages (cohort files).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@pass_context
def report(
    ctx: Context, fmt: str, cohort_id: str | None, manager: str | None, out: str | None
) -> None:
    """Program progress per cohort, course and learner, read from GitLab.

    \b
    Examples:
      accred-ops report
      accred-ops report --format html --out public/index.html
    """
    from accred_ops.app.reporting import report_text

    with exit_codes():
        session = ctx.session()
        text = report_text(session, now_for_run(), fmt, cohort_id, manager)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            click.echo(f"report written to {out}")
        else:
            click.echo(text, nl=False)


@click.command()
@dry_run_option
@pass_context
def dashboard(ctx: Context, dry_run: bool) -> None:
    """Keep the "Accreditation dashboard" issue current (Markdown and Mermaid charts).
    With --dry-run, print the text it would write.

    \b
    Examples:
      accred-ops dashboard --dry-run
      accred-ops dashboard
    """
    from accred_ops.app.reporting import update_dashboard

    with exit_codes():
        result = update_dashboard(ctx.session(), now_for_run(), dry_run)
        click.echo(f"dashboard {result.action}" + (f": {result.url}" if result.url else ""))
        if result.text:
            click.echo(result.text, nl=False)
