"""Who the tool is: the token's user, and the earlier tool users a program carries forward. Pure.

GitLab group and project access tokens expire, and a new one is a new bot user; every identity
rule (core/identity.py) asks `tools_own`, so naming the earlier users here is all it takes for
their objects to stay the tool's own. Nothing here imports the rest of the core, so every core
module may use it.
"""

from __future__ import annotations

from collections.abc import Iterable


class ToolUser(str):
    """The tool's own user: the token's username (this string), and the earlier tool users
    `gitlab.previous_tool_users` carries forward (a new token is a new bot user), whose
    objects count as the tool's own under every rule. Checked before any run trusts them
    (sync/handover.py): each is a GitLab bot user, and none is a learner or an assessor."""

    previous: frozenset[str]

    def __new__(cls, username: str, previous: Iterable[str] = ()) -> ToolUser:
        made = super().__new__(cls, username)
        made.previous = frozenset(p.lower() for p in previous) - {username.lower()}
        return made


def tools_own(author: str, bot: str) -> bool:
    """Whether the tool's own user authored it (the one fact about an object nobody can edit):
    the token's user, or an earlier tool user the program carries forward (`ToolUser`)."""
    if not author:
        return False
    return author.lower() == bot.lower() or author.lower() in getattr(bot, "previous", ())
