"""`GitLabAdapter`: the whole GitLab client the rest of accred-ops sees.

The plain parts (people, labels and board, issues and comments) come from their modules; the
learner's tracking object goes to the backend `tracker.make_tracker` chose, so callers keep
calling `list_epics`, `create_epic`, ... whatever GitLab tracks a path with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accred_ops.core import marker
from accred_ops.core.state import Epic, Issue, Note
from accred_ops.gitlab.host import Host, Tracker
from accred_ops.gitlab.records import to_issue
from accred_ops.gitlab.tracker import make_tracker


class GitLabAdapter(Host):
    """python-gitlab behind plain methods, for one configured group and project."""

    def __init__(
        self,
        url: str,
        token: str,
        group: str,
        project: str,
        *,
        max_retries: int = 10,
        timeout: float = 30,
        rate_limits: Mapping[str, int] | None = None,
        concurrency: int = 1,
        tracking: str = "auto",
        learner_label: str = "Learning path",
        api: str = "rest",
    ) -> None:
        super().__init__(
            url,
            token,
            group,
            project,
            max_retries=max_retries,
            timeout=timeout,
            rate_limits=rate_limits,
            concurrency=concurrency,
        )
        # How a learner's path is tracked (`gitlab.tracking`: epic, issue or auto) and, for
        # epics, through which API (`gitlab.api`: rest or workitems): see gitlab/tracker.py.
        self.learner_label = learner_label
        self.record_key: bytes | None = None  # ACCRED_RECORD_KEY: seals learner records
        self.tracking_note = ""  # what `auto` found out, for the run's summary
        self._api = api
        self._trackers: dict[str, Tracker] = {}
        self.tracker = self.tracker_for(tracking)

    def tracker_for(self, mode: str) -> Tracker:
        """The backend for one mode, made once per run (it caches what it learns)."""
        if mode not in self._trackers:
            self._trackers[mode] = make_tracker(self, mode, self._api)
        return self._trackers[mode]

    # --- the learner's tracking object, whatever it is --------------------------------------

    def list_epics(
        self, labels: list[str], search: str | None = None, updated_after: str | None = None
    ) -> list[Epic]:
        """The learners' tracking objects: group epics, or learner issues (no-epic mode)."""
        return self.tracker.list(labels, search, updated_after)

    def get_epic(self, iid: int) -> Epic | None:
        """One epic of the group (a learner issue where there are no epics), or None."""
        return self.tracker.get(iid)

    def create_epic(self, title: str, description: str, labels: list[str]) -> Epic:
        """A learner's tracking object: a group epic (through REST or the Work Items API), or
        a learner issue in the project (no-epic mode), assigned to nobody."""
        return self.tracker.create(title, description, labels)

    def add_issue_to_epic(self, epic_iid: int, issue_id: int, issue_iid: int) -> None:
        """Put a course issue in the learner's epic, or link it to their learner issue."""
        self.tracker.link(epic_iid, issue_id, issue_iid)

    def update_epic(self, iid: int, changes: dict[str, Any]) -> Epic:
        return self.tracker.update(iid, changes)

    def comment_on_epic(self, epic_id: int, iid: int, body: str) -> Note:
        return self.tracker.comment(epic_id, iid, body)

    def epic_notes(self, epic_id: int, iid: int) -> list[Note]:
        return self.tracker.comments(epic_id, iid)

    def create_issue(
        self,
        title: str,
        description: str,
        labels: list[str],
        assignee_id: int,
        due_date: str | None,
        epic_id: int | None,
    ) -> Issue:
        """A course issue, assigned to its learner (created inside the epic where GitLab can)."""
        key = marker.issue_key(description)
        data: dict[str, Any] = {
            "title": title,
            "description": description,
            "labels": labels,
            "assignee_ids": [assignee_id],
        }
        if due_date:
            data["due_date"] = due_date
        if epic_id is not None:
            data.update(self.tracker.course_issue_fields(epic_id))
        issues = self.project.issues

        def create() -> Issue:
            return to_issue(issues.create(data, retry_transient_errors=False).asdict())

        def find() -> Issue | None:
            found = self.list_issues(labels[:1], search=title)
            return next((i for i in found if i.key == key), None)

        return self.create_once(f"creating issue {title!r}", create, find)
