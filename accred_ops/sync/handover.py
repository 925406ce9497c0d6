"""A new token: the tool's earlier users, carried forward on the record or detected.

GitLab group and project access tokens expire, and a new one is a new bot user. Only the tool's
own objects count (identity rule 1), so a run with the new token would see an empty program and
enroll everyone again. Two things prevent it:

* `gitlab.previous_tool_users` in accred.yml (a change reviewed in a merge request) names the
  earlier users whose objects still count. Before a run trusts the list, each name must be a
  GitLab bot user that still exists (a group or project access token's user, or a service
  account); files/toolusers.py has already refused learners and assessors.
* Otherwise, a run that meets a tracking object (epic or learner issue) carrying a learner
  record that its own author wrote, by a bot user that is neither a learner nor an assessor,
  stops before any write (exit 2) and names both users. A learner's labelled issue, or a copy
  of a record posted by a learner, is never that: learners are not bot users, and a record
  counts only where its writer also authored the object it is on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from accred_ops.core import record
from accred_ops.core.identity import trusted_record
from accred_ops.core.state import Epic
from accred_ops.core.tooluser import ToolUser, tools_own
from accred_ops.errors import InputError

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session

MAX_SUSPECTS = 5  # authors looked into per run: a crowd of lookalikes costs no more than this
KEY = "gitlab.previous_tool_users"


def tool_user(session: Session, username: str) -> ToolUser:
    """The tool's identity for this run: the token's user, and the earlier tool users
    accred.yml names, each checked against GitLab first (two reads each, only when listed)."""
    previous = [
        p for p in session.ws.config.gitlab.previous_tool_users if p.lower() != username.lower()
    ]
    for name in previous:
        bot = session.gitlab.is_bot(name)
        if bot is None:
            raise InputError(
                f"accred.yml: {KEY}: '{name}' is no GitLab user now. GitLab deletes a revoked "
                "token's bot user and shows what it wrote as the Ghost User's, which no name "
                "here can bring back; and a name nobody holds could be taken by anyone. "
                "Remove it (see the README, 'A new token for the tool')"
            )
        if not bot:
            raise InputError(
                f"accred.yml: {KEY}: '{name}' is not a bot user on GitLab: only the users of "
                "the tool's earlier access tokens (or service accounts) belong here, never a "
                "person's account"
            )
    return ToolUser(username, previous)


def carried_forward(bot: ToolUser) -> list[str]:
    """Which case a run is in, when accred.yml carries earlier tool users forward."""
    if not bot.previous:
        return []
    names = ", ".join(sorted(bot.previous))
    return [
        f"the objects of the earlier tool user(s) {names} count as this token's user "
        f"{bot}'s ({KEY} in accred.yml)"
    ]


def others_writing(epics: Iterable[Epic], bot: str) -> list[Epic]:
    """The tracking objects someone other than the tool authored (learners' included)."""
    return [e for e in epics if e.author and not tools_own(e.author, bot)]


def earlier_tool_user(session: Session, foreign: Iterable[Epic]) -> str | None:
    """The first author among `foreign` who wrote a learner record on their own tracking
    object and is a bot user that is neither a cohort learner nor an assessor."""
    config = session.ws.config
    people = {lr.username.lower() for c in session.ws.cohorts.values() for lr in c.learners}
    people |= {u.lower() for u in config.assessors.usernames}
    seen: dict[str, Epic] = {}
    for epic in sorted(foreign, key=lambda e: e.iid):
        if epic.author.lower() not in people and len(seen) < MAX_SUSPECTS:
            seen.setdefault(epic.author.lower(), epic)
    in_note = session.gitlab.tracker.record_in_note
    for epic in seen.values():
        if not in_note and record.parse(epic.description) is None:
            continue
        notes = session.gitlab.epic_notes(epic.id, epic.iid) if in_note else None
        found, _ = trusted_record(epic, notes, epic.author, in_note)
        if found is not None and session.gitlab.is_bot(epic.author):
            return epic.author
    return None


def refusal(earlier: str, now: str) -> str:
    """What a run says, before any write, when the program was written by another tool user."""
    return (
        f"this program was written by the tool user '{earlier}', and this token's user is "
        f"'{now}': its objects are not this user's, so the program would look empty and "
        "everyone would be enrolled again. Nothing was written. If the old token was rotated "
        "(GitLab's rotate API keeps the same bot user), run with the rotated token. If this is "
        f"a new token, add `previous_tool_users: [{earlier}]` under `gitlab:` in accred.yml "
        "(in a merge request someone reviews), then run again. See the README, "
        "'A new token for the tool'"
    )
