"""The first hour of a new user, output by output: each message they would meet, as they meet it."""

from __future__ import annotations

import contextlib
import re
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from accred_ops.cli import main
from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _enrolled, _issue, _pass


def _cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _with_issuer(world: World) -> None:
    config = world.root / "accred.yml"
    config.write_text(
        config.read_text()
        + "badges:\n  issuer: {name: Field Enablement, url: https://x.test, email: e@x.test}\n"
    )


# --- a wrong GitLab URL ------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:  # bound, then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_url_fails_fast_and_names_the_url(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("GITLAB_URL", url)
    monkeypatch.setenv("ACCRED_MAX_RETRIES", "10")  # the default: still no long retry loop
    started = time.monotonic()
    result = world.cli("setup")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert f"cannot reach GitLab at {url}: the connection was refused" in result.output
    assert "GITLAB_URL" in result.output


def test_an_address_that_never_answers_fails_fast_and_says_so(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as server:  # listening, with a full backlog: SYNs go unanswered
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        waiting = []
        for _ in range(8):
            client = socket.socket()
            client.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                client.connect(("127.0.0.1", port))
            waiting.append(client)
        monkeypatch.setenv("GITLAB_URL", f"http://127.0.0.1:{port}")
        started = time.monotonic()
        result = world.cli("setup")
        elapsed = time.monotonic() - started
        for client in waiting:
            client.close()
    assert elapsed < 10
    assert result.exit_code == 1
    assert f"cannot reach GitLab at http://127.0.0.1:{port}: no answer within 2.5 s" in (
        result.output
    )


def test_a_url_ending_in_api_v4_is_understood(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_URL", world.sandbox.url + "/api/v4/")
    result = world.cli("setup")
    assert result.exit_code == 0, result.output
    assert "create group board" in result.output


def test_a_url_without_scheme_is_explained(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITLAB_URL", "gitlab.example.com")
    result = world.cli("setup")
    assert result.exit_code == 2
    assert (
        "GITLAB_URL is 'gitlab.example.com': a GitLab URL starts with https:// (or http://), "
        "e.g. https://gitlab.example.com" in result.output
    )
    assert world.sandbox.log == []


# --- plans equal to what the run does ------------------------------------------------------


def _changes(output: str) -> list[str]:
    """The change lines of a run, with GitLab's numbers (unknown to a dry run) blanked."""
    lines = [line.strip() for line in output.splitlines() if line.startswith("  @")]
    return [
        re.sub(r"(epic &|learner issue #|issue #)-?\d+|the new (epic|learner issue)", "<ref>", line)
        for line in lines
    ]


@pytest.mark.parametrize("tracking", ["epic", "issue"])
def test_enroll_dry_run_lists_every_change_the_run_makes(world: World, tracking: str) -> None:
    config = world.root / "accred.yml"
    config.write_text(config.read_text().replace("gitlab:\n", f"gitlab:\n  tracking: {tracking}\n"))
    assert world.cli("setup").exit_code == 0
    world.sandbox.reset_log()
    planned = world.cli("enroll", "--dry-run")
    assert world.writes() == 0
    done = world.cli("enroll")
    assert _changes(planned.output) == _changes(done.output)
    assert "refresh progress table" in planned.output  # the second round, once missing
    summary = planned.output.strip().splitlines()[-1]
    assert summary == done.output.strip().splitlines()[-1].replace("made", "would make")


def test_sync_plan_for_a_new_learner_is_what_the_sync_does(world: World) -> None:
    _enrolled(world)
    _pass(world, FIRST, "alice")
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(cohort.read_text() + "  - dana\n")
    planned = world.cli("sync", "--dry-run", "--plan", "plan.md")
    done = world.cli("sync")
    assert _changes(planned.output) == _changes(done.output)
    assert len(_changes(done.output)) > 5
    assert f"**{len(_changes(done.output))} changes**" in Path("plan.md").read_text()


# --- GitLab Free wording, counts, status, revoke --------------------------------------------


def test_learner_issue_mode_speaks_of_learner_issues(world: World) -> None:
    config = world.root / "accred.yml"
    config.write_text(config.read_text().replace("gitlab:\n", "gitlab:\n  tracking: issue\n"))
    world.cli("setup")
    result = world.cli("enroll")
    assert 'create learner issue "' in result.output
    assert "linked to the learner issue" in result.output
    assert re.search(r"learner issue #\d+ of @alice: refresh progress table", result.output)
    assert "epic" not in result.output.replace("Field Enablement", "")


def test_counts_read_as_english(world: World) -> None:
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(cohort.read_text().replace("  - bob\n  - carol\n", ""))
    assert world.cli("setup").output.strip().splitlines()[-1].startswith("setup: made ")
    result = world.cli("enroll")
    assert "enroll: 1 learner, made " in result.output
    assert world.cli("sync").output.strip().endswith("sync: 1 learner, made 0 changes")


def test_status_of_someone_unknown_explains_and_fails(world: World) -> None:
    _enrolled(world)
    result = world.cli("status", "nobody")
    assert result.exit_code == 2
    assert (
        "@nobody is in no cohort file and has no course issue in GitLab: check the spelling "
        "(learners: alice, bob, carol)" in result.output
    )


def test_status_of_a_listed_learner_not_yet_enrolled_says_what_to_run(world: World) -> None:
    result = world.cli("status", "alice")
    assert result.exit_code == 0
    assert "@alice is in a cohort but has no course issues yet: run `accred-ops enroll`" in (
        result.output
    )


def test_revoke_of_a_misspelt_course_lists_the_courses(world: World) -> None:
    result = world.cli("revoke", "alice", "co-seling-with-partners", "--reason", "x")
    assert result.exit_code == 2
    assert (
        "@alice has no course 'co-seling-with-partners'; their courses: co-selling-with-partners, "
        in result.output
    )
    assert world.sandbox.log == []


def test_a_second_revoke_says_it_is_already_revoked(world: World) -> None:
    _enrolled(world)
    _pass(world, FIRST, "alice")
    world.cli("sync")
    world.cli("revoke", "alice", "co-selling-with-partners", "--reason", "x")
    again = world.cli("revoke", "alice", "co-selling-with-partners", "--reason", "x")
    assert again.exit_code == 0
    assert "@alice: this badge is already revoked; nothing to do" in again.output


def test_a_private_reason_stays_in_the_comment_and_off_the_published_badges(
    world: World, tmp_path: Path
) -> None:
    _with_issuer(world)
    _enrolled(world)
    _pass(world, FIRST, "alice")
    world.cli("sync")
    world.cli(
        "revoke",
        "alice",
        "co-selling-with-partners",
        "--reason",
        "Awarded in error",
        "--private-reason",
        "Case 42: answers copied from bob",
    )
    notes = [n["body"] for n in _issue(world, FIRST, "alice")["notes"]]
    assert any("Case 42: answers copied from bob" in body for body in notes)
    out = tmp_path / "site"
    result = world.cli("badges", "export", "--out", str(out), "--base-url", "https://x.test/b")
    assert result.exit_code == 0, result.output
    published = "".join(p.read_text(errors="ignore") for p in out.rglob("*") if p.is_file())
    assert "Awarded in error" in published
    assert "Case 42" not in published
    assert "PUBLIC" in _cli("revoke", "--help").output


# --- the pages job without a signing key ---------------------------------------------------


def test_badges_export_without_a_key_writes_ob2_and_says_why(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACCRED_BADGE_KEY", raising=False)
    _with_issuer(world)
    _enrolled(world)
    result = world.cli(
        "badges", "export", "--out", str(tmp_path / "b"), "--base-url", "https://x.test/b"
    )
    assert result.exit_code == 0, result.output
    assert "Open Badges 3.0 skipped: ACCRED_BADGE_KEY is not set" in result.output


def test_asking_for_ob3_without_a_key_names_the_variable(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACCRED_BADGE_KEY", raising=False)
    result = world.cli(
        "badges",
        "export",
        "--out",
        str(tmp_path / "b"),
        "--base-url",
        "https://x",
        "--format",
        "ob3",
    )
    assert result.exit_code == 2
    assert "the PEM private key in ACCRED_BADGE_KEY, which is not set" in result.output


# --- help ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", ["init", "validate", "setup", "enroll", "sync", "status", "revoke", "demo"]
)
def test_main_commands_show_examples(command: str) -> None:
    result = _cli(command, "--help")
    assert "Examples:" in result.output
    assert f"accred-ops {command}" in result.output


def test_a_429_from_gitlab_is_said_while_waiting(world: World) -> None:
    world.sandbox.faults.fail(429, times=1, retry_after=1)
    result = world.cli("enroll")
    assert result.exit_code == 0, result.output
    assert (
        "GitLab answered 429 Too Many Requests: waiting 1 s (Retry-After) before trying again"
        in (result.output)
    )
    said = result.output.index("GitLab answered 429")
    assert said < result.output.index("enroll: 3 learners, made")  # while it ran, not after


def test_a_web_server_that_is_no_gitlab_is_named_as_such(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any web server answers 404 on /api/v4/user: that is a wrong address, not a wrong path."""
    import http.server
    import threading

    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        monkeypatch.setenv("GITLAB_URL", url)
        result = world.cli("sync", "--dry-run")
    finally:
        server.shutdown()
    assert result.exit_code == 1
    assert f"{url} does not look like a GitLab API" in result.output
    assert "check the group and project paths" not in result.output


def test_a_sync_before_setup_says_that_setup_has_not_run(world: World) -> None:
    result = world.cli("sync")
    assert result.exit_code == 0, result.output
    assert "`accred-ops setup` has not run" in result.output
    assert 'there is no "Field Enablement" board' in result.output
    assert world.cli("setup").exit_code == 0
    assert "has not run" not in world.cli("sync").output
