"""Meta-tests that keep the structure honest: documented commands, labelled stages, pure core."""

from __future__ import annotations

import ast
from pathlib import Path

from click.testing import CliRunner

from accred_ops.cli import main
from accred_ops.core.model import Labels
from accred_ops.core.progress import STAGE_TABLE, Stage
from accred_ops.core.setup import LABEL_STYLE

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_command_is_documented_and_has_help() -> None:
    for name, command in main.commands.items():
        assert f"`{name}" in README, f"README does not document `{name}`"
        assert command.help, name
        assert CliRunner().invoke(main, [name, "--help"]).exit_code == 0


def test_every_stage_has_a_label_with_a_style() -> None:
    for stage in Stage:
        field = STAGE_TABLE[stage][0]
        assert hasattr(Labels(), field) and field in LABEL_STYLE


def test_the_core_does_no_io() -> None:
    banned = {
        "gitlab",
        "requests",
        "jinja2",
        "yaml",
        "click",
        "os",
        "pathlib",
        "socket",
        "subprocess",
    }
    for path in (ROOT / "accred_ops" / "core").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & banned, f"{path.name} imports {names}"


def test_only_the_adapter_imports_python_gitlab() -> None:
    for path in (ROOT / "accred_ops").rglob("*.py"):
        if "sandbox" in path.parts or path.name == "adapter.py":
            continue
        tree = ast.parse(path.read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m == "gitlab" or m.startswith("gitlab.") for m in imported), path.name


def test_version() -> None:
    assert CliRunner().invoke(main, ["--version"]).output.startswith("accred-ops, version ")
