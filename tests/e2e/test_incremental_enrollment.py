"""No re-read storm after a big enrollment: the writes a run makes inside its own overlap are
checked once by that run, so the next hourly sync starts past them, and still misses nothing."""

from __future__ import annotations

import pytest

from accred_ops.app.demo import PROJECT, write_workspace
from accred_ops.core import syncstate
from accred_ops.gitlab import GitLabAdapter
from accred_ops.sync import recording
from tests.e2e.conftest import LEARNERS, World
from tests.e2e.test_incremental import _sync_at
from tests.e2e.test_sync import FIRST, _issue

MANY = [f"learner{n:02d}" for n in range(20)]  # with alice, bob, carol: 23 x 6 = 138 objects


@pytest.fixture
def crowd(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    # the wait for GitLab's clock to pass the overlap moves the sandbox's clock, not the test's
    monkeypatch.setattr(recording, "_sleep", lambda s: world.sandbox.advance(minutes=s / 60))
    monkeypatch.setattr(syncstate, "SETTLE_AFTER", 100)  # 138 objects here: a "big" enrollment
    with world.sandbox.world.lock:
        project = world.sandbox.world.project_by_path(PROJECT)
    for name in MANY:
        world.sandbox.add_user(name, token=f"{name}-token")
        world.sandbox.world.set_member(project, name, 20)
    write_workspace(
        world.root, None, [*LEARNERS, *MANY], cohort="q4", concurrency=4, full_sync_every_hours=24
    )
    assert world.cli("setup").exit_code == 0
    return world


def test_the_sync_after_a_sync_that_enrolled_everyone_reads_seven(
    crowd: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _sync_at(crowd, monkeypatch, 0, "--dashboard")  # the first sync enrolls all 23
    assert "full pass" in said and crowd.writes() > 23 * 6
    _sync_at(crowd, monkeypatch, 1)
    assert (
        crowd.sandbox.count(write=False) == 7
    )  # quiet: 5 + the feedback listing; not every learner's issues again


def test_the_sync_after_enroll_and_a_full_pass_at_once_reads_seven(
    crowd: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert crowd.cli("enroll").exit_code == 0
    assert "full pass" in _sync_at(crowd, monkeypatch, 0)  # enroll's writes are in its overlap
    _sync_at(crowd, monkeypatch, 1)
    assert crowd.sandbox.count(write=False) == 7


def test_a_change_made_while_the_run_was_writing_is_still_synced_next_time(
    crowd: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """alice ticks her course after the enrolling sync read and wrote it, before its check."""
    real_clock = GitLabAdapter.clock
    alice = crowd.person("alice")

    def tick_then_clock(adapter: GitLabAdapter):  # type: ignore[no-untyped-def]
        crowd.sandbox.advance(minutes=0.1)  # some seconds after the run's last write
        alice.tick(
            alice.find_issue(FIRST, "alice"), ["The different types of partners GitLab works with"]
        )
        return real_clock(adapter)

    monkeypatch.setattr(GitLabAdapter, "clock", tick_then_clock)
    _sync_at(crowd, monkeypatch, 0)
    monkeypatch.setattr(GitLabAdapter, "clock", real_clock)
    assert "accreditation::enrolled" in _issue(crowd, FIRST, "alice")["labels"]
    said = _sync_at(crowd, monkeypatch, 1)
    assert "read what changed since" in said
    assert "accreditation::in-progress" in _issue(crowd, FIRST, "alice")["labels"]
    # alice alone was read again (2), and her epic once more right before its record is
    # rewritten (1: no stale record is written back, core/revocation.py)
    assert crowd.sandbox.count(write=False) == 7 + 2 + 1


def test_settled_since_stops_at_the_first_change_the_run_has_not_seen() -> None:
    import datetime as dt

    start = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    check = start + dt.timedelta(minutes=10)
    known = {"a": "2026-12-01T10:01:00Z", "b": "2026-12-01T10:02:00Z"}
    listed = [("a", "2026-12-01T10:01:00Z"), ("b", "2026-12-01T10:02:00Z")]
    assert syncstate.settled_since(start, check, listed, known) == check - syncstate.OVERLAP
    changed = [*listed, ("c", "2026-12-01T10:03:00Z"), ("b", "2026-12-01T10:04:00Z")][1:]
    assert syncstate.settled_since(start, check, changed, known) == dt.datetime(
        2026, 12, 1, 10, 2, 59, tzinfo=dt.UTC
    )
    early = [("x", "2026-12-01T09:58:00.500Z")]  # unseen, at the floor: never before it
    assert syncstate.settled_since(start, check, early, {}) == start - syncstate.OVERLAP
