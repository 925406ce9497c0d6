"""The `accred-ops` command line: the group, and each command family of `commands/` added to it.

Each command loads and validates every local file first (exit 2 on any problem, before any
request), calls one use case, prints its result, and maps errors to exit codes:
0 success, 1 GitLab/network failure or some learners failed, 2 bad input or usage.
"""

from __future__ import annotations

import click

from accred_ops import __version__
from accred_ops.commands.badges import badges
from accred_ops.commands.common import Context
from accred_ops.commands.demo import demo, sandbox
from accred_ops.commands.enroll import enroll, setup
from accred_ops.commands.init import init
from accred_ops.commands.migrate import migrate
from accred_ops.commands.report import dashboard, report
from accred_ops.commands.revoke import revoke
from accred_ops.commands.scores import scores
from accred_ops.commands.status import status
from accred_ops.commands.sync import mr_note, sync
from accred_ops.commands.validate import preview, validate


class _Commands(click.Group):
    """Lists each command with its whole first sentence, wrapped, never cut at 45 characters."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (name, command.get_short_help_str(limit=1000))
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accred-ops")
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    help="Path of accred.yml (default: $ACCRED_CONFIG, else ./accred.yml).",
)
@click.pass_context
def main(ctx: click.Context, config: str | None) -> None:
    """Run a learning-accreditation program on GitLab: one epic per learner, one issue per
    course, checklists learners tick, verdict labels assessors set, and badges.

    The token comes from GITLAB_TOKEN only; the URL from GITLAB_URL, accred.yml or CI_SERVER_URL.
    """
    ctx.obj = Context(config)


for command in (
    validate,
    preview,
    setup,
    enroll,
    sync,
    report,
    migrate,
    mr_note,
    dashboard,
    status,
    revoke,
    badges,
    demo,
    init,
    sandbox,
    scores,
):
    main.add_command(command)

if __name__ == "__main__":
    main()
