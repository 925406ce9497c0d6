"""Load and validate the program repository: accred.yml, curriculum/, cohorts/.

Every command calls `load_workspace` first; any problem in any file stops the command with
exit 2 before a single request is sent (SPEC §6). All problems are collected, not just the first.
This module finds and reads the files; what each holds is checked and built by `settings.py`
(accred.yml), `curriculum.py` and `cohorts.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

from accred_ops.core.model import Workspace
from accred_ops.errors import InputError, Problem
from accred_ops.files import toolusers
from accred_ops.files.cohorts import load_cohorts
from accred_ops.files.curriculum import load_programs
from accred_ops.files.settings import CONFIG_SCHEMA, config_from
from accred_ops.files.yamlfile import YamlDoc, load_yaml


def find_config(explicit: str | None) -> Path:
    """`--config PATH`, else `ACCRED_CONFIG`, else `./accred.yml` (SPEC §2)."""
    chosen = explicit or os.environ.get("ACCRED_CONFIG") or "accred.yml"
    return Path(chosen)


def load_workspace(config_path: Path) -> Workspace:
    """Read and validate every local file; raise InputError listing all problems."""
    problems: list[Problem] = []
    root = config_path.parent
    if not config_path.exists():
        raise InputError(
            f"no {config_path.name} in {root.resolve()}: this is not a program folder. Run "
            "`accred-ops init` to make one here, or name one with --config PATH (or ACCRED_CONFIG)"
        )
    config_doc, found = load_yaml(config_path, _display(config_path))
    problems += found
    if config_doc is None:
        raise InputError(problems)
    problems += CONFIG_SCHEMA.check(config_doc, config_doc.data, ())
    if problems:
        raise InputError(problems)
    config = config_from(config_doc.data)

    warnings: list[str] = []
    before = len(problems)
    docs = _load_folder(root / config.curriculum_dir, "curriculum", config_doc, problems)
    # a curriculum file that does not even parse names no program: blaming every cohort for
    # naming an unknown one would bury the real problem
    unreadable = len(problems) > before
    found_programs, broken = load_programs(docs, config, problems, warnings)
    programs = {k: v[0] for k, v in found_programs.items()}

    docs = _load_folder(root / config.cohorts_dir, "cohorts", config_doc, problems)
    cohorts = load_cohorts(docs, programs, broken, unreadable, problems)
    problems += toolusers.check(config_doc, config, cohorts.values())
    if problems:
        raise InputError(problems)
    return Workspace(config, programs, cohorts, tuple(warnings))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _load_folder(
    folder: Path, key: str, config_doc: YamlDoc, problems: list[Problem]
) -> list[YamlDoc]:
    if not folder.is_dir():
        problems.append(config_doc.problem((key,), f"folder '{_display(folder)}' does not exist"))
        return []
    docs = []
    for path in sorted(folder.glob("*.y*ml")):
        doc, found = load_yaml(path, _display(path))
        problems += found
        if doc is not None:
            docs.append(doc)
    return docs
