"""What `--help` tells a newcomer: whole descriptions, help on every option, examples."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from accred_ops.cli import main


def _help(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_list_never_cuts_a_description_short() -> None:
    listing = _help().split("Commands:", 1)[1]
    assert "..." not in listing
    assert "Mermaid charts)." in listing and "award badges, refresh epics." in listing


def _commands() -> list[tuple[str, click.Command]]:
    found = []
    for name, command in main.commands.items():
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda x: str(x))
def test_every_option_says_what_it_does(name: str, command: click.Command) -> None:
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("name", ["preview", "migrate", "mr-note", "dashboard"])
def test_commands_show_examples(name: str) -> None:
    assert "Examples" in _help(name)


def test_the_sandbox_help_points_at_its_example_where_it_is() -> None:
    text = _help("sandbox")
    assert "see below" not in text
    assert text.index("A seed file:") < text.index("see the example above")


def test_python_dash_m_is_the_same_command_line() -> None:
    """`python -m accred_ops` works in a checkout without the entry point, under its name."""
    done = subprocess.run(
        [sys.executable, "-m", "accred_ops", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: accred-ops ") and "sync" in done.stdout
