"""The program repository's .gitlab-ci.yml: its structure, and that every accred-ops line is real."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest
import yaml

from accred_ops.cli import main

PIPELINE = yaml.safe_load((Path(__file__).resolve().parent.parent / ".gitlab-ci.yml").read_text())
JOBS = {name: job for name, job in PIPELINE.items() if isinstance(job, dict) and "script" in job}


def accred_lines(job: dict) -> list[list[str]]:
    return [shlex.split(line) for line in job["script"] if line.startswith("accred-ops")]


def problems_with(words: list[str]) -> str | None:
    """Why `accred-ops ...` would fail to parse, or None."""
    command = main.commands.get(words[1]) if len(words) > 1 else None
    if command is None:
        return f"no command {words[1:2]}"
    try:
        command.make_context(words[1], words[2:], parent=click.Context(main))
    except click.UsageError as err:
        return err.format_message()
    return None


@pytest.mark.parametrize("name", sorted(JOBS))
def test_every_accred_ops_line_parses(name: str) -> None:
    for words in accred_lines(JOBS[name]):
        assert problems_with(words) is None, f"{name}: {' '.join(words)}"


def test_the_checker_catches_a_wrong_command_or_option() -> None:
    assert problems_with(["accred-ops", "synk"]) == "no command ['synk']"
    assert problems_with(["accred-ops", "sync", "--dryrun"]) is not None


def test_scheduled_sync_never_overlaps_and_is_not_interrupted() -> None:
    sync = JOBS["sync"]
    assert sync["resource_group"]
    assert sync["interruptible"] is False
    assert any('$CI_PIPELINE_SOURCE == "schedule"' in rule["if"] for rule in sync["rules"])
    assert any(words[:2] == ["accred-ops", "sync"] for words in accred_lines(sync))


def test_jobs_use_rules_not_only_except() -> None:
    for name, job in JOBS.items():
        assert "only" not in job and "except" not in job, name
        assert "rules" in job, name


def test_validate_runs_on_merge_requests() -> None:
    sources = " ".join(rule["if"] for rule in JOBS["validate"]["rules"])
    assert "merge_request_event" in sources
