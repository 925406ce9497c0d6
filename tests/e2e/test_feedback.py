"""Course feedback end to end: the template's issue, triage by `sync`, and the report."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import World
from tests.e2e.test_sync import _enrolled

TEMPLATE = (
    Path(__file__).resolve().parents[2] / ".gitlab" / "issue_templates" / "Course feedback.md"
)
LABELS = "Field Learning Programs,accreditation::feedback"  # what the template's /label applies


def _open_feedback(world: World, author: str, title: str, course: str, rating: str) -> int:
    """An issue as GitLab leaves it after the template's quick action ran: its text without
    the /label line, and the two labels applied."""
    text = TEMPLATE.read_text()
    body = (
        text.replace("Course: <course id or title>", f"Course: {course}")
        .replace("Rating: <1-5>", f"Rating: {rating}")
        .split("/label")[0]
    )
    person = world.person(author)
    issue = person.project.issues.create({"title": title, "description": body, "labels": LABELS})
    return int(issue.iid)


def _feedback_issue(world: World, title: str) -> dict:
    return world.sandbox.snapshot()["issues"][("field-enablement/accreditation", title)]


def test_feedback_is_filed_under_its_course_and_counted_in_the_report(world: World) -> None:
    _enrolled(world)
    assert "accreditation::feedback" in str(world.sandbox.snapshot()["labels"])  # by setup
    _open_feedback(world, "carol", "Feedback: Account Planning", "account-planning", "4")
    assert world.cli("sync").exit_code == 0
    issue = _feedback_issue(world, "Feedback: Account Planning")
    assert {"course::account-planning", "program::sal"} <= set(issue["labels"])
    assert issue["state"] == "opened" and issue["notes"] == []  # no reply, left open

    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert world.writes() == 0  # triaged once

    result = world.cli("report", "--format", "json")
    assert result.exit_code == 0, result.output
    (entry,) = [f for f in json.loads(result.output)["feedback"] if f["issues"]]
    assert entry["program"] == "sal" and entry["course"] == "account-planning"
    assert (entry["issues"], entry["open"], entry["ratings"]) == (1, 1, 1)
    assert entry["average_rating"] == 4.0
    assert entry["open_issues"][0]["url"].endswith("/issues/" + str(entry["open_issues"][0]["iid"]))
    others = [f for f in json.loads(result.output)["feedback"] if not f["issues"]]
    assert others and all(f["average_rating"] is None for f in others)


def test_unknown_course_gets_one_reply_listing_the_ids_and_none_of_its_text(
    world: World,
) -> None:
    _enrolled(world)
    _open_feedback(world, "alice", "Feedback: basket weaving", "Underwater <b>basket</b>", "5")
    for _ in range(2):
        assert world.cli("sync").exit_code == 0
    issue = _feedback_issue(world, "Feedback: basket weaving")
    (reply,) = [n["body"] for n in issue["notes"] if n["author"] == "accred-bot"]
    assert "`account-planning`" in reply and "`co-selling-with-partners`" in reply
    assert "basket" not in reply.lower() and "Underwater" not in reply
    assert issue["state"] == "opened"
    assert not any(label.startswith("course::") for label in issue["labels"])


def test_every_course_issue_links_to_the_prefilled_feedback_template(world: World) -> None:
    _enrolled(world)
    issue = world.sandbox.snapshot()["issues"][
        ("field-enablement/accreditation", "Account Planning in Gainsight — @alice")
    ]
    assert (
        "/field-enablement/accreditation/-/issues/new?issuable_template=Course%20feedback"
        "&issue[title]=Feedback:%20Account%20Planning%20in%20Gainsight)" in issue["description"]
    )
