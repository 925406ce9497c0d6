"""A workspace and a stand-in GitLab small enough to test one stage of the sync at a time."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from accred_ops.core.model import Cohort, Config, GitLabSettings, Learner, Workspace
from accred_ops.core.state import Issue, Note, User
from tests.core.test_planner import PROGRAM

BOT = "accred-bot"
NAMES = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
Q4 = Cohort("q4", "sal", "p", tuple(Learner(n) for n in NAMES))
OPEN = Cohort("self-paced", "sal", "p", (), self_enrollment=True)
WS = Workspace(Config(GitLabSettings(None, "g", "g/p")), {"sal": PROGRAM}, {"q4": Q4})
WS_OPEN = Workspace(
    Config(GitLabSettings(None, "g", "g/p")), {"sal": PROGRAM}, {"q4": Q4, "self-paced": OPEN}
)


class FakeGitLab:
    """Answers what a test gives it and writes down every call; anything else fails the test."""

    # what the REST epics backend declares (accred_ops/gitlab/tracking/epics.py)
    tracker = SimpleNamespace(
        noun="epic",
        is_issue=False,
        record_in_note=False,
        several_assignees=True,
        learners_may_edit=False,
        issues_name_parent=True,
    )

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args))
            if name not in self.answers:
                raise AssertionError(f"unexpected request: {name}{args}")
            answer = self.answers[name]
            return answer(*args) if callable(answer) else answer

        return call

    @property
    def names(self) -> list[str]:
        return [name for name, _args in self.calls]


def session(gitlab: FakeGitLab, ws: Workspace = WS) -> Any:
    return SimpleNamespace(
        ws=ws,
        gitlab=gitlab,
        bot=BOT,
        now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        synced={},
        foreign=[],
    )


def issue(iid: int, author: str, labels: tuple[str, ...] = (), **kw: Any) -> Issue:
    return Issue(iid * 10, iid, f"issue {iid}", "", labels, "opened", "", author=author, **kw)


def note(body: str, author: str = BOT, id: int = 1) -> Note:
    return Note(id, body, author, False, "2026-12-01T00:00:00Z")


def user(name: str) -> User:
    return User(7, name)
