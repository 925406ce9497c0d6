"""`notifications:` in accred.yml: validated offline with file:line, the URL never in the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from accred_ops.cli import main
from accred_ops.core.model import Webhook
from accred_ops.files.load import load_workspace


def _with(program_dir: Path, text: str) -> str:
    with (program_dir / "accred.yml").open("a") as config:
        config.write(text)
    return CliRunner().invoke(main, ["validate"]).output


def test_webhooks_load_with_their_defaults(program_dir: Path) -> None:
    _with(
        program_dir,
        "notifications:\n  webhooks:\n"
        "    - {url_variable: SLACK_WEBHOOK_URL, format: slack, events: [award, path]}\n"
        "    - url_variable: OTHER\n",
    )
    config = load_workspace(program_dir / "accred.yml").config
    assert config.notifications == (
        Webhook("SLACK_WEBHOOK_URL", "slack", ("award", "path")),
        Webhook("OTHER", "json", ("award", "path")),  # `failed` never by default
    )


def test_a_url_in_the_file_is_refused_and_not_repeated(program_dir: Path) -> None:
    lines = len((program_dir / "accred.yml").read_text().splitlines())
    output = _with(
        program_dir,
        "notifications:\n  webhooks:\n"
        "    - url_variable: https://hooks.slack.com/services/T0/B0/SECRET\n",
    )
    assert f"accred.yml:{lines + 3}: url_variable must name the environment variable" in output
    assert "SECRET" not in output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{url_variable: X, format: discord}", "format: one of slack, teams, json"),
        ("{url_variable: X, events: [award, birthdays]}", "event: one of award, path"),
        ("{url_variable: X, events: []}", "must have 1 to"),
        ("{format: slack}", "url_variable"),
    ],
)
def test_bad_entries_name_their_line(program_dir: Path, entry: str, message: str) -> None:
    lines = len((program_dir / "accred.yml").read_text().splitlines())
    output = _with(program_dir, f"notifications:\n  webhooks:\n    - {entry}\n")
    assert f"accred.yml:{lines + 3}:" in output and message in output, output
