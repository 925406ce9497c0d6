"""`validate` in the words of someone editing the files: quotes, indentation slips, YAML syntax."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from accred_ops.cli import main

PROGRAM = Path("curriculum/strategic-account-leaders.yml")


def _validate() -> str:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2, result.output
    return result.output


def test_quoted_dates_and_numbers_are_explained(program_dir: Path) -> None:
    cohort = Path("cohorts/example.yml")
    text = cohort.read_text().replace("start: 2026-12-01", 'start: "2026-12-01"')
    cohort.write_text(text.replace("weeks_per_course: 2", 'weeks_per_course: "2"'))
    output = _validate()
    assert (
        "cohorts/example.yml:5: 'start' must be a date like 2026-12-01, got the text "
        "'2026-12-01': remove the quotes around it" in output
    )
    assert (
        "cohorts/example.yml:6: 'weeks_per_course' must be a whole number from 1 to 52, got the "
        "text '2': remove the quotes around it" in output
    )


def test_an_indentation_slip_that_merges_objectives_is_reported_at_its_line(
    program_dir: Path,
) -> None:
    text = PROGRAM.read_text()
    slipped = "          - Key elements of both the Channel and Alliances programs\n"
    assert slipped in text
    PROGRAM.write_text(text.replace(slipped, "  " + slipped, 1))
    output = _validate()
    first = (
        text.splitlines().index("          - The different types of partners GitLab works with") + 1
    )
    assert (
        f"curriculum/strategic-account-leaders.yml:{first}: this objective runs on to line "
        f"{first + 1}" in output
    )
    assert (
        "one item: 'The different types of partners GitLab works with - Key elements of both the "
        "Channel and Alliances programs'" in output
    )
    assert "start each line with '- ' in the same column as the first" in output


def test_a_yaml_syntax_error_is_said_in_words_with_its_line(program_dir: Path) -> None:
    cohort = Path("cohorts/example.yml")
    cohort.write_text(
        "id: example\nprogram: sal\n  path: territory-and-pipeline\nlearners: [alice]\n"
    )
    output = _validate()
    assert "cohorts/example.yml:3: YAML syntax: a ': ' where YAML does not expect one" in output
    cohort.write_text("id: example\nlearners:\n  - alice\n - bob\n")
    output = _validate()
    assert "cohorts/example.yml:4: YAML syntax: this line is indented differently from the " in (
        output
    )
    assert "expected <block end>" in output  # the parser's own words come last, for experts


def test_a_broken_curriculum_is_reported_not_the_cohorts_that_name_it(program_dir: Path) -> None:
    PROGRAM.write_text(PROGRAM.read_text().replace("title: Strategic", "title: [Strategic", 1))
    output = _validate()
    assert output.startswith("curriculum/strategic-account-leaders.yml:")
    assert "no program 'sal'" not in output
