"""Who: the token's user, users by name, project and group members."""

from __future__ import annotations

from collections.abc import Iterable

from accred_ops.core.state import User
from accred_ops.errors import AuthenticationError, GitLabError
from accred_ops.gitlab.client import Client


class People(Client):
    """Users and members, each looked up once per run."""

    def find_user(self, username: str) -> User | None:
        """The GitLab user with this username (case-insensitive), or None; cached per run."""
        key = username.lower()
        if key not in self._users:
            found = self.read(
                f"looking up user {username}",
                lambda: self.gl.users.list(username=username, get_all=False),
            )
            self._users[key] = User(found[0].id, found[0].username) if found else None
        return self._users[key]

    def is_bot(self, username: str) -> bool | None:
        """Whether this user is a GitLab bot user (a group or project access token's, or a
        service account: `bot` in `GET /users/:id`); None when there is no such user."""
        user = self.find_user(username)
        if user is None:
            return None
        data = self.read(
            f"reading user {username}",
            lambda: self.gl.http_request("get", f"/users/{user.id}").json(),
        )
        return bool(data.get("bot"))

    def prefetch_users(self, usernames: Iterable[str]) -> None:
        """Learn many users' ids from the project's member list (100 a page) rather than one
        look-up each; those not found there are looked up one by one later, as usual."""
        wanted = {u.lower() for u in usernames} - set(self._users)
        if len(wanted) < 2:
            return
        for name, user in self.project_members().items():
            if name in wanted:
                self._users[name] = user

    def project_members(self) -> dict[str, User]:
        """The project's members, direct or inherited, by lowercased username; read once."""
        if self._members is None:
            rows = self.read(
                f"listing members of project {self.project_path}",
                lambda: self.rows(self.project.members_all),
            )
            self._members = {r["username"].lower(): User(r["id"], r["username"]) for r in rows}
        return self._members

    def group_members(self, group_path: str, inherited: bool = False) -> set[str]:
        """Usernames of a group's members: its own (direct) members and those of its subgroups,
        or with `inherited` everyone GitLab lists for it, parent groups' members included.

        GitLab API (members.md): `GET /groups/:id/members` lists direct members only,
        `/members/all` adds those inherited from ancestor groups; a subgroup inherits every
        member of its parents, so `/members/all` of `team/assessors` holds all of `team`.
        """
        group = self.gl.groups.get(group_path, lazy=True)
        what = f"listing members of group {group_path}"
        if inherited:
            rows = self.read(what, lambda: self.rows(group.members_all))
            return {row["username"].lower() for row in rows}
        subgroups = self.read(
            f"listing subgroups of group {group_path}",
            lambda: self.rows(group.descendant_groups),
        )
        names: set[str] = set()
        for ref in (group_path, *(row["full_path"] for row in subgroups)):
            one = self.gl.groups.get(ref, lazy=True)
            rows = self.read(f"listing members of group {ref}", lambda g=one: self.rows(g.members))
            names |= {row["username"].lower() for row in rows}
        return names

    def display_name(self, username: str) -> str:
        """The name on the user's GitLab profile (their own words; Credly prints it on the
        badge), or the username when they gave none."""
        found = self.read(
            f"looking up user {username}",
            lambda: self.gl.users.list(username=username, get_all=False),
        )
        return (str(getattr(found[0], "name", "") or "") if found else "").strip() or username

    def instance_version(self) -> str | None:
        """The instance's version ("17.2.1-ee"): `GET /metadata` (GitLab 15.2+), else the older
        `GET /version`; None when neither answers (then nothing is assumed)."""
        for path in ("/metadata", "/version"):
            try:
                data = self.read("reading GitLab's version", lambda p=path: self.gl.http_get(p))
            except AuthenticationError:
                raise
            except GitLabError:
                continue
            if isinstance(data, dict) and isinstance(data.get("version"), str):
                return data["version"]
        return None
