"""Learner issues (GitLab Free, no epics): one issue per learner in the project, labelled with
the learner label, its course issues linked to it; the learner record is the tool's comment on
it, since a learner may edit an issue they are assigned to or wrote.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import gitlab

from accred_ops.core import marker
from accred_ops.core.state import Epic, Note
from accred_ops.gitlab.errors import gitlab_errors
from accred_ops.gitlab.records import to_epic

if TYPE_CHECKING:
    from accred_ops.gitlab.host import Host


class LearnerIssues:
    """A learner's path as an issue of the project, assigned to nobody."""

    noun = "learner issue"
    is_issue = True
    record_in_note = True
    several_assignees = False  # GitLab Free: one assignee, so assessors are mentioned
    learners_may_edit = True
    issues_name_parent = False  # an issue's REST record does not name the issues linked to it

    def __init__(self, client: Host) -> None:
        self.client = client

    def list(
        self, labels: list[str], search: str | None = None, updated_after: str | None = None
    ) -> list[Epic]:
        learner_labels = [*labels, self.client.learner_label]
        found = self.client.list_issues(learner_labels, search, "all", updated_after)
        return [to_epic(dataclasses.asdict(i)) for i in found]

    def get(self, iid: int) -> Epic | None:
        issue = self.client.get_issue(iid)
        return to_epic(dataclasses.asdict(issue)) if issue else None

    def create(self, title: str, description: str, labels: list[str]) -> Epic:
        key = marker.epic_key(description)
        issues = self.client.project.issues

        def create() -> Epic:
            data = {
                "title": title,
                "description": description,
                "labels": [*labels, self.client.learner_label],
            }
            return to_epic(issues.create(data, retry_transient_errors=False).asdict())

        def find() -> Epic | None:
            found = self.client.list_epics(labels[:1], search=title)
            return next((e for e in found if e.key == key), None)

        return self.client.create_once(f"creating learner issue {title!r}", create, find)

    def course_issue_fields(self, epic_id: int) -> dict[str, Any]:
        return {}

    def link(self, epic_iid: int, issue_id: int, issue_iid: int) -> None:
        learner_issue = self.client.project.issues.get(epic_iid, lazy=True)
        link = {"target_project_id": self.client.project_path, "target_issue_iid": issue_iid}
        with gitlab_errors(f"linking issue #{issue_iid} to learner issue #{epic_iid}"):
            try:
                learner_issue.links.create(link)
            except gitlab.GitlabCreateError as err:
                if err.response_code != 409:  # 409: linked already (a retry had landed)
                    raise

    def update(self, iid: int, changes: dict[str, Any]) -> Epic:
        return to_epic(dataclasses.asdict(self.client.update_issue(iid, changes)))

    def comment(self, epic_id: int, iid: int, body: str) -> Note:
        return self.client.comment_on_issue(iid, body)

    def comments(self, epic_id: int, iid: int) -> list[Note]:
        return self.client.issue_notes(iid)
