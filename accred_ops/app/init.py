"""`accred-ops init [DIR]`: a program repository that passes `validate` at once.

It writes the files a program repository needs — `accred.yml` with comments, the shipped
curriculum as an example, a cohort, `.gitlab-ci.yml` pinned to the accred-ops that runs `init`,
and the self-enrollment issue template — and never overwrites a file unless told to (`--force`):
a program repository is the team's work.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from accred_ops import __version__
from accred_ops.errors import InputError

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"

# target in the program repository -> file in the scaffold
FILES = {
    "accred.yml": "accred.yml",
    "curriculum/strategic-account-leaders.yml": "curriculum/strategic-account-leaders.yml",
    "cohorts/example.yml": "cohorts/example.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
    ".gitlab/issue_templates/Accreditation enrollment.md": (
        "gitlab/issue_templates/Accreditation enrollment.md"
    ),
    # every course issue and award comment links to it
    ".gitlab/issue_templates/Course feedback.md": "gitlab/issue_templates/Course feedback.md",
}
COHORT = "cohorts/example.yml"


@dataclass(frozen=True)
class Scaffolded:
    folder: Path
    written: list[str]
    package: str
    note: str  # what to check about the package line, or ""


def package_spec(copied: bool = True) -> tuple[str, str]:
    """What a program repository's pipeline should `pip install`: this very accred-ops.

    Installed from a Git URL, the pin is that commit; otherwise `accred-ops==<version>`, which
    needs the release on a package index the runners reach — said in the note when accred-ops
    was installed from a local folder (as `python3 dev.py` does), naming the knob of the
    pipeline `init` writes: the copied file's `ACCRED_OPS_PACKAGE`, the component's `package`.
    """
    pinned = f"accred-ops=={__version__}"
    try:
        direct = metadata.distribution("accred-ops").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if not direct:
        return pinned, ""
    info = json.loads(direct)
    vcs = info.get("vcs_info")
    if vcs and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"accred-ops @ git+{info['url']}@{vcs['commit_id']}", ""
    git = f"git+https://gitlab.example.com/tools/accred-ops.git@v{__version__}"
    knob = (
        f'set ACCRED_OPS_PACKAGE in .gitlab-ci.yml to your accred-ops repository, e.g. "{git}"'
        if copied
        else "give the component the input `package` in .gitlab-ci.yml, your accred-ops "
        f'repository, e.g. package: "accred-ops @ {git}"'
    )
    return pinned, (
        "this accred-ops was installed from a local folder, not a package index: the pipeline's "
        f'"pip install {pinned}" needs that release on an index your runners reach; otherwise '
        + knob
    )


def pipeline(package: str) -> str:
    """The shipped pipeline for a program repository: the package pinned, without the tool's
    own `test` and `release` jobs (a program repository has no tests of accred-ops to run, and
    publishes no component)."""
    text = (SCAFFOLD / "gitlab-ci.yml").read_text(encoding="utf-8")
    text = re.sub(
        r'^(  ACCRED_OPS_PACKAGE: )".*"$',
        lambda m: f"{m.group(1)}{json.dumps(package)}",
        text,
        count=1,
        flags=re.M,
    )
    for job in ("test", "release"):  # the tool's own: its tests, its releases to the catalog
        text = re.sub(rf"^{job}:\n(?:[ #].*\n)*\n?", "", text, count=1, flags=re.M)
    return text.rstrip("\n") + "\n"


COMPONENT_PROJECT = "tools/accred-ops"  # where an organisation keeps its copy of accred-ops
COMPONENT = "pipeline"  # templates/pipeline.yml in that project (docs/component.md)


def component_pipeline(package: str, project: str = COMPONENT_PROJECT) -> str:
    """The program repository's pipeline as the accred-ops CI/CD component, pinned: the
    component's release and the package installed are this accred-ops. The scaffold's header
    (the CI/CD variables to set) is kept."""
    scaffold = (SCAFFOLD / "gitlab-ci.yml").read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in scaffold.splitlines() if line.startswith("#"))
    header = header.split("\n\n")[0].replace(
        "# Pipeline for a program repository run by accred-ops",
        "# Pipeline for a program repository run by accred-ops, as its CI/CD component",
    )
    inputs = f'      version: "{__version__}"\n'
    if not package.startswith("accred-ops=="):
        inputs += f"      package: {json.dumps(package)}\n"
    return (
        header.rstrip("\n")
        + "\n# Without the CI/CD catalog: `accred-ops init --copied-pipeline` writes the jobs "
        "themselves.\n\ninclude:\n"
        f"  - component: $CI_SERVER_FQDN/{project}/{COMPONENT}@{__version__}\n"
        f"    inputs:\n{inputs}"
    )


def first_monday_after(today: dt.date) -> dt.date:
    """When the example cohort starts: the first Monday after the day `init` runs, so its due
    dates lie ahead, whatever the date."""
    return today + dt.timedelta(days=7 - today.weekday())


def init(
    folder: Path,
    force: bool = False,
    copied: bool = False,
    project: str = COMPONENT_PROJECT,
    today: dt.date | None = None,
) -> Scaffolded:
    """Write the program repository's files into `folder`; refuse (exit 2, nothing written)
    when any of them exists, unless `force`. The pipeline includes the CI/CD component, or with
    `copied` holds the jobs themselves (for an instance without the catalog). The example cohort
    starts the first Monday after `today` (the real date unless given)."""
    existing = [name for name in FILES if (folder / name).exists()]
    if existing and not force:
        raise InputError(
            f"init: {folder} already has {', '.join(existing)}; nothing was written "
            "(--force overwrites them)"
        )
    package, note = package_spec(copied)
    for target, source in FILES.items():
        path = folder / target
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (SCAFFOLD / source).read_text(encoding="utf-8")
        if target == ".gitlab-ci.yml":
            text = pipeline(package) if copied else component_pipeline(package, project)
        if target == COHORT:
            start = first_monday_after(today or dt.date.today())
            text = re.sub(r"^start: \S+", f"start: {start.isoformat()}", text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")
    return Scaffolded(folder, list(FILES), package, note)
