"""Bounded answers to floods (finding 7 of the failures-and-races pass): one Guest's hundred
enrolment requests or feedback issues naming no course cost one comment a run, and thousands of
comments on the tool's own issues cost a quiet sync nothing (they are confidential, and their
proof is among their oldest comments)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accred_ops.app.reporting import DASHBOARD_TITLE
from accred_ops.core import syncstate
from tests.e2e.test_feedback import TEMPLATE as FEEDBACK_TEMPLATE
from tests.security.integrity_world import TEMPLATE, Attacker, hostile_world, sync

FLOOD = 12


def _bot_comments(world, titles: re.Pattern[str]) -> int:  # type: ignore[no-untyped-def]
    return sum(
        note["author"] == "accred-bot"
        for (_, title), item in world.sandbox.snapshot()["issues"].items()
        if titles.fullmatch(title)
        for note in item["notes"]
        if not note.get("system")
    )


def _states(world, titles: re.Pattern[str]) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        item["state"]
        for (_, title), item in world.sandbox.snapshot()["issues"].items()
        if titles.fullmatch(title)
    ]


def test_finding7_a_flood_of_enrolment_requests_costs_one_reply_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hostile_world(tmp_path, monkeypatch, "guest", open_cohort=True) as w:
        assert w.cli("enroll").exit_code == 0
        frank = Attacker(w, "frank")
        body = TEMPLATE.split("/label")[0].replace("<program id>", "nope")
        for n in range(FLOOD):
            assert frank.create(
                title=f"Accreditation enrollment {n}",
                description=body,
                labels="accreditation::enrollment-request",
            )
        out = sync(w)
        titles = re.compile(r"Accreditation enrollment \d+")
        assert _bot_comments(w, titles) == 1
        assert _states(w, titles).count("closed") >= FLOOD - 1
        assert out.count("closed without a reply") == FLOOD - 1
        sync(w)
        assert _bot_comments(w, titles) == 1


def test_finding7_a_flood_of_feedback_naming_no_course_costs_one_reply_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hostile_world(tmp_path, monkeypatch, "guest") as w:
        assert w.cli("enroll").exit_code == 0
        bob = Attacker(w)
        body = FEEDBACK_TEMPLATE.read_text().split("/label")[0]
        for n in range(FLOOD):
            assert bob.create(
                title=f"Feedback {n}",
                description=body,
                labels="accreditation::feedback,Field Learning Programs",
            )
        out = sync(w)
        titles = re.compile(r"Feedback \d+")
        assert _bot_comments(w, titles) == 1
        assert out.count("closed without a reply") == FLOOD - 1
        sync(w)
        assert _bot_comments(w, titles) == 1


def test_finding7_comments_on_the_tools_own_issues_cost_a_quiet_sync_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """250 comments (three pages) by a Reporter on the sync-state and dashboard issues: the
    quiet `sync --dashboard` reads as much as before. A Guest cannot even see them."""
    with hostile_world(tmp_path, monkeypatch, "reporter", incremental=True) as w:
        assert w.cli("enroll").exit_code == 0
        sync(w, "--dashboard")
        sync(w, "--dashboard")
        w.sandbox.reset_log()
        sync(w, "--dashboard")
        quiet = w.sandbox.count(write=False)
        issues = w.person("accred-bot").project.issues
        own = [
            i
            for t in (syncstate.TITLE, DASHBOARD_TITLE)
            for i in issues.list(search=t, state="all", get_all=True)
            if i.title == t
        ]
        assert len(own) == 2 and all(i.confidential for i in own)
        bob = Attacker(w)
        for item in own:
            for n in range(250):
                assert bob.comment(item.iid, f"flood {n}")
        w.sandbox.reset_log()
        sync(w, "--dashboard")
        assert w.sandbox.count(write=False) == quiet


def test_finding7_a_guest_cannot_even_comment_on_the_tools_own_issues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hostile_world(tmp_path, monkeypatch, "guest", incremental=True) as w:
        assert w.cli("enroll").exit_code == 0
        sync(w, "--dashboard")
        issues = w.person("accred-bot").project.issues
        for title in (syncstate.TITLE, DASHBOARD_TITLE):
            (found,) = [i for i in issues.list(search=title, state="all") if i.title == title]
            assert found.confidential
            assert not Attacker(w).comment(found.iid, "flood")
