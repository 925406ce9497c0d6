"""A rubric's practicals in `report` (every format) and the dashboard, through the CLI."""

from __future__ import annotations

import csv
import io
import json

from tests.e2e.conftest import World
from tests.e2e.rubric_world import ready, score, sync, with_rubric
from tests.e2e.test_sync import FIRST, _issue


def _moderated_then_agreed(world: World) -> None:
    """alice: the assessors disagree, erin moderates (pass); bob: both agree on a pass."""
    with_rubric(world)
    ready(world)
    score(world, "sam", (5, 5, 5))
    score(world, "dana", (2, 3, 3))
    world.sandbox.advance(hours=2)
    sync(world)
    score(world, "erin", (4, 4, 4))
    world.sandbox.advance(hours=1)
    sync(world)
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    bob.tick(iid)
    world.person("sam").add_label(iid, "exam::passed")
    sync(world)
    for who, scores in (
        ("sam", "discovery: 4\nvalue: 3\nnext-steps: 4"),
        ("dana", "discovery: 5\nvalue: 4\nnext-steps: 4"),
    ):
        world.person(who).comment(iid, scores)
    world.sandbox.advance(hours=4)
    sync(world)
    assert "accreditation::badge-awarded" in _issue(world, FIRST, "bob")["labels"]


def test_json_and_markdown_show_averages_disagreement_moderation_and_time(world: World) -> None:
    _moderated_then_agreed(world)
    data = json.loads(world.cli("report", "--format", "json").output)
    (stats,) = data["rubrics"]
    assert stats["course"] == "co-selling-with-partners"
    assert (stats["verdicts"], stats["passed"], stats["moderations"]) == (2, 2, 1)
    assert stats["disagreements"] == 1 and stats["disagreement_rate"] == 0.5
    averages = {a["criterion"]: a["average"] for a in stats["averages"]}
    assert averages == {"discovery": 4.25, "value": 3.75, "next-steps": 4.0}
    # 4 has no name on the scale (1 Basic, 3 Proficient, 5 Advanced): its neighbours say it
    between = "between Proficient and Advanced"
    assert {a["level"] for a in stats["averages"]} == {between}
    assert stats["median_hours_to_verdict"] is not None and stats["median_hours_to_verdict"] >= 3
    text = world.cli("report", "--format", "md").output
    assert "## Rubric practicals" in text and "1 (50%)" in text
    assert f"discovery 4.25 ({between}), value 3.75 ({between}), next-steps 4 ({between})" in text


def test_csv_rows_carry_each_learners_results_and_html_the_section(world: World) -> None:
    _moderated_then_agreed(world)
    rows = list(csv.DictReader(io.StringIO(world.cli("report", "--format", "csv").output)))
    first = {r["username"]: r for r in rows if r["course"] == "co-selling-with-partners"}
    assert first["alice"]["practical_scores"] == "discovery 4; value 4; next-steps 4"
    assert first["bob"]["practical_scores"] == "discovery 4.5; value 3.5; next-steps 4"
    assert first["carol"]["practical_scores"] == ""
    html = world.cli("report", "--format", "html").output
    assert "Rubric practicals" in html


def test_the_dashboard_shows_the_rubric_section(world: World) -> None:
    _moderated_then_agreed(world)
    assert world.cli("dashboard").exit_code == 0
    issues = world.sandbox.snapshot()["issues"]
    (dashboard,) = [i for (_, title), i in issues.items() if title == "Accreditation dashboard"]
    assert "## Rubric practicals" in dashboard["description"]


def test_a_program_without_a_rubric_reports_no_rubric_section(world: World) -> None:
    assert world.cli("setup").exit_code == 0 and world.cli("enroll").exit_code == 0
    data = json.loads(world.cli("report", "--format", "json").output)
    assert "rubrics" not in data
    assert "practical_scores" not in world.cli("report", "--format", "csv").output
