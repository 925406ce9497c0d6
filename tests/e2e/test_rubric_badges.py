"""A rubric's results travel with the badge: both badge formats, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest

from tests.e2e.conftest import World
from tests.e2e.rubric_world import ready, score, sync, with_rubric
from tests.e2e.test_badges_export import KEY, export


@pytest.fixture
def scored(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    config = world.root / "accred.yml"
    config.write_text(
        config.read_text()
        + "badges:\n  issuer: {name: GitLab Field Enablement, url: https://about.gitlab.com, email: enablement@example.com}\n"
    )
    monkeypatch.setenv("ACCRED_BADGE_KEY", KEY)
    with_rubric(world)
    ready(world)
    score(world, "sam", (4, 3, 4))
    score(world, "dana", (5, 4, 4))
    sync(world)
    return world


def test_ob3_carries_the_rubric_and_each_criterions_level(scored: World, tmp_path: Path) -> None:
    out = tmp_path / "badges"
    result = export(scored, out, "ob2,ob3")
    assert result.exit_code == 0, result.output
    (token,) = sorted((out / "credentials").glob("*.jwt"))
    claims = jwt.decode(token.read_text().strip(), options={"verify_signature": False})
    subject = claims["credentialSubject"]
    described = {d["id"]: d for d in subject["achievement"]["resultDescription"]}
    assert len(described) == 3
    discovery = next(d for d in described.values() if d["name"] == "Discovery questions")
    assert discovery["resultType"] == "RubricCriterionLevel"
    assert discovery["type"] == ["ResultDescription"]
    levels = {lv["id"]: lv for lv in discovery["rubricCriterionLevel"]}
    assert [lv["points"] for lv in levels.values()] == ["1", "2", "3", "4", "5"]
    assert discovery["requiredLevel"] in levels
    results = {r["resultDescription"]: r for r in subject["result"]}
    assert set(results) == set(described)
    mine = results[discovery["id"]]
    assert mine["type"] == ["Result"] and mine["value"] == "4.5"
    assert levels[mine["achievedLevel"]]["name"] == "Advanced"


def test_an_independent_ob3_library_reads_the_results(scored: World, tmp_path: Path) -> None:
    credential = pytest.importorskip("openbadgeslib.ob3.credential")
    out = tmp_path / "badges"
    export(scored, out, "ob3")
    (token,) = sorted((out / "credentials").glob("*.jwt"))
    claims = jwt.decode(token.read_text().strip(), options={"verify_signature": False})
    parsed = credential.OpenBadgeCredential.from_jwt_payload(claims)
    assert {r.result_description for r in parsed.results} == {
        d.id for d in parsed.achievement.result_descriptions
    }


def test_ob2_evidence_lists_the_results(scored: World, tmp_path: Path) -> None:
    out = tmp_path / "badges"
    export(scored, out, "ob2")
    (assertion,) = [json.loads(p.read_text()) for p in (out / "assertions").glob("*.json")]
    narrative = (
        assertion["evidence"][0]["narrative"]
        if isinstance(assertion["evidence"], list)
        else assertion["evidence"]["narrative"]
    )
    assert (
        "Practical scored against its rubric: Discovery questions 4.5 of 5 (Advanced)" in narrative
    )
    assert "Value articulation 3.5 of 5 (between Proficient and Advanced)" in narrative
