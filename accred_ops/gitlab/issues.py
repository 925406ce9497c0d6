"""The project's issues, their comments and label events, and merge-request comments."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import gitlab

from accred_ops.core import marker
from accred_ops.core.state import Issue, IssueDetails, LabelEvent, Note
from accred_ops.errors import GitLabError
from accred_ops.gitlab.client import Client
from accred_ops.gitlab.errors import gitlab_errors
from accred_ops.gitlab.records import to_event, to_issue, to_note


class Issues(Client):
    """Course issues, the tool's own issues, and the comments that record its acts."""

    def list_issues(
        self,
        labels: list[str],
        search: str | None = None,
        state: str = "all",
        updated_after: str | None = None,
    ) -> list[Issue]:
        filters: dict[str, Any] = {"state": state}
        if updated_after:
            filters["updated_after"] = updated_after
        if labels:
            filters["labels"] = labels
        if search:
            filters.update(search=search, **{"in": "title"})
        rows = self.read(
            f"listing issues of project {self.project_path}",
            lambda: self.rows(self.project.issues, **filters),
        )
        return [to_issue(r) for r in rows]

    def get_issue(self, iid: int) -> Issue | None:
        """One issue of the project as GitLab has it now, or None when there is no such issue."""
        return self.get_one(f"reading issue #{iid}", lambda: self.project.issues.get(iid))

    def get_one(self, what: str, call: Callable[[], Any]) -> Issue | None:
        with gitlab_errors(what):
            try:
                return to_issue(call().asdict())
            except gitlab.GitlabGetError as err:
                if err.response_code in (403, 404):  # not there, or not the tool's to see
                    return None
                raise

    def label_events(self, iid: int) -> list[LabelEvent]:
        issue = self.project.issues.get(iid, lazy=True)
        rows = self.read(f"reading issue #{iid}", lambda: self.rows(issue.resourcelabelevents))
        return [to_event(r) for r in rows]

    def create_plain_issue(self, title: str, description: str) -> Issue:
        """An issue of the tool's own (the dashboard), found again by its marker."""
        tag = marker.last(description)

        def create() -> Issue:
            # confidential: Guests (learners) neither see nor comment on the tool's own issues
            data = {"title": title, "description": description, "confidential": True}
            return to_issue(
                self.project.issues.create(data, retry_transient_errors=False).attributes
            )

        def find() -> Issue | None:
            found = self.list_issues([], search=title)
            return next((i for i in found if tag and tag in i.description), None)

        return self.create_once(f"creating issue {title!r}", create, find)

    def issue_details(self, iid: int) -> IssueDetails:
        issue = self.project.issues.get(iid, lazy=True)

        def call() -> IssueDetails:
            events = self.rows(issue.resourcelabelevents)
            notes = self.rows(issue.notes, sort="asc")
            return IssueDetails(
                tuple(to_event(e) for e in events), tuple(to_note(n) for n in notes)
            )

        return self.read(f"reading issue #{iid}", call)

    def edit_issue_note(self, iid: int, note_id: int, body: str) -> Note:
        """Edit one of the tool's own comments in place (only its author can)."""
        issue = self.project.issues.get(iid, lazy=True)
        with gitlab_errors(f"editing a comment on issue #{iid}"):
            data = issue.notes.update(note_id, {"body": body}, max_retries=self.max_retries)
        return to_note({"id": note_id, "author": {"username": self.current_user().username}} | data)

    def get_issue_note(self, iid: int, note_id: int) -> Note | None:
        """One comment as GitLab has it now (the record's, re-read before it is rewritten)."""
        issue = self.project.issues.get(iid, lazy=True)
        with gitlab_errors(f"reading a comment on issue #{iid}"):
            try:
                return to_note(issue.notes.get(note_id).asdict())
            except gitlab.GitlabGetError as err:
                if err.response_code in (403, 404):
                    return None
                raise

    def first_comments(self, iid: int) -> list[Note]:
        """The oldest 100 comments of an issue, in one request: where the tool's proof comment
        on its own issue is (posted right after creating it), however many came after."""
        issue = self.project.issues.get(iid, lazy=True)
        query = {"sort": "asc", "order_by": "created_at", "per_page": 100}

        def call() -> list[dict[str, Any]]:
            page = self.gl.http_list(
                issue.notes.path, query, get_all=False, max_retries=self.max_retries
            )
            return list(page)  # type: ignore[arg-type]

        return [to_note(r) for r in self.read(f"reading comments of issue #{iid}", call)]

    def issue_notes(self, iid: int) -> list[Note]:
        issue = self.project.issues.get(iid, lazy=True)
        rows = self.read(
            f"reading comments of issue #{iid}", lambda: self.rows(issue.notes, sort="asc")
        )
        return [to_note(r) for r in rows]

    def linked_issues(self, iid: int) -> set[int]:
        """The iids of the issues linked to this one (a learner issue's course issues)."""
        issue = self.project.issues.get(iid, lazy=True)
        rows = self.read(f"reading the links of issue #{iid}", lambda: self.rows(issue.links))
        return {int(row["iid"]) for row in rows}

    def update_issue(self, iid: int, changes: dict[str, Any]) -> Issue:
        with gitlab_errors(f"updating issue #{iid}"):
            return self.own(
                to_issue(self.project.issues.update(iid, changes, max_retries=self.max_retries))
            )

    def comment_on_issue(self, iid: int, body: str, read_back: bool = True) -> Note:
        """`read_back=False`: GitLab's answer is the comment; no read for concurrent copies
        (for comments whose readers count each marker once, as exam attempts by their key)."""
        issue = self.project.issues.get(iid, lazy=True)
        return self.post_note(f"commenting on issue #{iid}", issue.notes, body, read_back)

    def upsert_merge_request_note(self, project: str, mr_iid: int, body: str) -> tuple[str, str]:
        """The tool's one note on a merge request, edited in place (found by the marker at the
        end of `body`, among the token user's notes). Returns (created|updated|unchanged, URL)."""
        mr = self.gl.projects.get(project, lazy=True).mergerequests.get(mr_iid, lazy=True)
        what = f"commenting on merge request !{mr_iid} of {project}"
        mine = self._tool_notes(what, mr.notes, marker.last(body))
        if not mine:
            note = self.post_note(what, mr.notes, body)
            return "created", f"{self.gl.url}/{project}/-/merge_requests/{mr_iid}#note_{note.id}"
        url = f"{self.gl.url}/{project}/-/merge_requests/{mr_iid}#note_{mine[0].id}"
        if mine[0].body == body:
            return "unchanged", url
        with gitlab_errors(what):
            mr.notes.update(mine[0].id, {"body": body}, max_retries=self.max_retries)
        return "updated", url

    def _tool_notes(self, what: str, notes: Any, tag: str | None) -> list[Note]:
        """The token user's comments carrying this marker, oldest first."""
        me = self.current_user().username
        rows = self.read(what, lambda: [to_note(r) for r in self.rows(notes, sort="asc")])
        return [n for n in rows if tag and tag in n.body and n.author == me]

    def post_note(self, what: str, notes: Any, body: str, read_back: bool = True) -> Note:
        """Post a comment that records an act, then make sure it stands exactly once.

        Two runs at the same moment can both find no such comment and both post it; each run then
        reads the comments back and deletes its tool's copies but the oldest, so they converge on
        one, whoever finishes first.
        """
        tag = marker.last(body)

        def create() -> Note:
            return to_note(notes.create({"body": body}, retry_transient_errors=False).attributes)

        def find() -> Note | None:  # errors of the look-up after a failed post are ours too
            return next(iter(self._tool_notes(what, notes, tag)), None)

        posted = self.create_once(what, create, find)
        if tag is None or not read_back:
            return posted
        copies = self._tool_notes(what, notes, tag)
        for extra in copies[1:]:
            # The other run may have deleted it already: that is the outcome we want.
            with contextlib.suppress(GitLabError), gitlab_errors(f"removing a duplicate ({what})"):
                notes.delete(extra.id)
        return copies[0] if copies else posted
