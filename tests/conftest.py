"""Shared fixtures: a copy of the shipped program repository in a temporary folder."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The day every test lives on: the eve of the fixtures' cohorts (they start 2026-12-01, so the
# first course is due 15 days later). No test reads the real date where a date gives it meaning:
# CI runs the date-sensitive tests again under a shifted system clock to prove it.
TODAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The sandbox's clock starts at TODAY (and runs on from it); the CLI's clock, which decides
    reminders and report dates, is TODAY unless a test moves it with ACCRED_NOW."""
    monkeypatch.setenv("ACCRED_SANDBOX_START", TODAY.isoformat())
    monkeypatch.setenv("ACCRED_NOW", TODAY.isoformat())
    return TODAY


def copy_program(target: Path) -> Path:
    """The repository's accred.yml, curriculum, cohorts and templates (as real files) in `target`."""
    shutil.copy(ROOT / "accred.yml", target / "accred.yml")
    for folder in ("curriculum", "cohorts", "templates"):
        shutil.copytree(ROOT / folder, target / folder)
    practical_after_exam(target, False)
    return target / "accred.yml"


def practical_after_exam(target: Path, on: bool) -> None:
    """The shipped curriculum opens each practical after its exam; the tests' program does
    only where a test turns it on (most judge the practical and the exam in either order)."""
    curriculum = target / "curriculum" / "strategic-account-leaders.yml"
    before, after = "practical: {after_exam: true}\n", "practical: true\n"
    text = curriculum.read_text()
    curriculum.write_text(text.replace(after, before) if on else text.replace(before, after))


@pytest.fixture
def program_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable program repository, and the working directory set to it."""
    copy_program(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path
