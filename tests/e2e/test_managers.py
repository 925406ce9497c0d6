"""Managers and competencies end to end: the award comment, `report --manager`, coverage."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jwt
import pytest

from tests.e2e.conftest import World
from tests.e2e.test_badges_export import KEY, export
from tests.e2e.test_sync import FIRST, _enrolled, _issue, _pass

COMPETENCIES = """competencies:
  - {id: partnering, name: Partnering, url: "https://example.com/ffc#partnering"}
  - {id: planning, name: Account planning, url: "https://example.com/ffc#planning"}
"""


def _with_managers(world: World) -> None:
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(
        cohort.read_text()
        .replace("  - alice\n", "  - {username: alice, manager: carol}\n")
        .replace("  - bob\n", "  - {username: bob, manager: erin}\n")
        + "notify_manager: true\n"
    )
    program = world.root / "curriculum" / "strategic-account-leaders.yml"
    text = program.read_text().replace("learning_paths:\n", COMPETENCIES + "learning_paths:\n", 1)
    text = text.replace(
        '        badge: {name: "SAL: Co-Selling with Partners"}\n',
        '        badge: {name: "SAL: Co-Selling with Partners"}\n        competencies: [partnering]\n',
    )
    program.write_text(text)


def test_the_award_mentions_the_manager_and_the_report_groups_their_team(world: World) -> None:
    _with_managers(world)
    _enrolled(world)
    _pass(world, FIRST, "alice")
    assert world.cli("sync").exit_code == 0
    award = [
        n["body"] for n in _issue(world, FIRST, "alice")["notes"] if "accred-ops:award" in n["body"]
    ]
    assert len(award) == 1 and "@carol: your team member @alice has earned" in award[0]
    assert "issuable_template=Course%20feedback&issue[title]=Feedback:%20Co-Selling" in award[0]

    result = world.cli("report", "--format", "csv", "--manager", "carol")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["username"] for r in rows} == {"alice"} and {r["manager"] for r in rows} == {"carol"}

    data = json.loads(world.cli("report", "--format", "json").output)
    by_name = {row["username"]: row for row in data["learners"]}
    assert by_name["alice"]["competencies"] == ["partnering"]
    assert by_name["bob"]["competencies"] == [] and by_name["bob"]["manager"] == "erin"
    assert data["cohorts"][0]["competencies"] == ["partnering"]
    assert "## Learners by manager" in world.cli("report").output

    unknown = world.cli("report", "--manager", "nobody")
    assert unknown.exit_code == 2 and "no learner has manager 'nobody'" in unknown.output


def test_exported_badges_align_to_the_course_competencies(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_managers(world)
    config = world.root / "accred.yml"
    config.write_text(
        config.read_text()
        + "badges:\n  issuer: {name: Field Enablement, url: https://example.com, email: e@example.com}\n"
    )
    monkeypatch.setenv("ACCRED_BADGE_KEY", KEY)
    _enrolled(world)
    _pass(world, FIRST, "alice")
    assert world.cli("sync").exit_code == 0
    out = tmp_path / "site"
    result = export(world, out, "ob2,ob3")
    assert result.exit_code == 0, result.output
    (badge_class,) = [
        json.loads(p.read_text())
        for p in out.rglob("co-selling-with-partners.json")
        if json.loads(p.read_text()).get("type") == "BadgeClass"
    ]
    assert badge_class["alignment"] == [
        {
            "targetName": "Partnering",
            "targetUrl": "https://example.com/ffc#partnering",
            "targetCode": "partnering",
            "targetFramework": "Field Functional Competencies",
        }
    ]
    (token,) = [p.read_text().strip() for p in (out / "credentials").glob("*.jwt")]
    achievement = jwt.decode(token, options={"verify_signature": False})["credentialSubject"][
        "achievement"
    ]
    assert achievement["alignment"] == [{"type": ["Alignment"], **badge_class["alignment"][0]}]
