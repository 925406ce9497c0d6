"""`api: workitems` and the GitLab version: its documents need GitLab 17.0+ (16.8's published
schema has `Group.workItemTypes(taskable:)`, not `(name:)`), so the version is asked first and
an older instance gets REST epics, said in one line naming both versions."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from accred_ops.gitlab import graphql_documents as documents
from accred_ops.gitlab.tracking.work_items import MIN_VERSION, version_of
from tests.e2e.conftest import World, seed_with, world_on

TRIMMED = (Path(__file__).parent / "graphql" / "gitlab-trimmed.graphql").read_text()
# GitLab 16.8's Group.workItemTypes: the experimental `taskable` argument, no `name` (GitLab
# merge request 140074 replaced one with the other after 16.8).
SCHEMA_16_8 = build_schema(
    TRIMMED.replace(
        "  workItemTypes(name: IssueType, onlyAvailable: Boolean): WorkItemTypeConnection\n",
        "  workItemTypes(taskable: Boolean): WorkItemTypeConnection\n",
    )
)


def test_the_epic_type_query_is_what_16_8_rejects() -> None:
    errors = validate(SCHEMA_16_8, parse(documents.EPIC_TYPE))
    assert errors and "name" in str(errors[0])
    assert not validate(build_schema(TRIMMED), parse(documents.EPIC_TYPE))


@pytest.mark.parametrize(
    ("text", "found"),
    [("16.8.1-ee", (16, 8)), ("17.0.0", (17, 0)), ("18.2.0-pre", (18, 2)), ("", None)],
)
def test_versions_read(text: str, found: tuple[int, int] | None) -> None:
    assert version_of(text) == found
    assert MIN_VERSION == (17, 0)


@pytest.fixture
def old_gitlab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[World]:
    seed = copy.deepcopy(seed_with("dana"))
    seed["version"] = request.param
    with world_on(seed, tmp_path, monkeypatch) as made:
        config = made.root / "accred.yml"
        config.write_text(config.read_text().replace("gitlab:\n", "gitlab:\n  api: workitems\n"))
        yield made


@pytest.mark.parametrize("old_gitlab", ["16.8.1-ee"], indirect=True)
def test_an_older_gitlab_gets_rest_epics_and_is_told_why(old_gitlab: World) -> None:
    world = old_gitlab
    assert world.cli("setup").exit_code == 0
    result = world.cli("enroll")
    assert result.exit_code == 0, result.output
    assert (
        "gitlab.api: workitems needs GitLab 17.0 or later and this GitLab is 16.8.1-ee"
        in result.output
    )
    paths = {(r.method, r.path.rsplit("/", 1)[-1]) for r in world.sandbox.writes()}
    assert ("POST", "graphql") not in paths and ("POST", "epics") in paths
    asked = [r.path for r in world.sandbox.log if r.path.endswith(("/metadata", "/version"))]
    assert asked == ["/api/v4/metadata"]  # once a run


@pytest.mark.parametrize("old_gitlab", ["17.0.0-ee"], indirect=True)
def test_a_new_enough_gitlab_gets_the_work_items_api(old_gitlab: World) -> None:
    world = old_gitlab
    assert world.cli("setup").exit_code == 0
    result = world.cli("enroll")
    assert result.exit_code == 0 and "needs GitLab" not in result.output
    assert ("POST", "graphql") in {
        (r.method, r.path.rsplit("/", 1)[-1]) for r in world.sandbox.writes()
    }


def test_a_quiet_sync_does_not_ask_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world_on(seed_with("dana"), tmp_path, monkeypatch) as world:
        config = world.root / "accred.yml"
        config.write_text(config.read_text().replace("gitlab:\n", "gitlab:\n  api: workitems\n"))
        assert world.cli("setup").exit_code == 0 and world.cli("enroll").exit_code == 0
        world.sandbox.reset_log()
        assert world.cli("sync").exit_code == 0
        assert not [r for r in world.sandbox.log if r.path.endswith(("/metadata", "/version"))]
