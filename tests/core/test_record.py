"""The learner record and the identity rules: data in, data out."""

from __future__ import annotations

from accred_ops.core import record
from accred_ops.core.identity import (
    adoptable,
    assigned_by_the_tool_only,
    bind,
    tools_own,
    trusted_record,
)
from accred_ops.core.marker import EpicKey, IssueKey
from accred_ops.core.model import Labels
from accred_ops.core.progress import Authority, standing_verdicts
from accred_ops.core.state import Epic, Issue, LabelEvent, Note

KEY = EpicKey("alice", "sal", "p")
REC = record.LearnerRecord(KEY, "q4", "request:7", {"c1": 11, "c2": 12}, {"c1": ("sam",)}, ())


def test_a_record_reads_back_as_written_and_survives_any_text_around_it() -> None:
    text = record.put("human text\n<!-- accred-ops:progress:start -->x", REC)
    assert record.parse(text) == REC
    assert text.startswith("human text\n")
    assert record.put(text, REC.with_revoked("c1")).count("accred-ops:learner-record") == 1
    assert record.parse(record.strip(text)) is None
    assert record.parse(record.note_text(REC)) == REC
    assert REC.request == 7 and REC.self_enrolled


def test_a_replaced_issue_stays_named_by_the_record_and_old_records_read_unchanged() -> None:
    moved = REC.with_issues({"c1": 13}, {"c1": 3, "c2": 2})
    assert moved.issues == {"c1": 13, "c2": 12} and moved.iids == {"c1": 3, "c2": 2}
    assert moved.retired == (11,) and moved.named() == {11, 12, 13}
    assert record.parse(record.render(moved)) == moved
    assert moved.with_issues({"c1": 13}, {"c1": 3}).retired == (11,)  # once
    # a record written before iids and retired issues: its text does not change
    assert "iids" not in record.render(REC) and "retired" not in record.render(REC)


def test_a_record_cannot_be_closed_early_and_garbage_reads_as_none() -> None:
    odd = record.LearnerRecord(EpicKey("a-->b<x>", "sal", "p"), "q4")
    assert "-->b" not in record.render(odd)
    assert record.parse(record.render(odd)) == odd
    for broken in ("", "<!-- accred-ops:learner-record {} -->", "<!-- accred-ops:learner-record {"):
        assert record.parse(broken) is None
    assert (
        record.parse(
            '<!-- accred-ops:learner-record {"learner":"a","program":"s","path":"p","cohort":"c","issues":{"c1":"x"}} -->'
        )
        is None
    )


def _epic(author: str, description: str = "") -> Epic:
    return Epic(1, 1, "t", description, (), "opened", "", author=author)


def test_a_record_counts_only_where_the_tool_wrote_it() -> None:
    tag = record.render(REC)
    assert trusted_record(_epic("bot", tag), None, "bot", in_note=False)[0] == REC
    assert trusted_record(_epic("bob", tag), None, "bot", in_note=False) == (None, None)
    # issue mode: the description is anyone's; only the tool's comment counts
    notes = [Note(1, tag, "bob", False, ""), Note(2, tag.replace("q4", "q1"), "bot", False, "")]
    found, note = trusted_record(_epic("bot", tag), notes, "bot", in_note=True)
    assert found is not None and found.cohort == "q1" and note == notes[1]
    assert trusted_record(_epic("bot", tag), notes[:1], "bot", in_note=True) == (None, None)


def _issue(iid: int, assignees: tuple[str, ...] = ("alice",), author: str = "bot") -> Issue:
    return Issue(iid, iid, "t", "", (), "opened", "", assignees, author=author)


def test_course_issues_are_bound_by_id_and_adopted_only_when_the_tools_and_unclaimed() -> None:
    pool = {11: _issue(11), 12: _issue(12), 13: _issue(13)}
    assert bind(REC, pool) == {"c1": pool[11], "c2": pool[12]}
    key = IssueKey("alice", "sal", "p", "c3")
    assert adoptable(pool[13], key, "bot", {11, 12})
    assert not adoptable(pool[11], key, "bot", {11, 12})  # another record's
    assert not adoptable(_issue(14, author="alice"), key, "bot", set())  # not the tool's
    assert not adoptable(_issue(15, ("bob",)), key, "bot", set())  # someone else's
    assert tools_own("Bot", "bot") and not tools_own("", "bot")


def test_an_issue_someone_else_reassigned_is_never_adopted() -> None:
    by_tool = Note(1, "assigned to @alice", "bot", True, "")
    ticks = Note(2, "marked the checklist item **x** as completed", "alice", True, "")
    taken = Note(3, "assigned to @bob and unassigned @alice", "bob", True, "")
    assert assigned_by_the_tool_only([by_tool, ticks], "bot")
    assert not assigned_by_the_tool_only([by_tool, ticks, taken], "bot")


def test_verdicts_stand_as_the_assessors_left_them() -> None:
    labels, judge = Labels(), Authority(frozenset({"sam"}), "bot")

    def event(i: int, label: str, action: str, user: str) -> LabelEvent:
        return LabelEvent(i, label, action, user, "")

    passed = event(1, "exam::passed", "add", "sam")
    peer = [
        passed,
        event(2, "exam::failed", "add", "bob"),
        event(3, "exam::passed", "remove", "bob"),
    ]
    assert standing_verdicts(labels, peer, judge, "alice") == {"exam::passed": passed}
    mind = [
        passed,
        event(2, "exam::failed", "add", "sam"),
        event(3, "exam::passed", "remove", "sam"),
    ]
    assert set(standing_verdicts(labels, mind, judge, "alice")) == {"exam::failed"}
    self_judged = [event(1, "exam::passed", "add", "alice")]
    assert (
        standing_verdicts(labels, self_judged, Authority(frozenset({"alice"}), "bot"), "alice")
        == {}
    )
