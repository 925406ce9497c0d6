"""`gitlab.previous_tool_users`: the earlier tool users whose objects still count as the tool's.

A name on that list makes its objects the tool's own under every identity rule, so it must
never be a person the program judges or who judges: a cohort learner or a listed assessor is
refused here, before anything is sent. That each name is a GitLab bot user that still exists is
checked against GitLab before any run trusts it (sync/handover.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from accred_ops.core.model import Cohort, Config
from accred_ops.errors import Problem
from accred_ops.files.yamlfile import YamlDoc

KEY = ("gitlab", "previous_tool_users")


def check(doc: YamlDoc, config: Config, cohorts: Iterable[Cohort]) -> list[Problem]:
    """A learner's or an assessor's name on the list, placed at its line."""
    learners = {lr.username.lower() for c in cohorts for lr in c.learners}
    assessors = {u.lower() for u in config.assessors.usernames}
    problems = []
    for index, name in enumerate(config.gitlab.previous_tool_users):
        role = (
            "a cohort learner"
            if name.lower() in learners
            else "an assessor"
            if name.lower() in assessors
            else None
        )
        if role:
            problems.append(
                doc.problem(
                    (*KEY, index),
                    f"'{name}' is {role}: a previous tool user's objects count as the tool's "
                    "own (records, awards), so only the tool's earlier bot users belong here",
                )
            )
    return problems
