"""A self-enrollment request answered by its own webhook: the request's author, as GitLab
reports them, is enrolled within the event, exactly as the scheduled sync would."""

from __future__ import annotations

import json

from accred_ops.app.demo import PROJECT
from tests.e2e.conftest import World
from tests.e2e.test_self_enrollment import _request, world  # noqa: F401 (the fixture)


def test_a_request_event_enrols_its_author_not_the_name_in_the_payload(world: World) -> None:  # noqa: F811
    iid = _request(world, "frank")
    body = {
        "object_kind": "issue",
        "user": {"username": "gina"},  # a forged actor: the request's author decides
        "project": {"path_with_namespace": PROJECT},
        "object_attributes": {"iid": iid, "action": "open"},
        "assignees": [{"username": "gina"}],
    }
    path = world.root / "request.json"
    path.write_text(json.dumps(body))
    result = world.cli("sync", "--event", str(path))
    assert result.exit_code == 0, result.output
    issues = world.sandbox.snapshot()["issues"]
    titles = [title for (_, title) in issues]
    assert any(t.endswith("— @frank") for t in titles)
    assert not any(t.endswith("— @gina") for t in titles)
    request = next(i for (_, t), i in issues.items() if t == "Accreditation enrollment")
    assert request["state"] == "closed"


def test_a_no_change_event_costs_six_requests_with_a_cohort_open(world: World) -> None:  # noqa: F811
    """The token's user, the issue, the labels, the learner's open requests, epics, issues."""
    iid = world.person("alice").find_issue("Co-Selling with Partners", "alice")
    body = {
        "object_kind": "note",
        "user": {"username": "alice"},
        "project": {"path_with_namespace": PROJECT},
        "object_attributes": {"noteable_type": "Issue", "note": "hello"},
        "issue": {"iid": iid},
    }
    path = world.root / "note.json"
    path.write_text(json.dumps(body))
    world.sandbox.reset_log()
    result = world.cli("sync", "--event", str(path))
    assert result.exit_code == 0, result.output
    assert len(world.sandbox.log) == 6 and world.writes() == 0
