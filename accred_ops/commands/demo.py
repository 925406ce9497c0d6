"""`demo` and `sandbox`: the built-in GitLab sandbox, played through or served by hand."""

from __future__ import annotations

import click

from accred_ops.commands.common import (
    exit_codes,
)


@click.command()
@click.option(
    "--keep", is_flag=True, help="Keep the sandbox running afterwards, to look at the board."
)
@click.option(
    "--reactive",
    is_flag=True,
    help="No schedule: webhooks run `sync --event` for each change, and the badge arrives "
    "seconds after the verdict.",
)
def demo(keep: bool, reactive: bool) -> None:
    """Run the whole flow against the built-in GitLab sandbox (no GitLab or token needed).

    It plays its own program, whatever the current folder holds.

    \b
    Examples:
      accred-ops demo
      accred-ops demo --keep      # then open the printed URL in a browser
      accred-ops demo --reactive  # no schedule: webhooks bring each badge in seconds
    """
    with exit_codes():
        if reactive:
            from accred_ops.app.demo_reactive import run_reactive_demo

            run_reactive_demo(click.echo)
        else:
            from accred_ops.app.demo import run_demo

            run_demo(click.echo, keep=keep)


@click.command()
@click.option("--port", default=0, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option(
    "--seed",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML file of users, groups (tier, members), projects (members); see the example above.",
)
def sandbox(port: int, seed: str | None) -> None:
    """Serve the GitLab sandbox by hand until interrupted: a stand-in for demos and tests,
    never a place for real data. Prints its URL and its users' tokens.

    \b
    Without --seed: accred-bot (Owner) and erin (Maintainer) in group field-enablement
    (Premium); alice, bob, carol Guests of project field-enablement/accreditation only; sam
    a Developer of field-enablement/assessors and a Reporter of the project; dana nowhere.

    \b
    A seed file:
      users:                      # token defaults to <username>-token
        - {username: accred-bot, name: Accred Bot, token: my-token, bot: true}
        - {username: alice}
        - {username: sam}
      groups:                     # parents first; tier on the top group: premium or free
        - path: field-enablement
          tier: premium
          members: [{username: accred-bot, access_level: 50}]
        - path: field-enablement/assessors
          members: [{username: sam, access_level: 30}]
      projects:
        - path: field-enablement/accreditation
          members: [{username: alice, access_level: 10}]

    \b
    access_level: 10 Guest, 20 Reporter, 30 Developer (default), 40 Maintainer, 50 Owner.
    Roles follow GitLab's: a Guest edits only issues they authored or are assigned to and
    never labels; a project member reads the parent group and its epics.
    """
    from accred_ops.sandbox import serve_forever

    serve_forever(port, seed, click.echo)
