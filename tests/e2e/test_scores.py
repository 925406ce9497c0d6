"""Exam scores end to end through the CLI on the sandbox: plain and Google Forms imports, the
verdicts and comments they give, the retake flow, the practical opening after the exam, and a
re-import that writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest

from tests.conftest import practical_after_exam
from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _enrolled, _issue

SCORE = "accred-ops:exam-score"
OPEN = "accred-ops:practical-open"
COURSE = "co-selling-with-partners"


def scored(root: Path, rules: str = "pass_mark: 80") -> None:
    """The program's exams scored: every course's `exam: true` becomes `exam: {<rules>}`."""
    curriculum = root / "curriculum" / "strategic-account-leaders.yml"
    text = curriculum.read_text().replace("  exam: true\n", f"  exam: {{{rules}}}\n")
    curriculum.write_text(text)


def _notes(world: World, learner: str, fragment: str, course: str = FIRST) -> list[str]:
    return [n["body"] for n in _issue(world, course, learner)["notes"] if fragment in n["body"]]


def _csv(root: Path, text: str, name: str = "results.csv") -> str:
    (root / name).write_text(text, encoding="utf-8")
    return name


def _import(world: World, *args: str) -> str:
    result = world.cli("scores", "import", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_plain_import_passes_and_fails_with_comments_and_labels(world: World) -> None:
    scored(world.root)
    _enrolled(world)
    name = _csv(
        world.root,
        "username,course,score,max_score,taken_at,attempt_id\n"
        f"alice,{COURSE},85,100,2026-12-02T10:00:00Z,\n"
        f"bob,{COURSE},6,10,2026-12-02,b-1\n",
    )
    world.sandbox.reset_log()
    output = _import(world, name)
    assert "made 4 changes" in output, output
    alice, bob = _issue(world, FIRST, "alice"), _issue(world, FIRST, "bob")
    assert "exam::passed" in alice["labels"] and "exam::failed" not in alice["labels"]
    assert {"exam::failed", "Retake"} <= set(bob["labels"])
    [note] = _notes(world, "alice", SCORE)
    assert "**85 %**" in note and "attempt 1" in note and "pass mark is 80 %" in note
    assert "results.csv row 2" in note
    assert "Source: attempt b-1" in _notes(world, "bob", SCORE)[0]
    assert world.writes() == 4  # a comment and a label per new attempt

    world.sandbox.reset_log()
    again = _import(world, name)
    assert "made 0 changes" in again and world.writes() == 0

    report = json.loads(world.cli("report", "--format", "json").output)
    [exam] = [e for e in report["exams"] if e["course"] == COURSE]
    assert exam["learners"] == 2 and exam["first_attempt_pass_rate"] == 50.0
    assert exam["distribution"]["80–89"] == 1 and exam["distribution"]["60–69"] == 1
    markdown = world.cli("report", "--format", "md").output
    assert "## Written exams" in markdown and "xychart-beta" in markdown
    assert "Written exams" in world.cli("report", "--format", "html").output
    status = world.cli("status", "bob").output
    assert "exam attempt 1: 60 % failed (2026-12-02)" in status, status

    # the tool's own verdicts stand through a sync: nothing refused, nothing restored
    assert world.cli("sync").exit_code == 0
    assert "exam::passed" in _issue(world, FIRST, "alice")["labels"]
    assert "exam::failed" in _issue(world, FIRST, "bob")["labels"]
    assert not _notes(world, "alice", "accred-ops:verdict-refused")


def test_google_forms_export_matched_by_cohort_email(world: World) -> None:
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(
        cohort.read_text().replace(
            "  - alice\n", "  - {username: alice, email: Alice@Example.com}\n"
        )
    )
    scored(world.root)
    _enrolled(world)
    export = (
        '"Timestamp","Email Address","Score","Which partner type?","Why?"\n'
        '"2026/12/02 10:15:32 AM GMT+1","alice@example.com","9 / 10","Channel","A long\n'
        'answer over two lines"\n'
    )
    name = _csv(world.root, export, "quiz.csv")
    _import(world, name, "--format", "google-forms", "--course", COURSE)
    assert "exam::passed" in _issue(world, FIRST, "alice")["labels"]
    [note] = _notes(world, "alice", SCORE)
    assert "**90 %**" in note and "quiz.csv row 2" in note and "2026-12-02 09:15 UTC" in note


def test_a_first_import_reads_comments_only_where_someone_has_commented(world: World) -> None:
    """GitLab's listing counts each issue's comments: where it says none, there is no score
    comment to find, so nothing is read; where a learner has written, the comments are read
    and a row already imported is still found."""
    scored(world.root)
    _enrolled(world)
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    alice.comment(iid, "Looking forward to the exam!")
    name = _csv(
        world.root,
        "username,course,score,taken_at\n"
        f"alice,{COURSE},85,2026-12-02\nbob,{COURSE},60,2026-12-02\n",
    )
    world.sandbox.reset_log()
    _import(world, name)
    comment_reads = [
        r.path for r in world.sandbox.log if not r.is_write and r.path.endswith("/notes")
    ]
    assert len(comment_reads) == 1 and comment_reads[0].endswith(f"/issues/{iid}/notes")
    assert world.writes() == 4
    world.sandbox.reset_log()
    assert "made 0 changes" in _import(world, name) and world.writes() == 0


def test_practical_opens_only_after_the_exam(world: World) -> None:
    scored(world.root)
    practical_after_exam(world.root, True)  # as shipped
    _enrolled(world)
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    alice.tick(iid)
    sam = world.person("sam")
    sam.add_label(iid, "practical::approved")  # too early: the exam is not passed
    assert world.cli("sync").exit_code == 0
    issue = _issue(world, FIRST, "alice")
    assert "practical::approved" not in issue["labels"]
    assert len(_notes(world, "alice", "accred-ops:practical-early")) == 1
    assert not _notes(world, "alice", "accred-ops:routed")  # nobody asked before the exam
    assert world.cli("sync").exit_code == 0
    assert len(_notes(world, "alice", "accred-ops:practical-early")) == 1

    _import(
        world, _csv(world.root, f"username,course,score,taken_at\nalice,{COURSE},80,2026-12-03\n")
    )
    [score] = _notes(world, "alice", SCORE)
    assert "practical assessment opens at the next sync" in score  # not before: it is true
    assert not _notes(world, "alice", OPEN)
    assert world.cli("sync").exit_code == 0
    [opened] = _notes(world, "alice", OPEN)
    assert "@alice" in opened and "practical::approved" in opened
    sam.add_label(iid, "practical::approved")
    assert world.cli("sync").exit_code == 0
    issue = _issue(world, FIRST, "alice")
    assert "accreditation::badge-awarded" in issue["labels"] and issue["state"] == "closed"
    [award] = _notes(world, "alice", "accred-ops:award")
    assert "the written exam was passed with 80 % (pass mark 80 %)" in award and "@sam" in award
    assert len(_notes(world, "alice", OPEN)) == 1


def test_the_scores_folder_is_imported_by_sync_and_a_bad_row_stops_it(world: World) -> None:
    scored(world.root)
    _enrolled(world)
    (world.root / "scores").mkdir()
    good = f"username,course,score,taken_at\nalice,{COURSE},92,2026-12-02\n"
    (world.root / "scores" / "2026-12.csv").write_text(good)
    result = world.cli("sync")
    assert result.exit_code == 0, result.output
    assert "exam::passed" in _issue(world, FIRST, "alice")["labels"]
    assert len(_notes(world, "alice", SCORE)) == 1
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert world.writes() == 0 and len(_notes(world, "alice", SCORE)) == 1

    (world.root / "scores" / "bad.csv").write_text(
        f"username,course,score,taken_at\nalice,{COURSE},x,2026-12-02\n"
    )
    world.sandbox.reset_log()
    result = world.cli("sync")
    assert result.exit_code == 2 and "scores/bad.csv:2: score must be a number" in result.output
    assert world.sandbox.log == []


def test_the_badges_carry_the_exam_score(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.e2e.test_badges_export import KEY

    config = world.root / "accred.yml"
    issuer = "{name: Field Enablement, url: https://example.com, email: fe@example.com}"
    config.write_text(config.read_text() + f"badges:\n  issuer: {issuer}\n")
    monkeypatch.setenv("ACCRED_BADGE_KEY", KEY)
    scored(world.root)
    _enrolled(world)
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    alice.tick(iid)
    _import(
        world, _csv(world.root, f"username,course,score,taken_at\nalice,{COURSE},87.5,2026-12-02\n")
    )
    world.person("sam").add_label(iid, "practical::approved")
    assert world.cli("sync").exit_code == 0
    out = tmp_path / "badges"
    args = ("--out", str(out), "--base-url", "https://example.com/badges", "--format", "ob2,ob3")
    assert world.cli("badges", "export", *args).exit_code == 0
    [assertion] = [json.loads(p.read_text()) for p in (out / "assertions").glob("*.json")]
    assert (
        "written exam passed with 87.5 % (pass mark 80 %)" in assertion["evidence"][0]["narrative"]
    )
    [token] = (out / "credentials").glob("*.jwt")
    claims = jwt.decode(token.read_text().strip(), options={"verify_signature": False})
    vc = claims.get("vc") or claims
    subject = vc["credentialSubject"]
    [described] = subject["achievement"]["resultDescription"]
    assert described["resultType"] == "Percent" and described["requiredValue"] == "80"
    [result] = subject["result"]
    assert result == {"type": ["Result"], "resultDescription": described["id"], "value": "87.5"}


def test_dry_run_prints_the_plan_and_writes_nothing(world: World) -> None:
    scored(world.root)
    _enrolled(world)
    name = _csv(world.root, f"username,course,score,taken_at\nalice,{COURSE},70,2026-12-02\n")
    world.sandbox.reset_log()
    output = _import(world, name, "--dry-run")
    assert world.writes() == 0
    assert "exam attempt 1: 70 % (failed)" in output and 'add ~"exam::failed"' in output
    assert "would make 2 changes" in output
