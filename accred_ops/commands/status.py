"""`status`: one learner's progress, read from GitLab, as a table or JSON."""

from __future__ import annotations

import click

from accred_ops.app.status import StatusRow
from accred_ops.commands.common import (
    Context,
    exit_codes,
    pass_context,
    username_argument,
)
from accred_ops.core.model import Workspace
from accred_ops.errors import InputError


@click.command()
@click.argument("username", callback=username_argument)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table to read, json for scripts.",
)
@pass_context
def status(ctx: Context, username: str, fmt: str) -> None:
    """Show one learner's progress, read from GitLab.

    Exit 2 when USERNAME is in no cohort and has no course issue.

    \b
    Examples:
      accred-ops status alice
      accred-ops status alice --format json
    """
    import dataclasses
    import json

    from accred_ops.app.status import status as learner_status

    with exit_codes():
        session = ctx.session()
        rows = learner_status(session, username)
        if not rows:
            _check_listed(session.ws, username)
        if fmt == "json":
            courses = [dataclasses.asdict(r) for r in rows]
            click.echo(json.dumps({"username": username, "courses": courses}, indent=2))
            return
        if not rows:
            click.echo(
                f"@{username} is in a cohort but has no course issues yet: "
                "run `accred-ops enroll` (or wait for the scheduled sync)."
            )
            return
        _echo_status_table(username, rows)


def _check_listed(ws: Workspace, username: str) -> None:
    """A learner with no course issue must at least be in a cohort file: else a typo, likely."""
    learners = [lr.username for c in ws.cohorts.values() for lr in c.learners]
    if any(name.lower() == username.lower() for name in learners):
        return
    known = sorted(set(learners))
    shown = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
    raise InputError(
        f"@{username} is in no cohort file and has no course issue in GitLab: "
        f"check the spelling (learners: {shown or 'none'})"
    )


def _echo_status_table(username: str, rows: list[StatusRow]) -> None:
    headers: tuple[str, ...] = ("Course", "Stage", "Exam", "Practical", "Badge", "Due")
    table = [
        (r.course, r.stage, r.exam, r.practical, r.badge or "—", r.due_date or "—") for r in rows
    ]
    if any(r.valid_until for r in rows):  # badges that expire (README: Badges that expire)
        headers += ("Validity",)
        table = [(*row, _validity_words(r)) for row, r in zip(table, rows, strict=True)]
    widths = [max(len(str(row[i])) for row in (headers, *table)) for i in range(len(headers))]
    click.echo(f"@{username} — {rows[0].program}: {rows[0].path}")
    for row in (headers, *table):
        click.echo(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )
    for r in rows:  # imported exam scores, where a course has a pass mark
        click.echo("".join(f"  {r.course}: exam {attempt}\n" for attempt in r.attempts), nl=False)


def _validity_words(row: StatusRow) -> str:
    if row.expired_since:
        return f"expired since {row.expired_since}"
    return f"valid until {row.valid_until}, renews on {row.renews_on}" if row.valid_until else "—"
