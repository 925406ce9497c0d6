"""`validity:` and `renewal:` in a curriculum file, read into the core's model."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from accred_ops.cli import main
from accred_ops.core.validity import Period, Renewal, Validity
from accred_ops.files.load import load_workspace

CURRICULUM = "curriculum/strategic-account-leaders.yml"


def _with(program_dir: Path, top: str, course_extra: str = "") -> Path:
    """The shipped program with `top` after its title and `course_extra` in its first course."""
    path = program_dir / CURRICULUM
    text = path.read_text()
    text = text.replace(
        "title: Strategic Account Leader Field Accreditation\n",
        "title: Strategic Account Leader Field Accreditation\n" + top,
    )
    text = text.replace(
        '        badge: {name: "SAL: Co-Selling with Partners"}\n',
        '        badge: {name: "SAL: Co-Selling with Partners"}\n' + course_extra,
        1,
    )
    path.write_text(text)
    return program_dir / "accred.yml"


def test_a_program_without_validity_never_expires(program_dir: Path) -> None:
    ws = load_workspace(program_dir / "accred.yml")
    assert all(c.validity is None and c.renewal is None for c in ws.programs["sal"].courses())


def test_the_program_validity_applies_to_every_course(program_dir: Path) -> None:
    config = _with(program_dir, "validity:\n  valid_for: 6 months\n  grace: 14 days\n")
    courses = load_workspace(config).programs["sal"].courses()
    assert {c.validity for c in courses} == {
        Validity(Period(6, "month"), grace=Period(14, "day"), renew_before=Period(30, "day"))
    }
    first = courses[0]
    # by default a renewal asks the course's objectives and its exam again, not the practical
    assert first.renewal == Renewal(first.objectives, exam=True, practical=False)


def test_a_course_overrides_the_mode_and_keeps_the_rest(program_dir: Path) -> None:
    config = _with(
        program_dir,
        "validity:\n  valid_for: 1 year\n  renew_before: 6 weeks\n",
        "        renewal:\n          objectives: [What changed this half]\n"
        "          practical: true\n",
    )
    text = (
        (program_dir / CURRICULUM)
        .read_text()
        .replace(
            'badge: {name: "SAL: Account Planning"}',
            "badge: {validity: {renew_on: ['07-15', '01-15'], grace: 14 days}}",
        )
    )
    (program_dir / CURRICULUM).write_text(text)
    courses = {c.id: c for c in load_workspace(config).programs["sal"].courses()}
    assert courses["account-planning"].validity == Validity(
        None, ((1, 15), (7, 15)), Period(14, "day"), Period(6, "week")
    )
    assert courses["co-selling-with-partners"].renewal == Renewal(
        ("What changed this half",), exam=True, practical=True
    )


def test_a_course_may_opt_out(program_dir: Path) -> None:
    text = (
        (program_dir / CURRICULUM)
        .read_text()
        .replace('badge: {name: "SAL: Account Planning"}', "badge: {validity: false}")
    )
    (program_dir / CURRICULUM).write_text(text)
    config = _with(program_dir, "validity: {valid_for: 6 months}\n")
    courses = {c.id: c for c in load_workspace(config).programs["sal"].courses()}
    assert courses["account-planning"].validity is None
    assert courses["co-selling-with-partners"].validity is not None


def test_validate_accepts_windows(program_dir: Path) -> None:
    _with(program_dir, "validity:\n  renew_on: ['01-15', '07-15']\n  grace: 14 days\n")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
