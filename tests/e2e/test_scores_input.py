"""Every bad results file is exit 2 with `file:line: message`, and not one request is sent."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from accred_ops.files.scores_csv import MAX_BYTES
from tests.e2e.conftest import World
from tests.e2e.test_scores import scored
from tests.e2e.test_sync import _enrolled

HEAD = "username,course,score,max_score,taken_at,attempt_id\n"
C = "co-selling-with-partners"
BAD = {
    "unknown course": (HEAD + "alice,no-such-course,80,100,2026-12-02,\n", 2, "no course"),
    "learner in no cohort": (HEAD + f"dana,{C},80,100,2026-12-02,\n", 2, "in any cohort"),
    "score above max": (HEAD + f"alice,{C},11,10,2026-12-02,\n", 2, "above its maximum"),
    "negative score": (HEAD + f"alice,{C},-1,100,2026-12-02,\n", 2, "0 or more"),
    "score not a number": (HEAD + f"alice,{C},eighty,100,2026-12-02,\n", 2, "must be a number"),
    "bad date": (HEAD + f"alice,{C},80,100,2026-13-45,\n", 2, "not a date"),
    "attempt ids that disagree": (
        HEAD + f"alice,{C},80,100,2026-12-02,x1\nalice,{C},90,100,2026-12-02,x1\n",
        3,
        "other values",
    ),
    "unknown column": ("username,course,score,taken_at,grade\n", 1, "unknown column grade"),
}


def _refused(world: World, *args: str) -> str:
    world.sandbox.reset_log()
    result = world.cli("scores", "import", *args)
    assert result.exit_code == 2, result.output
    assert world.sandbox.log == [], "nothing may be sent"
    return result.output


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rows_exit_2_with_file_and_line_and_no_request(world: World, case: str) -> None:
    text, line, message = BAD[case]
    (world.root / "r.csv").write_text(text, encoding="utf-8")
    output = _refused(world, "r.csv")
    assert f"r.csv:{line}: " in output and message in output


@pytest.fixture(autouse=True)
def _scored(world: World) -> None:
    scored(world.root)  # the exams have a pass mark


def test_not_utf8_and_oversized_files_are_refused(world: World) -> None:
    (world.root / "latin.csv").write_bytes(
        (HEAD + f"alice,{C},80,100,2026-12-02,Andr\xe9\n").encode("latin-1")
    )
    assert "latin.csv:2: not UTF-8" in _refused(world, "latin.csv")
    (world.root / "big.csv").write_bytes(HEAD.encode() + b"x" * MAX_BYTES)
    assert "big.csv:1: over" in _refused(world, "big.csv")


def test_google_forms_needs_its_course_and_its_score_format(world: World) -> None:
    text = '"Timestamp","Email Address","Score"\n"2026/12/02 10:15:32","a@example.com","8 of 10"\n'
    (world.root / "quiz.csv").write_text(text)
    assert "needs --course" in _refused(world, "quiz.csv", "--format", "google-forms")
    output = _refused(world, "quiz.csv", "--format", "google-forms", "--course", C)
    assert "quiz.csv:2: Score must read like '8 / 10'" in output
    assert "quiz.csv:2: no learner with email" in output


def test_a_learner_in_a_cohort_but_not_enrolled_is_reported_not_fatal(world: World) -> None:
    _enrolled(world)
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(cohort.read_text() + "  - dana\n")
    (world.root / "r.csv").write_text(
        HEAD + f"dana,{C},80,100,2026-12-02,\nalice,{C},90,100,2026-12-02,\n"
    )
    result = world.cli("scores", "import", "r.csv")
    assert result.exit_code == 0, result.output
    assert "@dana is not enrolled in 'co-selling-with-partners' yet" in result.output
    assert "@alice: issue #" in result.output and "exam attempt 1: 90 %" in result.output


def test_signed_payloads_only_with_the_right_signature(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enrolled(world)
    data = (HEAD + f"alice,{C},90,100,2026-12-02,t-1\n").encode()
    (world.root / "payload.csv").write_bytes(data)
    secret = "s3cret-for-tests"
    monkeypatch.setenv("ACCRED_SCORES_SECRET", secret)
    wrong = hmac.new(b"other", data, hashlib.sha256).hexdigest()
    for signature in ("", f"sha256={wrong}", wrong):
        output = _refused(world, "payload.csv", "--signature", signature)
        assert secret not in output
    right = hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
    result = world.cli("scores", "import", "payload.csv", "--signature", f"sha256={right}")
    assert result.exit_code == 0 and secret not in result.output, result.output
    monkeypatch.delenv("ACCRED_SCORES_SECRET")
    assert "ACCRED_SCORES_SECRET" in _refused(
        world, "payload.csv", "--signature", f"sha256={right}"
    )


def test_validate_checks_the_scores_folder_too(world: World) -> None:
    (world.root / "scores").mkdir()
    (world.root / "scores" / "r.csv").write_text(HEAD + f"alice,{C},101,100,2026-12-02,\n")
    result = world.cli("validate")
    assert (
        result.exit_code == 2
        and "scores/r.csv:2: score 101 is above its maximum 100" in result.output
    )
