"""A run's plan as Markdown: the `--plan FILE` artifact of a merge request's dry run, which
`mr-note` posts on the merge request (so reviewers see what merging will do to GitLab)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from accred_ops.core import marker
from accred_ops.sync.results import RunResult
from accred_ops.sync.session import Session

MR_NOTE_MARKER = marker.make("mr-plan")
MAX_LINES = 300  # a plan longer than this is cut in the note; the artifact has it all


def plan_lines(result: RunResult) -> list[str]:
    """Every change, one line each (a title's line breaks become spaces), as the CLI prints."""
    lines = [f"group: {line}" for line in result.group_lines]
    for learner in result.learners:
        lines += [f"@{learner.username}: {line}" for line in learner.lines]
        if learner.error:
            lines.append(f"@{learner.username}: FAILED: {learner.error}")
    return [" ".join(line.split()) for line in lines]


def plan_markdown(
    result: RunResult, verb: str, env: Mapping[str, str], max_lines: int = MAX_LINES
) -> str:
    """The plan for humans: a summary sentence, then every change in a collapsed code block
    (where nothing, not even a `/quick action` in a title, is interpreted)."""
    lines = plan_lines(result)
    changed = [lr for lr in result.learners if lr.lines]
    would = "would make" if result.dry_run else "made"
    if result.change_count:
        summary = (
            f"`accred-ops {verb}` {would} **{_n(result.change_count, 'change')}** "
            f"({len(result.group_lines)} in the group, the rest for {_n(len(changed), 'learner')})."
        )
    else:
        summary = f"`accred-ops {verb}` {would} **no change** in GitLab."
    if result.failures:
        # Their names come from GitLab (a forged learner issue can hold `@all` or HTML), so they
        # are listed only inside the code block below, where nothing is interpreted.
        summary += f" **{_n(len(result.failures), 'learner')} failed** (the `FAILED` lines below)."
    shown = lines[:max_lines]
    if len(lines) > max_lines:
        shown.append(f"... and {len(lines) - max_lines} more lines: see the job's plan artifact")
    fence = "`" * max(
        3, 1 + max((len(run) for run in re.findall(r"`+", "\n".join(shown))), default=0)
    )
    parts = ["#### accred-ops plan", "", summary]
    if shown:
        parts += [
            "",
            f"<details><summary>The changes ({len(lines)} line{'' if len(lines) == 1 else 's'})"
            "</summary>",
            "",
            f"{fence}text",
            *shown,
            fence,
            "",
            "</details>",
        ]
    pipeline = env.get("CI_PIPELINE_URL")
    if pipeline:
        commit = env.get("CI_COMMIT_SHORT_SHA", "")
        parts += [
            "",
            f"From [this pipeline]({pipeline}){f' for {commit}' if commit else ''}; "
            "updated in place on every pipeline of this merge request.",
        ]
    return "\n".join(parts) + "\n"


def note_body(plan: str) -> str:
    """What `mr-note` posts: the plan file, with the marker that finds the note again."""
    return plan.rstrip("\n") + "\n\n" + MR_NOTE_MARKER + "\n"


def post_note(session: Session, project: str, mr_iid: int, plan: str) -> tuple[str, str]:
    """The plan as the tool's one note on the merge request: (created|updated|unchanged, URL)."""
    return session.gitlab.upsert_merge_request_note(project, mr_iid, note_body(plan))


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
