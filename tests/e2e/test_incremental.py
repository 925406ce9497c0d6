"""Incremental sync end to end: which learners a sync reads, and when it reads everything.

The world's syncs read only what changed since the last one (`full_sync_every_hours: 24`); the
sandbox's clock is moved, never slept, and the CLI is told the time.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from accred_ops.app.demo import write_workspace
from accred_ops.core import syncstate
from tests.e2e.conftest import LEARNERS, World
from tests.e2e.test_sync import FIRST, _issue, _pass


@pytest.fixture
def synced(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    write_workspace(
        world.root, None, LEARNERS, cohort="q4", concurrency=1, full_sync_every_hours=24
    )
    assert world.cli("setup").exit_code == 0
    assert world.cli("enroll").exit_code == 0
    assert "full pass: no record of an earlier sync" in _sync_at(world, monkeypatch, 0.1)
    return world


def _sync_at(world: World, monkeypatch: pytest.MonkeyPatch, hours: float, *args: str) -> str:
    """Move the clock, sync, and return what the sync said (stdout and stderr)."""
    world.sandbox.advance(hours=hours)
    monkeypatch.setenv("ACCRED_NOW", world.sandbox.now().isoformat())
    world.sandbox.reset_log()
    result = world.cli("sync", *args)
    assert result.exit_code in (0, 1), result.output
    return result.output


def _record(world: World) -> syncstate.SyncRecord:
    """The record in the tool's own comment on its closed state issue."""
    issue = world.sandbox.snapshot()["issues"][("field-enablement/accreditation", syncstate.TITLE)]
    assert issue["state"] == "closed"
    (note,) = [n for n in issue["notes"] if n["author"] == "accred-bot"]
    record = syncstate.read_record(note["body"], world.sandbox.now())
    assert record is not None
    return record


def test_a_quiet_program_costs_seven_reads_and_no_write(
    synced: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _record(synced)
    said = _sync_at(synced, monkeypatch, 1)
    assert "read what changed since" in said
    # the token's user, the labels, the state issue and the tool's comment on it (the record),
    # the epics and the issues changed since, and the course feedback changed since
    assert synced.sandbox.count(write=False) == 7
    assert synced.writes() == 0
    assert _record(synced) == first  # nothing touched: the record does not move


def test_only_changed_learners_are_read_and_the_record_moves_on(
    synced: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pass(synced, FIRST, "alice")
    said = _sync_at(synced, monkeypatch, 1)
    assert "@alice:" in said and "@bob:" not in said and "@carol:" not in said
    assert _issue(synced, FIRST, "alice")["state"] == "closed"  # awarded
    # the 7 of a quiet program, alice's epic and issues (2), the assessors group (2: its
    # subgroups, its direct members), and for the award: the issue's label events and
    # comments, and the comment read back (3), and alice's epic read again right before its
    # record is rewritten, so that no stale record is written back (1: core/revocation.py)
    assert synced.sandbox.count(write=False) == 7 + 2 + 2 + 3 + 1
    moved = _record(synced).since + syncstate.OVERLAP  # GitLab's time when the sync began
    assert dt.timedelta(0) <= synced.sandbox.now() - moved < dt.timedelta(seconds=30)


def test_changed_program_files_make_a_full_pass(
    synced: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort = Path("cohorts/q4.yml")
    cohort.write_text(cohort.read_text() + "  - dana\n")
    said = _sync_at(synced, monkeypatch, 1)
    assert "full pass: the program files changed" in said
    assert "@dana: create epic" in said
    assert "read what changed since" in _sync_at(synced, monkeypatch, 1)


def test_a_full_pass_comes_daily_and_on_request(
    synced: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "full pass: asked for (--full)" in _sync_at(synced, monkeypatch, 1, "--full")
    assert "read what changed since" in _sync_at(synced, monkeypatch, 23)
    assert "full pass: the last full pass is over 24 hours old" in _sync_at(synced, monkeypatch, 2)


def test_a_failed_learner_is_read_again_next_time(
    synced: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _record(synced)
    alice = synced.person("alice")
    alice.tick(alice.find_issue(FIRST, "alice"), ["I have taken the written exam"])
    synced.sandbox.faults.fail(500, times=10, method="PUT", path=r"/issues/\d+$")
    said = _sync_at(synced, monkeypatch, 1)
    assert "@alice: FAILED" in said
    synced.sandbox.faults.clear()
    assert _record(synced) == before  # not moved past alice's change
    said = _sync_at(synced, monkeypatch, 1)
    assert "accreditation::in-progress" in said
    assert "accreditation::in-progress" in _issue(synced, FIRST, "alice")["labels"]


def test_an_issue_a_search_cannot_find_makes_a_full_read_not_a_duplicate(
    synced: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = synced.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    bob.project.issues.update(iid, {"title": "My first course"})  # the search by title misses it
    said = _sync_at(synced, monkeypatch, 1)
    assert "create issue" not in said
    titles = [title for (_, title) in synced.sandbox.snapshot()["issues"]]
    assert sum(bool(re.search(rf"^{FIRST} — @bob$", t)) for t in titles) == 0
    assert titles.count("My first course") == 1


def test_sync_dashboard_is_refreshed_only_when_something_changed(
    synced: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "dashboard created" in _sync_at(synced, monkeypatch, 1, "--dashboard")
    said = _sync_at(synced, monkeypatch, 1, "--dashboard")
    assert "dashboard unchanged" in said
    assert synced.sandbox.count(write=False) == 7 + 2  # + the dashboard, and its proof comment
    _pass(synced, FIRST, "bob")
    assert "dashboard updated" in _sync_at(synced, monkeypatch, 1, "--dashboard")
