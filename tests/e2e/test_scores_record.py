"""Imported attempts on the learner record, end to end: the sync that follows an import records
the attempts with the epic write it makes anyway, so a re-import reads no comments; a score
comment is not read back after GitLab's answer to its creation; the CSV report's exam cells."""

from __future__ import annotations

import csv
import io

from accred_ops.core import record
from tests.e2e.conftest import World
from tests.e2e.test_scores import COURSE, _csv, _import, scored
from tests.e2e.test_sync import _enrolled, _epic

ROWS = (
    "username,course,score,max_score,taken_at,attempt_id\n"
    f"alice,{COURSE},85,100,2026-12-02T10:00:00Z,a-1\n"
    f"bob,{COURSE},60,100,2026-12-02T10:00:00Z,b-1\n"
)


def note_reads(world: World) -> int:
    """GETs of an issue's comments since the log was reset."""
    return sum(1 for r in world.sandbox.log if not r.is_write and r.path.endswith("/notes"))


def test_reimport_after_a_sync_reads_no_comments(world: World) -> None:
    scored(world.root)
    _enrolled(world)
    name = _csv(world.root, ROWS)
    world.sandbox.reset_log()
    _import(world, name)
    # no comment read: nobody has commented on these issues yet (GitLab's listing counts
    # none), and none back after the score comment's creation
    assert note_reads(world) == 0 and world.writes() == 4

    assert world.cli("sync").exit_code == 0
    on_record = record.parse(_epic(world, "alice")["description"])
    assert on_record is not None
    [entry] = on_record.scored[COURSE]
    assert entry.endswith(" 85 passed")
    # the learners' epics show the score in the progress table
    assert "| passed (85 %) |" in _epic(world, "alice")["description"]
    assert "| failed (60 %) |" in _epic(world, "bob")["description"]

    world.sandbox.reset_log()
    again = _import(world, name)
    assert "made 0 changes" in again
    assert note_reads(world) == 0 and world.writes() == 0

    # a new attempt of bob's: his issue's comments only, its comment and its label
    retake = _csv(world.root, ROWS + f"bob,{COURSE},90,100,2026-12-20T10:00:00Z,b-2\n", "r2.csv")
    world.sandbox.reset_log()
    _import(world, retake)
    assert note_reads(world) == 1 and world.writes() == 2
    assert world.cli("sync").exit_code == 0
    bob = record.parse(_epic(world, "bob")["description"])
    assert bob is not None and len(bob.scored[COURSE]) == 2


def test_an_attempt_not_on_record_is_looked_up_in_the_comments(world: World) -> None:
    """Imported, then imported again before any sync wrote the record: the comments are read
    and nothing is posted twice."""
    scored(world.root)
    _enrolled(world)
    name = _csv(world.root, ROWS)
    _import(world, name)
    world.sandbox.reset_log()
    assert "made 0 changes" in _import(world, name)
    assert note_reads(world) == 2 and world.writes() == 0


def test_the_csv_report_gives_each_row_its_exam_score_and_attempts(world: World) -> None:
    scored(world.root)
    _enrolled(world)
    retake = ROWS + f"bob,{COURSE},90,100,2026-12-20T10:00:00Z,b-2\n"
    _import(world, _csv(world.root, retake))
    result = world.cli("report", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    cells = {
        (r["username"], r["course"]): (r["exam_score"], r["exam_attempts"])
        for r in rows
        if r["username"] in ("alice", "bob")
    }
    assert cells[("alice", COURSE)] == ("85", "1")
    assert cells[("bob", COURSE)] == ("90", "2")  # the pass the verdict rests on, 2 attempts
    other = next(c for (u, c) in cells if u == "alice" and c != COURSE)
    assert cells[("alice", other)] == ("", "")  # no attempt imported there
