"""People acting on the sandbox through the API, as they would in GitLab's UI.

The demo and the end-to-end tests use these to play learners ticking checklists and assessors
setting verdict labels: every act goes over HTTP with that person's own token, so GitLab's
records (system notes, label events, `closed_by`) name the right person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import gitlab


class Person:
    def __init__(self, url: str, token: str, project: str) -> None:
        self.gl = gitlab.Gitlab(url, private_token=token, per_page=100)
        self.project = self.gl.projects.get(project, lazy=True)

    def find_issue(self, course_title: str, learner: str) -> int:
        """The iid of `learner`'s issue for a course (by its title)."""
        title = f"{course_title} — @{learner}"
        for issue in self.project.issues.list(iterator=True, search=title, state="all"):
            if issue.title == title:
                return int(issue.iid)
        raise LookupError(f"no issue titled {title!r}")

    def tick(self, iid: int, items: Iterable[str] | None = None, *, done: bool = True) -> None:
        """Tick (or untick) checklist items by their text; all of them when `items` is None."""
        issue = self.project.issues.get(iid)
        wanted = None if items is None else {" ".join(i.split()) for i in items}
        mark, other = ("x", " ") if done else (" ", "x")

        def flip(match: re.Match[str]) -> str:
            text = " ".join(match["text"].split())
            if wanted is None or text in wanted:
                return f"{match['lead']}[{mark}] {match['text']}"
            return match.group(0)

        pattern = re.compile(
            rf"^(?P<lead>\s*[-*+] )\[{'[xX]' if other == 'x' else ' '}\] (?P<text>.*)$", re.M
        )
        issue.description = pattern.sub(flip, issue.description)
        issue.save()

    def add_label(self, iid: int, label: str) -> None:
        self.project.issues.update(iid, {"add_labels": label})

    def remove_label(self, iid: int, label: str) -> None:
        self.project.issues.update(iid, {"remove_labels": label})

    def comment(self, iid: int, body: str) -> None:
        self.project.issues.get(iid, lazy=True).notes.create({"body": body})

    def set_state(self, iid: int, state_event: str) -> None:
        self.project.issues.update(iid, {"state_event": state_event})

    def add_webhook(self, url: str, token: str) -> None:
        """A project webhook for issue and comment events (needs the Maintainer role)."""
        hook = {"url": url, "token": token, "issues_events": True, "note_events": True}
        self.project.hooks.create(hook)
