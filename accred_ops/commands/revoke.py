"""`revoke`: a badge withdrawn, on the record."""

from __future__ import annotations

import click

from accred_ops.commands.common import (
    Context,
    dry_run_option,
    exit_codes,
    pass_context,
    print_run,
    username_argument,
)


@click.command()
@click.argument("username", callback=username_argument)
@click.argument("course")
@click.option(
    "--reason",
    required=True,
    help="Why the badge is withdrawn. PUBLIC: in the issue comment, and published with the "
    "badge (Open Badges revocationReason, revocations.json, the Pages index).",
)
@click.option(
    "--private-reason",
    default="",
    help="Details kept only in the issue comment (seen by who can see the issue), never "
    "published with the badge.",
)
@click.option(
    "--by",
    callback=username_argument,
    help="Who revokes, a GitLab username (default: the token's user).",
)
@dry_run_option
@pass_context
def revoke(
    ctx: Context,
    username: str,
    course: str,
    reason: str,
    private_reason: str,
    by: str | None,
    dry_run: bool,
) -> None:
    """Withdraw a badge, on the record: a comment with the reason, the revoked stage label, the
    epic updated (and no longer accredited). Exit 2 when there is no such award.

    \b
    Examples:
      accred-ops revoke alice co-selling-with-partners --reason "Awarded in error"
      accred-ops revoke alice co-selling-with-partners --reason "Exam integrity" \\
          --private-reason "Answers matched another learner's (case 42)"
    """
    from accred_ops.app.revoke import revoke as revoke_award

    with exit_codes():
        result = revoke_award(ctx.session(), username, course, reason, by, dry_run, private_reason)
        if not result.change_count and not result.failures:
            click.echo(f"@{username}: this badge is already revoked; nothing to do", err=True)
        print_run(result, "revoke")
