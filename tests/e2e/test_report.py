"""`report` and `dashboard` read the program from GitLab and show the right numbers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _enrolled, _pass


def _playing(world: World) -> World:
    """alice earns the first badge, bob starts it, carol waits for an assessor."""
    _enrolled(world)
    _pass(world, FIRST, "alice")
    bob = world.person("bob")
    bob.tick(bob.find_issue(FIRST, "bob"), ["The different types of partners GitLab works with"])
    carol = world.person("carol")
    carol.tick(carol.find_issue(FIRST, "carol"))
    assert world.cli("sync").exit_code == 0
    return world


def test_report_counts_match_what_gitlab_has(world: World) -> None:
    _playing(world)
    data = json.loads(world.cli("report", "--format", "json").output)
    assert data["schema"] == "accred-ops/report@1"
    (cohort,) = data["cohorts"]
    by_course = {c["course"]: c["counts"] for c in cohort["courses"]}
    # Computed from the sandbox's own issues, independently of the report code:
    expected: dict[str, Counter[str]] = {}
    for issue in world.issues():
        course = next(
            label.split("::")[1] for label in issue["labels"] if label.startswith("course::")
        )
        stage = next(
            label.split("::")[1] for label in issue["labels"] if label.startswith("accreditation::")
        )
        expected.setdefault(course, Counter())[stage] += 1
    for course, counts in expected.items():
        assert {k: v for k, v in by_course[course].items() if v} == dict(counts), course
    assert [item["username"] for item in data["assessor_queue"]] == ["carol"]
    assert sum(week["count"] for week in data["badges_per_week"]) == 1


def test_every_format_renders_and_html_is_self_contained(world: World, tmp_path: Path) -> None:
    _playing(world)
    for fmt in ("md", "csv", "json", "html"):
        out = tmp_path / f"report.{fmt}"
        assert world.cli("report", "--format", fmt, "--out", str(out)).exit_code == 0
        assert out.read_text()
    html = (tmp_path / "report.html").read_text()
    assert "<svg" in html
    assert not any(tag in html for tag in ('src="http', "<link", "@import", "<script"))


def test_dashboard_is_created_once_and_rewritten_only_on_change(world: World) -> None:
    _playing(world)
    world.sandbox.reset_log()
    planned = world.cli("dashboard", "--dry-run").output
    assert planned.startswith("dashboard would create\n# Accreditation dashboard")
    assert "```mermaid" in planned and world.writes() == 0
    first = world.cli("dashboard")
    assert "dashboard created" in first.output
    world.sandbox.reset_log()
    assert "dashboard unchanged" in world.cli("dashboard").output
    assert world.writes() == 0
    carol = world.person("carol")
    world.person("sam").add_label(carol.find_issue(FIRST, "carol"), "exam::passed")
    world.person("sam").add_label(carol.find_issue(FIRST, "carol"), "practical::approved")
    assert "dashboard updated" in world.cli("sync", "--dashboard").output
    dashboards = [
        i
        for (_, t), i in world.sandbox.snapshot()["issues"].items()
        if t == "Accreditation dashboard"
    ]
    assert len(dashboards) == 1 and "```mermaid" in dashboards[0]["description"]
