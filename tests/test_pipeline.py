"""The program repository's .gitlab-ci.yml: its structure, and that every accred-ops line is real."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from accred_ops.cli import main

PIPELINE = yaml.safe_load((Path(__file__).resolve().parent.parent / ".gitlab-ci.yml").read_text())
JOBS = {name: job for name, job in PIPELINE.items() if isinstance(job, dict) and "script" in job}


def accred_lines(job: dict) -> list[list[str]]:
    """Every `accred-ops ...` command of a job's scripts (also after `&&` or `;`)."""
    lines = [*job.get("before_script", []), *job["script"], *job.get("after_script", [])]
    commands = [part.strip() for line in lines for part in re.split(r"&&|\|\||;", line)]
    return [shlex.split(c) for c in commands if c.startswith("accred-ops")]


def problems_with(words: list[str]) -> str | None:
    """Why `accred-ops ...` would fail to parse, or None."""
    words = [re.sub(r"\$\{?\w+\}?", "x", w) for w in words]  # CI variables: some value
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


def test_webhook_events_run_one_learners_sync_in_the_schedules_resource_group() -> None:
    job = JOBS["sync-event"]
    (rule,) = job["rules"]
    assert '$CI_PIPELINE_SOURCE == "trigger"' in rule["if"] and "$TRIGGER_PAYLOAD" in rule["if"]
    assert accred_lines(job) == [["accred-ops", "sync", "--event", "$TRIGGER_PAYLOAD"]]
    assert job["resource_group"] == JOBS["sync"]["resource_group"]
    assert job["interruptible"] is False
    # the scheduled sync stays, and nothing else runs on a triggered pipeline
    assert any("schedule" in rule["if"] for rule in JOBS["sync"]["rules"])
    triggered = [n for n, j in JOBS.items() if any("trigger" in r["if"] for r in j["rules"])]
    assert triggered == ["sync-event"]


def test_jobs_use_rules_not_only_except() -> None:
    for name, job in JOBS.items():
        assert "only" not in job and "except" not in job, name
        assert "rules" in job, name


def test_validate_runs_on_merge_requests() -> None:
    sources = " ".join(rule["if"] for rule in JOBS["validate"]["rules"])
    assert "merge_request_event" in sources


def test_merge_requests_that_change_the_program_get_a_plan_note_and_artifact() -> None:
    plan = JOBS["plan"]
    commands = [words[:2] for words in accred_lines(plan)]
    assert commands == [["accred-ops", "sync"], ["accred-ops", "mr-note"]]
    assert "--dry-run" in accred_lines(plan)[0]
    assert plan["artifacts"]["paths"] == ["plan.md"] and plan["artifacts"]["when"] == "always"
    (rule,) = plan["rules"]
    assert "merge_request_event" in rule["if"]
    assert {"curriculum/**/*", "cohorts/**/*", "templates/**/*", "accred.yml"} <= set(
        rule["changes"]
    )
    assert plan["variables"]["GITLAB_TOKEN"] == "$ACCRED_PLAN_TOKEN"


def test_every_job_names_a_stage_that_exists() -> None:
    for name, job in JOBS.items():
        assert job.get("stage", "test") in PIPELINE["stages"], name


def test_revoke_from_the_pipeline_takes_the_syncs_resource_group() -> None:
    """A revoke never runs while a sync (scheduled or one webhook event) holds a learner's
    state read before it (docs/security.md, "Revocation is final")."""
    job = JOBS["revoke"]
    assert job["resource_group"] == JOBS["sync"]["resource_group"]
    assert job["interruptible"] is False
    assert "REVOKE_REASON" in job["rules"][0]["if"]
