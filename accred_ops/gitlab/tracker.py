"""The object that tracks a learner's path, behind one protocol (gitlab/host.py), and the one
factory choosing it.

GitLab offers three ways (the backends in `tracking/`, reached only through this module):
group epics over REST, group epics created and parented through the Work Items GraphQL API,
and on GitLab Free a "learner issue" in the project. Callers never ask which one is in use:
they ask the facts they need (`record_in_note`, `several_assignees`, ...), so a fourth way is
one new module and one line here.
"""

from __future__ import annotations

from accred_ops.gitlab.host import Host, Tracker
from accred_ops.gitlab.tracking.auto import FirstListing
from accred_ops.gitlab.tracking.epics import RestEpics
from accred_ops.gitlab.tracking.learner_issues import LearnerIssues
from accred_ops.gitlab.tracking.work_items import WorkItemEpics

MODES = ("epic", "issue")  # what `gitlab.tracking` and `migrate --to` may name, besides auto


def make_tracker(client: Host, mode: str, api: str) -> Tracker:
    """The backend for `gitlab.tracking` (epic | issue | auto) and `gitlab.api` (rest |
    workitems); `auto` is decided by the first epic listing (`tracking/auto.py`)."""
    if mode == "issue":
        return LearnerIssues(client)
    if mode == "auto":  # wraps the very epics backend it may become (its caches with it)
        epics = client.tracker_for("epic")
        assert isinstance(epics, RestEpics)
        return FirstListing(client, epics)
    return WorkItemEpics(client) if api == "workitems" else RestEpics(client)


def other_mode(mode: str) -> str:
    """The mode `migrate` moves away from when it moves to `mode`."""
    return "issue" if mode == "epic" else "epic"
