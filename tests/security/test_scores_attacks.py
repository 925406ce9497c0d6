"""Attacks on imported exam scores, each with the attacker's own token or file."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from accred_ops.core.marker import make
from tests.e2e import conftest as e2e
from tests.e2e.conftest import World
from tests.e2e.test_scores import scored
from tests.e2e.test_sync import FIRST, _enrolled, _issue

world = e2e.world  # the end-to-end fixture: the real CLI against the sandbox
C = "co-selling-with-partners"
HEAD = "username,course,score,max_score,taken_at,attempt_id\n"


def _labels(world: World, learner: str) -> list[str]:
    return _issue(world, FIRST, learner)["labels"]


def _import(world: World, text: str, *args: str, name: str = "r.csv") -> int:
    (world.root / name).write_text(text, encoding="utf-8")
    return world.cli("scores", "import", name, *args).exit_code


@pytest.fixture(autouse=True)
def _scored(world: World) -> None:
    scored(world.root)  # the exams have a pass mark


def test_a_forged_score_comment_proves_nothing(world: World) -> None:
    _enrolled(world)
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    forged = make("exam-score", course=C, key="0" * 16, attempt=1, outcome="passed", percent=100)
    bob.comment(iid, f"my score {forged}")
    bob.add_label(iid, "exam::passed")
    assert world.cli("sync").exit_code == 0
    assert "exam::passed" not in _labels(world, "bob")


def test_a_self_set_pass_over_a_failing_score_is_removed_and_the_failure_restored(
    world: World,
) -> None:
    _enrolled(world)
    assert _import(world, HEAD + f"bob,{C},40,100,2026-12-02,\n") == 0
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    bob.add_label(iid, "exam::passed")  # scoped: GitLab takes exam::failed off
    assert world.cli("sync").exit_code == 0
    labels = _labels(world, "bob")
    assert "exam::passed" not in labels and "exam::failed" in labels


def test_removing_the_tools_failed_verdict_does_not_stick(world: World) -> None:
    _enrolled(world)
    assert _import(world, HEAD + f"bob,{C},40,100,2026-12-02,\n") == 0
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    bob.tick(iid)  # in assessment: the issue's verdicts are checked on every sync
    bob.remove_label(iid, "exam::failed")
    assert world.cli("sync").exit_code == 0
    assert "exam::failed" in _labels(world, "bob")


def test_removing_the_failed_score_and_its_retake_label_restores_both(world: World) -> None:
    """A learner who may edit labels (Reporter, Developer) removes the failing score's verdict
    and `Retake` together: both come back, as for an assessor's failing verdict."""
    _enrolled(world)
    assert _import(world, HEAD + f"bob,{C},40,100,2026-12-02,\n") == 0
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    bob.tick(iid)
    bob.remove_label(iid, "exam::failed")
    bob.remove_label(iid, "Retake")
    assert world.cli("sync").exit_code == 0
    labels = _labels(world, "bob")
    assert "exam::failed" in labels and "Retake" in labels


def test_row_text_never_reaches_a_comment_as_markup_or_a_marker(world: World) -> None:
    _enrolled(world)
    for attempt_id in ("x-->", "a b", "~exam::passed"):
        text = HEAD + f"alice,{C},90,100,2026-12-02,{attempt_id}\n"
        assert _import(world, text) == 2
    assert _import(world, HEAD + f"alice,{C},90,100,2026-12-02,\n", name="@all.csv") == 0
    assert _import(world, HEAD + f"alice,{C},95,100,2026-12-03,/close\n") == 0
    notes = [n["body"] for n in _issue(world, FIRST, "alice")["notes"] if "exam-score" in n["body"]]
    assert "\\@all.csv" in notes[0] and " @all" not in notes[0]
    assert not any(line.startswith("/") for note in notes for line in note.splitlines())
    assert _issue(world, FIRST, "alice")["state"] == "opened"


def test_a_replayed_signed_payload_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enrolled(world)
    secret = "a-long-shared-secret"
    monkeypatch.setenv("ACCRED_SCORES_SECRET", secret)
    data = (HEAD + f"alice,{C},90,100,2026-12-02,p-1\n").encode()
    (world.root / "p.csv").write_bytes(data)
    signature = "sha256=" + hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
    assert world.cli("scores", "import", "p.csv", "--signature", signature).exit_code == 0
    world.sandbox.reset_log()
    again = world.cli("scores", "import", "p.csv", "--signature", signature)
    assert again.exit_code == 0 and world.writes() == 0 and secret not in again.output


def test_a_signed_file_altered_after_signing_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "a-long-shared-secret"
    monkeypatch.setenv("ACCRED_SCORES_SECRET", secret)
    data = (HEAD + f"bob,{C},40,100,2026-12-02,p-2\n").encode()
    signature = "sha256=" + hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
    (world.root / "p.csv").write_bytes(data.replace(b",40,", b",95,"))
    world.sandbox.reset_log()
    result = world.cli("scores", "import", "p.csv", "--signature", signature)
    assert result.exit_code == 2 and world.sandbox.log == [] and secret not in result.output
