"""Render a sample HTML report and screenshot it with headless Chromium.

    .venv/bin/python scripts/screenshot_report.py [--out DIR]

Builds a fixture program in Python (two programs, three cohorts, learners at every stage; no
GitLab needed), writes report.html (and report.md, the dashboard, CSV and JSON) to DIR (a new
temporary folder by default), screenshots the HTML to report.png and prints the PNG's path.
Exits 2 with a message when Chromium is not installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from accred_ops.core.marker import EpicKey
from accred_ops.core.model import (
    Cohort,
    Config,
    Course,
    GitLabSettings,
    Labels,
    Learner,
    LearningPath,
    Program,
    Workspace,
)
from accred_ops.core.report import Report, build_report
from accred_ops.core.state import Epic, Issue, LearnerState
from accred_ops.reports import RENDERERS, dashboard_markdown

NOW = dt.datetime(2026, 12, 18, 9, 0, tzinfo=dt.UTC)
BASE = "https://gitlab.example.com/field-enablement/accreditation"
L = Labels()
STAGE_OF = {"E": L.enrolled, "P": L.in_progress, "Q": L.assessment, "A": L.badge_awarded}
STAGE_OF["R"] = L.revoked


def course(cid: str, title: str, practical: bool = True) -> Course:
    return Course(cid, title, ("Objective one", "Objective two"), practical=practical)


SAL = Program(
    "sal",
    "Strategic Account Leaders",
    (
        LearningPath(
            "territory",
            "Territory and pipeline",
            (
                course("territory-planning", "Territory planning"),
                course("account-mapping", "Account mapping & stakeholders"),
                course("pipeline-hygiene", "Pipeline hygiene", practical=False),
                course("forecasting", "Forecasting with confidence"),
            ),
        ),
    ),
)
SE = Program(
    "se",
    "Solutions Engineering",
    (
        LearningPath(
            "discovery",
            "Technical discovery",
            (
                course("discovery-calls", "Discovery calls"),
                course("demo-craft", "Demo craft"),
                course("poc-delivery", "Proof-of-concept delivery"),
            ),
        ),
    ),
)
# cohort id -> (program, path, start, learners with one letter per course: A awarded,
# Q assessment, P in progress, E enrolled, R revoked, . no issue yet)
PLANS = {
    "2026-q3-emea": (
        SAL,
        dt.date(2026, 9, 7),
        {
            "amelie.durand": "AAAA",
            "bjorn.lind": "AAAQ",
            "chiara.rossi": "AAPE",
            "dmitri.volkov": "AAQE",
            "elif.yilmaz": "APEE",
            "femi.adeyemi": "ARPE",
            "greta.berg": "AAAA",
            "hugo.martin": "PEEE",
        },
    ),
    "2026-q4-amer": (
        SAL,
        dt.date(2026, 10, 19),
        {
            "isabel.cruz": "AQEE",
            "jamal.reed": "APEE",
            "kate.oneill": "QEEE",
            "liam.chen": "PEEE",
            "maya.patel": "EEEE",
            "noah.silva": "....",
        },
    ),
    "se-pilot": (
        SE,
        dt.date(2026, 9, 21),
        {
            "olga.ivanova": "AAA",
            "pedro.alves": "AAQ",
            "quinn.baker": "APE",
            "rosa.mendez": "AQE",
            "sven.olsen": "PEE",
            "tara.singh": "AAP",
            "umar.farouk": "E..",
        },
    ),
}


def stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def sample() -> tuple[Workspace, dict[EpicKey, LearnerState], dict[int, str]]:
    """The fixture workspace, GitLab's states for it, and when each queued issue was submitted."""
    cohorts, states, since, iid = {}, {}, {}, 0
    for cohort_id, (program, start, learners) in PLANS.items():
        path = program.paths[0]
        cohort = Cohort(cohort_id, program.id, path.id, tuple(map(Learner, learners)), start, 4)
        cohorts[cohort_id] = cohort
        for n, (username, plan) in enumerate(learners.items()):
            state = LearnerState(epic=Epic(n, n, "", "", (), "opened", f"{BASE}/-/epics/{n}"))
            opened = dt.datetime.combine(start, dt.time(9), dt.UTC) + dt.timedelta(hours=n)
            for index, (letter, c) in enumerate(zip(plan, path.courses, strict=True)):
                if letter == ".":
                    continue
                iid += 1
                due = cohort.due_date(index)
                done = opened + dt.timedelta(weeks=4 * index + 2, days=(n * 5) % 13)
                current = index == len(plan.rstrip(".E")) or letter in "PQ"
                touched = NOW - dt.timedelta(days=(n * 11) % 26, hours=n) if current else opened
                labels = [STAGE_OF[letter]]
                if letter in "AR":
                    labels += [L.exam_passed, L.practical_approved]
                elif letter == "Q" and n % 2:
                    labels.append(L.exam_passed)
                elif letter == "P" and n % 3 == 1:
                    labels.append(L.practical_changes_requested)
                if letter == "Q":
                    since[iid] = stamp(NOW - dt.timedelta(days=2 + (n * 5) % 12, hours=n))
                state.issues[c.id] = Issue(
                    id=1000 + iid,
                    iid=iid,
                    title=f"{c.title} — @{username}",
                    description="",
                    labels=tuple(labels),
                    state="closed" if letter == "A" else "opened",
                    web_url=f"{BASE}/-/issues/{iid}",
                    due_date=due.isoformat() if due else None,
                    created_at=stamp(opened),
                    updated_at=stamp(done if letter in "AR" else touched),
                    closed_at=stamp(done) if letter == "A" else None,
                )
            states[EpicKey(username, program.id, path.id)] = state
    config = Config(GitLabSettings("https://gitlab.example.com", "field-enablement", "acc"))
    return Workspace(config, {"sal": SAL, "se": SE}, cohorts), states, since


def sample_report(now: dt.datetime = NOW) -> Report:
    ws, states, since = sample()
    return build_report(ws, states, now, assessment_since=since)


def screenshot(html_file: Path, png: Path, chromium: str) -> None:
    with tempfile.TemporaryDirectory(prefix="accred-chromium-") as profile:
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--window-size=1280,1600",
            f"--screenshot={png}",
            html_file.resolve().as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the files (default: a new temp one)")
    args = parser.parse_args(argv)
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    if chromium is None:
        print(
            "screenshot_report: Chromium is not installed (try: apt-get install -y chromium)",
            file=sys.stderr,
        )
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="accred-report-"))
    out.mkdir(parents=True, exist_ok=True)
    report = sample_report()
    for fmt, render in RENDERERS.items():
        (out / f"report.{fmt}").write_text(render(report), encoding="utf-8")
    (out / "dashboard.md").write_text(dashboard_markdown(report), encoding="utf-8")
    png = out / "report.png"
    screenshot(out / "report.html", png, chromium)
    print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
