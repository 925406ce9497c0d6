"""What a rubric's practical costs a sync (core/judging.py), next to the same steps with label
verdicts: k learners waiting for assessment, then a comment on each, then the verdict.

    python -m benchmarks.rubric --learners 20 --waiting 8

Scoring comments are read from the issue comments a sync already reads for an issue in
assessment (its label events and comments, for the verdicts): a sync in which nothing was
scored costs what it costs without a rubric.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.people import Person
from benchmarks.run import FEW, PROJECT, Bench, Row, _world, table

COURSE = "Co-Selling with Partners"
RUBRIC = """rubrics:
  sales-call:
    criteria:
      - {id: discovery, title: Discovery questions}
      - {id: value, title: Value articulation}
      - {id: next-steps, title: Next steps}
    scale: {min: 1, max: 5}
    pass: {each_at_least: 3, average_at_least: 3.5}
    assessors: 2
    max_spread: 2
"""
FORM = "discovery: 4\nvalue: 4\nnext-steps: 4\nA good call."


def _people(n: int) -> dict:
    world = _world(n)
    world["users"] += [{"username": u, "token": u} for u in ("dana", "erin")]
    world["projects"][0]["members"] += [
        {"username": u, "access_level": 20} for u in ("dana", "erin")
    ]
    return world


def _configure(b: Bench, rubric: bool) -> None:
    config = b.folder / "accred.yml"
    text = re.sub(r"  (routing|usernames|moderators): .*\n", "", config.read_text())
    config.write_text(
        text.replace("assessors:\n", "assessors:\n  usernames: [sam, dana]\n  moderators: [erin]\n")
    )
    if rubric:
        (curriculum,) = (b.folder / "curriculum").glob("*.yml")
        body = curriculum.read_text().replace("learning_paths:\n", RUBRIC + "learning_paths:\n", 1)
        body = body.replace(
            "        practical: true\n", "        practical: {rubric: sales-call}\n", 1
        )
        curriculum.write_text(body)


def _each(sandbox: Sandbox, k: int, who: str, act: str) -> None:
    for i in range(k):
        learner = f"learner{i:05d}"
        iid = Person(sandbox.url, learner, PROJECT).find_issue(COURSE, learner)
        person = Person(sandbox.url, who if who != "learner" else learner, PROJECT)
        if act == "tick":
            person.tick(iid)
        elif act.startswith("label:"):
            person.add_label(iid, act.removeprefix("label:"))
        else:
            person.comment(iid, act)


def steps(n: int, latency: float, k: int, rubric: bool) -> list[Row]:
    kind = "rubric" if rubric else "labels"
    rows = []
    with Sandbox(_people(n)) as sandbox, tempfile.TemporaryDirectory() as tmp:
        b = Bench(sandbox, Path(tmp), n, latency)
        b.configure(4, {"api": 0, "issues": 0, "notes": 0})
        _configure(b, rubric)
        for command in ("setup", "enroll", "sync"):
            b.run(command, 4, (0, 0), command)
            sandbox.advance(minutes=5)
        _each(sandbox, k, "learner", "tick")
        _each(sandbox, k, "sam", "label:exam::passed")
        sandbox.advance(hours=1)
        b.run("routing", 4, (0, 0), "sync")  # the k issues enter assessment (unmeasured)
        sandbox.advance(hours=1)
        b.run("settle", 4, (0, 0), "sync")  # reads back what the routing sync changed
        sandbox.advance(hours=1)
        rows.append(b.run(f"sync, nothing changed, {k} waiting ({kind})", 4, (FEW, 0), "sync"))
        rows.append(b.run(f"sync --full, {k} waiting ({kind})", 4, (0, 0), "sync", "--full"))
        _each(sandbox, k, "sam", FORM if rubric else "Looks good so far.")
        sandbox.advance(hours=1)
        rows.append(b.run(f"sync, {k} commented, no verdict ({kind})", 4, (FEW, 0), "sync"))
        if rubric:
            _each(sandbox, k, "dana", FORM)
        else:
            _each(sandbox, k, "sam", "label:practical::approved")
        sandbox.advance(hours=1)
        rows.append(b.run(f"sync, {k} verdicts, awarded ({kind})", 4, (FEW, 0), "sync"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--waiting", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    rows = [
        row
        for rubric in (False, True)
        for row in steps(args.learners, args.latency, args.waiting, rubric)
    ]
    print(table(rows))


if __name__ == "__main__":
    main()
