"""`validate` on rubrics: every part checked, each problem at its file:line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from accred_ops.cli import main
from accred_ops.files.load import load_workspace

RUBRIC = """rubrics:
  sales-call:
    criteria:
      - {id: discovery, title: Discovery questions}
      - {id: value, title: Value articulation}
    scale: {min: 1, max: 5, labels: {1: Basic, 3: Proficient, 5: Advanced}}
    pass: {each_at_least: 3, average_at_least: 3.5}
    assessors: 2
    max_spread: 2
    exclude_manager: true
"""


def _curriculum(program_dir: Path) -> Path:
    (found,) = (program_dir / "curriculum").glob("*.yml")
    return found


def _write(program_dir: Path, rubric: str = RUBRIC, practical: str = "rubric: sales-call") -> None:
    path = _curriculum(program_dir)
    body = path.read_text().replace("learning_paths:\n", rubric + "learning_paths:\n", 1)
    body = body.replace("        practical: true\n", f"        practical: {{{practical}}}\n", 1)
    path.write_text(body)
    config = program_dir / "accred.yml"
    config.write_text(
        config.read_text().replace(
            "  usernames: [sam]\n", "  usernames: [sam]\n  moderators: [erin]\n"
        )
    )


def _line(program_dir: Path, text: str) -> int:
    lines = _curriculum(program_dir).read_text().splitlines()
    return [i for i, line in enumerate(lines, 1) if text in line][-1]  # the last: a duplicate


def _validate() -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate"])
    return result.exit_code, result.output


def test_a_named_rubric_and_an_inline_one_load(program_dir: Path) -> None:
    _write(program_dir)
    code, output = _validate()
    assert code == 0, output
    ws = load_workspace(program_dir / "accred.yml")
    course = ws.programs["sal"].courses()[0]
    assert course.rubric is not None and course.rubric.ids == ("discovery", "value")
    assert course.rubric.assessors == 2 and course.rubric.exclude_manager
    assert dict(course.rubric.levels)[3] == "Proficient"
    assert ws.config.assessors.moderators == ("erin",)
    assert ws.programs["sal"].courses()[1].rubric is None  # the others keep label verdicts


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("average_at_least: 3.5", "average_at_least: 5.5", "5.5 is off the scale (1 to 5)"),
        ("min: 1, max: 5", "min: 5, max: 5", "'min' must be below 'max'"),
        ("5: Advanced", "9: Advanced", "level 9 is off the scale"),
        ("{id: value,", "{id: discovery,", "duplicate criterion id 'discovery'"),
        ("assessors: 2", "assessors: 0", "'assessors' must be a whole number from 1 to 10"),
        ("exclude_manager: true", "exclude_manager: maybe", "must be true or false"),
        ("max_spread: 2", "max_spread: wide", "'max_spread' must be a whole number"),
        ("{id: value, title: Value articulation}", "{id: Value, title: V}", "lowercase slug"),
        ("    assessors: 2\n", "    assessors: 2\n    graders: 3\n", "unknown key 'graders'"),
    ],
)
def test_each_broken_part_is_named_at_its_line(
    program_dir: Path, old: str, new: str, message: str
) -> None:
    assert old in RUBRIC
    _write(program_dir, RUBRIC.replace(old, new))
    code, output = _validate()
    assert code == 2, output
    line = _line(program_dir, new.strip().splitlines()[-1])
    assert f"{_curriculum(program_dir).name}:{line}: " in output, output
    assert message in output, output


def test_a_pass_rule_no_score_can_meet_is_refused(program_dir: Path) -> None:
    _write(
        program_dir,
        RUBRIC.replace(
            "each_at_least: 3, average_at_least: 3.5", "each_at_least: 5, average_at_least: 4"
        ),
    )
    _write_ok = _validate()
    assert _write_ok[0] == 0  # all fives pass: 5 and 4 are reachable
    path = _curriculum(program_dir)
    path.write_text(path.read_text().replace("max: 5, labels", "max: 4, labels"))
    code, output = _validate()
    assert code == 2
    line = _line(program_dir, "pass: {each_at_least: 5")
    assert f"{path.name}:{line}: " in output
    assert "5 is off the scale" in output or "no score can pass" in output


def test_an_average_above_every_reachable_one_is_refused(program_dir: Path) -> None:
    _write(
        program_dir,
        RUBRIC.replace("max: 5", "max: 3")
        .replace("{1: Basic, 3: Proficient, 5: Advanced}", "{1: Basic}")
        .replace("each_at_least: 3, average_at_least: 3.5", "average_at_least: 3.5"),
    )
    code, output = _validate()
    assert code == 2
    assert "3.5 is off the scale (1 to 3)" in output


def test_an_unknown_rubric_id_and_a_missing_moderator(program_dir: Path) -> None:
    _write(program_dir, practical="rubric: sales-demo")
    config = program_dir / "accred.yml"
    config.write_text(config.read_text().replace("  moderators: [erin]\n", ""))
    code, output = _validate()
    assert code == 2
    path = _curriculum(program_dir)
    assert (
        f"{path.name}:{_line(program_dir, 'rubric: sales-demo')}: no rubric 'sales-demo'" in output
    )
    assert "known: sales-call" in output
    assert f"{path.name}:{_line(program_dir, 'assessors: 2')}: 2 assessors may disagree" in output


def test_an_inline_rubric_is_checked_where_it_is_written(program_dir: Path) -> None:
    inline = (
        "rubric: {criteria: [{id: plan, title: Plan}], scale: {min: 1, max: 3}, "
        "pass: {each_at_least: 4}}"
    )
    _write(program_dir, rubric="", practical=inline)
    code, output = _validate()
    assert code == 2
    line = _line(program_dir, "rubric: {criteria")
    assert f"{_curriculum(program_dir).name}:{line}: " in output and "4 is off the scale" in output
