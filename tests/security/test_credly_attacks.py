"""Attack 28: the Credly token is never sent over plain HTTP to another machine, nor written in
accred.yml (docs/security.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from accred_ops.cli import main

BASE = "badges:\n  issuer: {name: X, url: 'https://x.example'}\n  credly:\n    organization_id: org-1\n"


def _validate(program_dir: Path, extra: str) -> str:
    text = (program_dir / "accred.yml").read_text()
    if "\nbadges:" in "\n" + text:
        text = text[: text.index("badges:")] + text[text.index("curriculum:") :]
    (program_dir / "accred.yml").write_text(text + BASE + extra)
    return CliRunner().invoke(main, ["validate"]).output


@pytest.mark.parametrize(
    "url", ["http://credly.evil.example/v1", "ftp://api.credly.com/v1", "api.credly.com"]
)
def test_an_api_url_that_would_leak_the_token_is_refused(program_dir: Path, url: str) -> None:
    output = _validate(program_dir, f"    api_url: {url}\n    templates: {{a: t-1}}\n")
    assert "api_url must be an https:// address" in output


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/v1", "https://sandbox-api.credly.com/v1"])
def test_the_sandbox_and_this_machine_are_allowed(program_dir: Path, url: str) -> None:
    output = _validate(program_dir, f"    api_url: {url}\n    templates: {{a: t-1}}\n")
    assert "api_url" not in output, output


def test_a_token_in_the_file_is_refused_unrepeated(program_dir: Path) -> None:
    output = _validate(
        program_dir, "    token_variable: 'sk live 123SECRET'\n    templates: {a: t-1}\n"
    )
    assert "token_variable must name the environment variable" in output
    assert "123SECRET" not in output
