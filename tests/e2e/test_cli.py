"""CLI behaviour a user notices: status, exit codes, messages, the token never shown."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import World


def test_status_shows_each_course_of_the_learner(world: World) -> None:
    world.cli("enroll")
    person = world.person("alice")
    person.tick(
        person.find_issue("Co-Selling with Partners", "alice"),
        ["The different types of partners GitLab works with"],
    )
    world.cli("sync")
    table = world.cli("status", "alice")
    assert table.exit_code == 0
    assert "Co-Selling with Partners       In progress" in table.output
    data = json.loads(world.cli("status", "alice", "--format", "json").output)
    assert [c["stage"] for c in data["courses"]] == ["In progress"] + ["Enrolled"] * 4


def test_missing_token_is_a_usage_error_with_nothing_sent(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITLAB_TOKEN")
    result = world.cli("sync")
    assert result.exit_code == 2
    assert "GITLAB_TOKEN is not set" in result.output
    assert world.sandbox.log == []


def test_bad_input_stops_before_any_request(world: World) -> None:
    (world.root / "cohorts" / "example.yml").write_text(
        "id: q4\nprogram: nope\npath: x\nlearners: [alice]\n"
    )
    result = world.cli("sync")
    assert result.exit_code == 2
    assert "cohorts/example.yml:2: no program 'nope'" in result.output
    assert world.sandbox.log == []


def test_rejected_token_explains_and_never_shows_the_token(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", "test-token-SECRET-value-1234567890")
    result = world.cli("sync")
    assert result.exit_code == 1
    assert "rejected the token (401)" in result.output
    assert "SECRET" not in result.output


def test_wrong_group_path_says_what_to_check(world: World) -> None:
    config = world.root / "accred.yml"
    config.write_text(config.read_text().replace("group: field-enablement", "group: no-such-group"))
    result = world.cli("enroll")
    assert result.exit_code == 1
    assert "not found (404): check the group and project paths in accred.yml" in result.output


def test_unknown_cohort_is_a_usage_error(world: World) -> None:
    result = world.cli("sync", "--cohort", "nope")
    assert result.exit_code == 2
    assert "no cohort 'nope'" in result.output


def test_sync_of_one_learner_touches_only_them(world: World) -> None:
    world.cli("enroll")
    for name in ("alice", "bob"):
        person = world.person(name)
        person.tick(
            person.find_issue("Generate Pipeline", name),
            ["Prepare for an initial qualification meeting"],
        )
    result = world.cli("sync", "--learner", "bob")
    assert result.exit_code == 0
    assert "@bob:" in result.output and "@alice:" not in result.output


def test_shards_split_the_learners_without_overlap(world: World) -> None:
    outputs = [world.cli("enroll", "--shard", f"{i}/2").output for i in (1, 2)]
    enrolled = [
        {name for name in ("alice", "bob", "carol") if f"@{name}:" in out} for out in outputs
    ]
    assert enrolled[0] | enrolled[1] == {"alice", "bob", "carol"}
    assert not enrolled[0] & enrolled[1]
    assert world.cli("enroll", "--shard", "3/2").exit_code == 2
