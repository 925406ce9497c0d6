"""`accred-ops validate`: the shipped program is valid; each broken file names its file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from accred_ops.cli import main

CORPUS = sorted((Path(__file__).parent.parent / "corpus").iterdir())


def _header(path: Path, key: str) -> str:
    for line in path.read_text().splitlines():
        if line.startswith(f"# {key}: "):
            return line.split(": ", 1)[1]
    raise AssertionError(f"{path.name} has no '# {key}:' line")


def test_shipped_program_is_valid(program_dir: Path) -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert (
        "1 program(s), 1 path(s), 5 course(s), 24 objectives, 2 cohort(s), 2 learner(s), "
        "1 cohort(s) open to self-enrollment" in result.output
    )


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 15


@pytest.mark.parametrize("case", CORPUS, ids=[p.stem for p in CORPUS])
def test_broken_file_is_reported_at_its_line(program_dir: Path, case: Path) -> None:
    (program_dir / _header(case, "replaces")).write_bytes(case.read_bytes())
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2, result.output
    assert _header(case, "expect") in result.output


def test_all_problems_are_reported_not_just_the_first(program_dir: Path) -> None:
    (program_dir / "cohorts" / "example.yml").write_text(
        "id: x\nprogram: sal\npath: nowhere\nlearners: [al, al]\n"
    )
    (program_dir / "cohorts" / "other.yml").write_text(
        "id: Bad Id\nprogram: sal\npath: p\nlearners: [al]\n"
    )
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert "cohorts/example.yml:3: program 'sal' has no path 'nowhere'" in result.output
    assert "cohorts/example.yml:4: learner 'al' is listed twice" in result.output
    assert "cohorts/other.yml:1: 'id' must be a lowercase slug" in result.output


def test_huge_file_is_refused_without_reading_it(program_dir: Path) -> None:
    with (program_dir / "cohorts" / "huge.yml").open("wb") as huge:
        huge.truncate(50 * 1024 * 1024)  # 50 MB (sparse: costs no disk)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert (
        "cohorts/huge.yml:1: file is too large (52,428,800 bytes; limit 1,000,000)" in result.output
    )


def test_non_utf8_file_names_its_line(program_dir: Path) -> None:
    (program_dir / "cohorts" / "latin1.yml").write_bytes(
        b"id: x\nprogram: sal\nlearners: [J\xf6rg]\n"
    )
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert "cohorts/latin1.yml:3: file is not valid UTF-8" in result.output


def test_missing_config_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["validate"], ["report"], ["sync", "--dry-run"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2
        assert (
            f"no accred.yml in {tmp_path.resolve()}: this is not a program folder" in result.output
        )
        assert "accred-ops init" in result.output and "--config" in result.output
