"""scripts/screenshot_report.py: its sample covers every stage; no Chromium is a clear error."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from accred_ops.core.report import STAGES
from accred_ops.reports.common import stage_totals

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshot_report.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshot_report", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sample_shows_every_stage_a_queue_and_stalled_learners() -> None:
    report = load().sample_report()
    assert all(stage_totals(report)[stage] for stage in STAGES)
    assert report.assessor_queue and report.stalled and len(report.cohorts) == 3
    assert any(row.accredited for row in report.learners)


def test_without_chromium_it_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    script = load()
    monkeypatch.setattr(script.shutil, "which", lambda name: None)
    assert script.main(["--out", str(tmp_path)]) == 2
    assert "Chromium is not installed" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
