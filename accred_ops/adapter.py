"""The one module that talks to GitLab, through python-gitlab.

It returns the core's plain records (never python-gitlab objects), lists with filters and
`per_page=100`, lets python-gitlab retry 429s (honouring `Retry-After`), 5xx and dropped
connections on reads and idempotent edits, and turns GitLab's errors into messages that say
what to check. Creations are never retried blindly: after a transient failure the object is
looked for first (the request may have reached GitLab), so a flaky network cannot duplicate an
issue or a comment. The token is never part of any message.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import gitlab
import httpx
import requests
from gitlab.v4.objects import GroupEpic
from gql.graphql_request import GraphQLRequest
from gql.transport.exceptions import TransportError, TransportQueryError

from accred_ops import graphql_documents as documents
from accred_ops.core import marker
from accred_ops.core.state import (
    Board,
    Epic,
    GroupLabel,
    Issue,
    IssueDetails,
    LabelEvent,
    Note,
    User,
)
from accred_ops.errors import AuthenticationError, GitLabError
from accred_ops.limits import LimitedSession, RateLimiter, Unreachable

T = TypeVar("T")

TRANSIENT = {500, 502, 503, 504, *range(520, 531)}


@contextlib.contextmanager
def gitlab_errors(what: str) -> Iterator[None]:
    """Turn python-gitlab and requests errors into our own, with advice and never the token."""
    try:
        yield
    except gitlab.GitlabAuthenticationError:
        raise AuthenticationError(
            "GitLab rejected the token (401): it is invalid, expired or revoked. "
            "Set GITLAB_TOKEN to a valid personal, project or group access token with the api scope."
        ) from None
    except gitlab.GitlabError as err:  # HTTP errors and python-gitlab's per-operation subclasses
        raise GitLabError(_explain(what, err.response_code, err.error_message)) from None
    except Unreachable as err:
        raise GitLabError(
            f"{what}: cannot reach GitLab at {err.url}: {err.why}. Check the URL (GITLAB_URL, "
            "else gitlab.url in accred.yml, else CI_SERVER_URL) and the network"
        ) from None
    except requests.RequestException as err:
        where = f" at {err.request.url.split('/api/v4', 1)[0]}" if err.request else ""
        raise GitLabError(
            f"{what}: cannot reach GitLab{where} ({type(err).__name__}); check the URL and the network"
        ) from None


def _explain(what: str, code: int | None, message: Any) -> str:
    if code == 403:
        return (
            f"{what}: forbidden (403): the token needs the api scope, and its user needs at least "
            "the Reporter role in the group and project"
        )
    if code == 404:
        return f"{what}: not found (404): check the group and project paths in accred.yml, and that the token's user can see them"
    if code == 429:
        return f"{what}: GitLab kept answering 429 Too Many Requests; try again later or lower the request rate"
    return f"{what}: GitLab answered {code}: {message}"


def _user(data: dict[str, Any] | None) -> str | None:
    return data.get("username") if data else None


def _issuable(data: dict[str, Any]) -> dict[str, Any]:
    """The fields issues and epics share (labels as names even `with_labels_details`)."""
    return {
        "id": data["id"],
        "iid": data["iid"],
        "title": data.get("title") or "",
        "description": data.get("description") or "",
        "labels": tuple(x["name"] if isinstance(x, dict) else x for x in data.get("labels") or ()),
        "state": data.get("state", "opened"),
        "web_url": data.get("web_url") or "",
        "created_at": data.get("created_at") or "",
        "updated_at": data.get("updated_at") or "",
    }


def to_issue(data: dict[str, Any]) -> Issue:
    return Issue(
        **_issuable(data),
        assignees=tuple(a["username"] for a in data.get("assignees") or ()),
        assignee_ids=tuple(a["id"] for a in data.get("assignees") or () if "id" in a),
        closed_by=_user(data.get("closed_by")),
        due_date=data.get("due_date"),
        epic_iid=(data.get("epic") or {}).get("iid") or data.get("epic_iid"),
        closed_at=data.get("closed_at"),
        author=_user(data.get("author")) or "",
    )


def to_epic(data: dict[str, Any]) -> Epic:
    author = data.get("author")  # a learner issue's record already holds the username
    return Epic(
        **_issuable(data), author=author if isinstance(author, str) else _user(author) or ""
    )


def to_note(data: dict[str, Any]) -> Note:
    return Note(
        data["id"],
        data.get("body") or "",
        _user(data.get("author")) or "",
        bool(data.get("system")),
        data.get("created_at") or "",
        data.get("updated_at") or "",
    )


def to_event(data: dict[str, Any]) -> LabelEvent:
    return LabelEvent(
        id=data["id"],
        label=(data.get("label") or {}).get("name", ""),
        action=data.get("action", ""),
        user=_user(data.get("user")) or "",
        created_at=data.get("created_at") or "",
    )


class GitLabAdapter:
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
        self.limiter = RateLimiter(rate_limits or {})
        self.gl = gitlab.Gitlab(
            url,
            private_token=token,
            retry_transient_errors=True,
            per_page=100,
            timeout=timeout,
            session=LimitedSession(self.limiter, pool_size=2 * concurrency),
        )
        self.max_retries = max_retries
        self.group_path = group
        self.project_path = project
        self.group = self.gl.groups.get(group, lazy=True)
        self.project = self.gl.projects.get(project, lazy=True)
        self._users: dict[str, User | None] = {}
        self._me: User | None = None
        self.server_time: dt.datetime | None = None  # GitLab's clock when the run began
        self._members: dict[str, User] | None = None
        # How a learner's path is tracked: "epic" (a group epic), "issue" (a learner issue in
        # the project, labelled `learner_label`, its course issues linked to it), or "auto":
        # epics if the group has them, found out by the first epic listing.
        self.tracking = tracking
        self.learner_label = learner_label
        self.tracking_note = ""
        # "workitems": epics are created, and issues put in them, through GraphQL's Work Items
        # API; listing, editing and comments stay on REST while GitLab serves it.
        self.api = api
        self._graphql_client: Any = None
        self._graphql_auth = (url, token, timeout)
        self._epic_type: str | None = None
        self._work_items: dict[int, str] = {}  # epic iid -> its work item's global id
        self._label_ids: dict[str, int] = {}
        # Issues and epics this run created, by web_url, in the version of its last write to
        # them: the sync record may move past these (core/syncstate.py `settled_since`).
        self.own_versions: dict[str, str] = {}

    def _read(self, what: str, call: Callable[[], T]) -> T:
        with gitlab_errors(what):
            return call()

    def _list(self, manager: Any, **filters: Any) -> list[dict[str, Any]]:
        """Every row of a listing as plain dicts, 100 a page, following python-gitlab's pagination.

        `manager.list()` would build a RESTObject per row, deep-copying it and creating its
        sub-managers: for 25,000 issues most of a sync's CPU. Rows are only read here, so the
        manager's path and python-gitlab's `http_list` (pages, retries, errors) suffice.
        """
        query = {k: ",".join(v) if isinstance(v, list) else v for k, v in filters.items()}
        query["per_page"] = 100  # http_list, unlike manager.list(), does not add the client's
        rows = self.gl.http_list(manager.path, query, iterator=True, max_retries=self.max_retries)
        return list(rows)  # type: ignore[arg-type]

    # --- who -------------------------------------------------------------------------------

    def current_user(self) -> User:
        """The token's user, read once per run (the run's first request: its `Date` header
        is GitLab's clock at the start of the run, kept as `server_time`)."""
        if self._me is None:

            def call() -> User:
                response = self.gl.http_request("get", "/user")
                with contextlib.suppress(TypeError, ValueError):
                    self.server_time = parsedate_to_datetime(response.headers.get("Date", ""))
                data = response.json()
                return User(data["id"], data["username"])

            self._me = self._read("reading the token's user", call)
        return self._me

    def find_user(self, username: str) -> User | None:
        """The GitLab user with this username (case-insensitive), or None; cached per run."""
        key = username.lower()
        if key not in self._users:
            found = self._read(
                f"looking up user {username}",
                lambda: self.gl.users.list(username=username, get_all=False),
            )
            self._users[key] = User(found[0].id, found[0].username) if found else None
        return self._users[key]

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
            rows = self._read(
                f"listing members of project {self.project_path}",
                lambda: self._list(self.project.members_all),
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
            rows = self._read(what, lambda: self._list(group.members_all))
            return {row["username"].lower() for row in rows}
        subgroups = self._read(
            f"listing subgroups of group {group_path}",
            lambda: self._list(group.descendant_groups),
        )
        names: set[str] = set()
        for ref in (group_path, *(row["full_path"] for row in subgroups)):
            one = self.gl.groups.get(ref, lazy=True)
            rows = self._read(
                f"listing members of group {ref}", lambda g=one: self._list(g.members)
            )
            names |= {row["username"].lower() for row in rows}
        return names

    # --- labels and board ------------------------------------------------------------------

    def group_labels(self) -> list[GroupLabel]:
        rows = self._read(
            f"listing labels of group {self.group_path}", lambda: self._list(self.group.labels)
        )
        labels = [
            GroupLabel(r["id"], r["name"], r.get("color", ""), r.get("description") or "")
            for r in rows
        ]
        self._label_ids.update({label.name: label.id for label in labels})
        return labels

    def create_group_label(self, name: str, color: str, description: str) -> GroupLabel:
        try:
            with gitlab_errors(f"creating label {name}"):
                obj = self.group.labels.create(
                    {"name": name, "color": color, "description": description}
                )
        except GitLabError as err:
            existing = [label for label in self.group_labels() if label.name == name]
            if existing:  # created meanwhile (another run, or a lost response): fine
                return existing[0]
            raise err
        self._label_ids[obj.name] = obj.id
        return GroupLabel(obj.id, obj.name, obj.color, obj.description or "")

    def boards(self) -> list[Board]:
        def call() -> list[Board]:
            found = []
            for board in self.group.boards.list(iterator=True):
                lists = board.lists.list(get_all=True)
                found.append(
                    Board(
                        board.id,
                        board.name,
                        tuple(lst.label["name"] for lst in lists if lst.label),
                        tuple(lb["name"] for lb in board.attributes.get("labels") or ()),
                    )
                )
            return found

        return self._read(f"listing boards of group {self.group_path}", call)

    def create_board(self, name: str) -> Board:
        with gitlab_errors(f"creating board {name}"):
            obj = self.group.boards.create({"name": name})
        return Board(obj.id, obj.name, ())

    def scope_board(self, board_id: int, labels: list[str]) -> tuple[str, ...]:
        """Scope a group board to labels (GitLab API group_boards.md, "Update a group issue
        board": `labels`, comma-separated names; Premium); returns the scope GitLab answers."""
        with gitlab_errors("scoping the board"):
            row = self.gl.http_put(
                f"/groups/{self.group.encoded_id}/boards/{board_id}",
                post_data={"labels": ",".join(labels)},
            )
        return tuple(lb["name"] for lb in (row or {}).get("labels") or ())

    def board_scope_available(self) -> bool:
        """Whether the group's tier allows a board scope (Premium), seen as whether it has
        epics (the same tier; 403 or 404 where not): one short read, for `setup` only."""
        with gitlab_errors(f"checking the tier of group {self.group_path}"):
            try:
                path = f"/groups/{self.group.encoded_id}/epics"
                self.gl.http_get(path, query_data={"per_page": 1})
            except gitlab.GitlabHttpError as err:
                if err.response_code in (403, 404):
                    return False
                raise
        return True

    def create_board_list(self, board_id: int, label_id: int) -> None:
        board = self.group.boards.get(board_id, lazy=True)
        with gitlab_errors("adding a list to the board"):
            board.lists.create({"label_id": label_id})

    # --- epics and issues ------------------------------------------------------------------

    def list_epics(
        self, labels: list[str], search: str | None = None, updated_after: str | None = None
    ) -> list[Epic]:
        """The learners' tracking objects: group epics, or learner issues (no-epic mode)."""
        if self.tracking == "issue":
            found = self.list_issues([*labels, self.learner_label], search, "all", updated_after)
            return [to_epic(dataclasses.asdict(i)) for i in found]
        filters: dict[str, Any] = {"labels": labels, "state": "all"}
        if search:
            filters["search"] = search
        if updated_after:
            filters["updated_after"] = updated_after
        what = f"listing epics of group {self.group_path} (epics need GitLab Premium or Ultimate)"
        with gitlab_errors(what):
            try:
                rows = self._list(self.group.epics, **filters)
            except gitlab.GitlabHttpError as err:
                if self.tracking != "auto" or err.response_code not in (403, 404):
                    raise
                self.tracking = "issue"
                self.tracking_note = (
                    f"tracking learners with learner issues in {self.project_path}: group "
                    f"{self.group_path} has no epics (GitLab answered {err.response_code}; epics "
                    "need Premium or Ultimate)"
                )
        if self.tracking == "issue":  # found out just now
            return self.list_epics(labels, search, updated_after)
        if self.tracking == "auto":
            self.tracking = "epic"
            self.tracking_note = f"tracking learners with epics in group {self.group_path}"
        return [to_epic(r) for r in rows]

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
        rows = self._read(
            f"listing issues of project {self.project_path}",
            lambda: self._list(self.project.issues, **filters),
        )
        return [to_issue(r) for r in rows]

    def get_issue(self, iid: int) -> Issue | None:
        """One issue of the project as GitLab has it now, or None when there is no such issue."""
        return self._get_one(f"reading issue #{iid}", lambda: self.project.issues.get(iid))

    def get_epic(self, iid: int) -> Epic | None:
        """One epic of the group (a learner issue where there are no epics), or None."""
        if self.tracking == "issue":
            issue = self.get_issue(iid)
            return to_epic(dataclasses.asdict(issue)) if issue else None
        found = self._get_one(f"reading epic &{iid}", lambda: self.group.epics.get(iid))
        return to_epic(dataclasses.asdict(found)) if found else None

    def _get_one(self, what: str, call: Callable[[], Any]) -> Issue | None:
        with gitlab_errors(what):
            try:
                return to_issue(call().asdict())
            except gitlab.GitlabGetError as err:
                if err.response_code in (403, 404):  # not there, or not the tool's to see
                    return None
                raise

    def label_events(self, iid: int) -> list[LabelEvent]:
        issue = self.project.issues.get(iid, lazy=True)
        rows = self._read(f"reading issue #{iid}", lambda: self._list(issue.resourcelabelevents))
        return [to_event(r) for r in rows]

    def create_plain_issue(self, title: str, description: str) -> Issue:
        """An issue of the tool's own (the dashboard), found again by its marker."""
        tag = marker.last(description)

        def create() -> Issue:
            data = {"title": title, "description": description}
            return to_issue(
                self.project.issues.create(data, retry_transient_errors=False).attributes
            )

        def find() -> Issue | None:
            found = self.list_issues([], search=title)
            return next((i for i in found if tag and tag in i.description), None)

        return self._create_once(f"creating issue {title!r}", create, find)

    def issue_details(self, iid: int) -> IssueDetails:
        issue = self.project.issues.get(iid, lazy=True)

        def call() -> IssueDetails:
            events = self._list(issue.resourcelabelevents)
            notes = self._list(issue.notes, sort="asc")
            return IssueDetails(
                tuple(to_event(e) for e in events), tuple(to_note(n) for n in notes)
            )

        return self._read(f"reading issue #{iid}", call)

    def edit_issue_note(self, iid: int, note_id: int, body: str) -> Note:
        """Edit one of the tool's own comments in place (only its author can)."""
        issue = self.project.issues.get(iid, lazy=True)
        with gitlab_errors(f"editing a comment on issue #{iid}"):
            data = issue.notes.update(note_id, {"body": body}, max_retries=self.max_retries)
        return to_note({"id": note_id, "author": {"username": self.current_user().username}} | data)

    def issue_notes(self, iid: int) -> list[Note]:
        issue = self.project.issues.get(iid, lazy=True)
        rows = self._read(
            f"reading comments of issue #{iid}", lambda: self._list(issue.notes, sort="asc")
        )
        return [to_note(r) for r in rows]

    def _epic_obj(self, epic_id: int, iid: int) -> GroupEpic:
        return GroupEpic(
            self.group.epics, {"id": epic_id, "iid": iid, "group_id": self.group_path}, lazy=True
        )

    def epic_notes(self, epic_id: int, iid: int) -> list[Note]:
        if self.tracking == "issue":
            return self.issue_notes(iid)
        epic = self._epic_obj(epic_id, iid)
        rows = self._read(
            f"reading comments of epic &{iid}", lambda: self._list(epic.notes, sort="asc")
        )
        return [to_note(r) for r in rows]

    def _create_once(self, what: str, create: Callable[[], T], find: Callable[[], T | None]) -> T:
        """Create; after a transient failure, look for the object before creating it again.

        The failed request may have reached GitLab, so a blind retry could duplicate it. If the
        look-up itself fails, the error is raised: not knowing, it is not safe to retry.
        """
        delay = 0.1
        for attempt in range(self.max_retries + 1):
            with gitlab_errors(what):
                try:
                    return self._own(create(), created=True)
                except gitlab.GitlabError as err:
                    if err.response_code not in TRANSIENT or attempt == self.max_retries:
                        raise
                except requests.RequestException:
                    if attempt == self.max_retries:
                        raise
            found = find()
            if found is not None:
                return found
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
        raise AssertionError("unreachable")

    def create_epic(self, title: str, description: str, labels: list[str]) -> Epic:
        """A learner's tracking object: a group epic (through REST or the Work Items API), or
        a learner issue in the project (no-epic mode), assigned to nobody."""
        key = marker.epic_key(description)

        def rest_epic() -> Epic:
            data = {"title": title, "description": description, "labels": labels}
            return to_epic(self.group.epics.create(data, retry_transient_errors=False).asdict())

        def work_item_epic() -> Epic:
            return self._create_epic_work_item(title, description, labels)

        def learner_issue() -> Epic:
            data = {
                "title": title,
                "description": description,
                "labels": [*labels, self.learner_label],
            }
            return to_epic(self.project.issues.create(data, retry_transient_errors=False).asdict())

        def find() -> Epic | None:
            return next(
                (e for e in self.list_epics(labels[:1], search=title) if e.key == key), None
            )

        if self.tracking == "issue":
            return self._create_once(f"creating learner issue {title!r}", learner_issue, find)
        create = work_item_epic if self.api == "workitems" else rest_epic
        return self._create_once(f"creating epic {title!r}", create, find)

    # --- the Work Items GraphQL API ---------------------------------------------------------

    def _graphql(
        self, what: str, document: str, variables: dict[str, Any], mutation: str | None = None
    ) -> dict[str, Any]:
        """Send one document; GraphQL's errors (HTTP 200 with `errors`, or the mutation's own
        `errors`) become ours, as REST's do."""
        if self._graphql_client is None:
            url, token, timeout = self._graphql_auth
            client = httpx.Client(
                headers={"Authorization": f"Bearer {token}", "User-Agent": "accred-ops"},
                timeout=timeout,
                event_hooks={"request": [lambda _request: self.limiter.acquire(("api",))]},
            )
            self._graphql_client = gitlab.GraphQL(
                url, client=client, max_retries=self.max_retries, retry_transient_errors=True
            )
        with gitlab_errors(what):
            try:
                data = self._graphql_client.execute(
                    GraphQLRequest(document, variable_values=variables)
                )
            except TransportQueryError as err:
                messages = "; ".join(str(e.get("message", e)) for e in err.errors or [])
                raise GitLabError(
                    f"{what}: GitLab's GraphQL API answered: {messages or err}"
                ) from None
            except (TransportError, httpx.HTTPError) as err:
                raise GitLabError(
                    f"{what}: cannot reach GitLab's GraphQL API ({type(err).__name__})"
                ) from None
        if mutation and data.get(mutation, {}).get("errors"):
            raise GitLabError(
                f"{what}: GitLab's GraphQL API answered: {'; '.join(data[mutation]['errors'])}"
            )
        return data

    def _create_epic_work_item(self, title: str, description: str, labels: list[str]) -> Epic:
        if self._epic_type is None:
            found = self._graphql(
                "finding the Epic work item type",
                documents.EPIC_TYPE,
                {"fullPath": self.group_path},
            )
            nodes = ((found.get("group") or {}).get("workItemTypes") or {}).get("nodes") or []
            if not nodes:
                raise GitLabError(
                    f"group {self.group_path} has no Epic work item type (epics need Premium or Ultimate)"
                )
            self._epic_type = nodes[0]["id"]
        if any(name not in self._label_ids for name in labels):
            self.group_labels()
        label_ids = [self._label_ids[name] for name in labels if name in self._label_ids]
        variables = {
            "input": documents.create_epic_input(
                self.group_path, title, self._epic_type, description, label_ids
            )
        }
        created = self._graphql(
            f"creating epic {title!r}", documents.CREATE_EPIC, variables, "workItemCreate"
        )
        work_item = created["workItemCreate"]["workItem"]
        iid = int(work_item["iid"])
        self._work_items[iid] = work_item["id"]
        with gitlab_errors(f"reading epic &{iid}"):
            return to_epic(self.group.epics.get(iid).asdict())  # the REST record: notes need its id

    def _epic_work_item(self, iid: int) -> str:
        found = self._graphql(
            f"finding epic &{iid}",
            documents.EPIC_WORK_ITEM,
            {"fullPath": self.group_path, "iid": str(iid)},
        )
        item = (found.get("group") or {}).get("workItem")
        if not item:
            raise GitLabError(f"finding epic &{iid}: GitLab's GraphQL API knows no such work item")
        self._work_items[iid] = item["id"]
        return str(item["id"])

    def create_issue(
        self,
        title: str,
        description: str,
        labels: list[str],
        assignee_id: int,
        due_date: str | None,
        epic_id: int | None,
    ) -> Issue:
        key = marker.issue_key(description)
        data: dict[str, Any] = {
            "title": title,
            "description": description,
            "labels": labels,
            "assignee_ids": [assignee_id],
        }
        if due_date:
            data["due_date"] = due_date
        if epic_id is not None and self.tracking != "issue" and self.api != "workitems":
            data["epic_id"] = epic_id

        def create() -> Issue:
            return to_issue(self.project.issues.create(data, retry_transient_errors=False).asdict())

        def find() -> Issue | None:
            return next(
                (i for i in self.list_issues(labels[:1], search=title) if i.key == key), None
            )

        return self._create_once(f"creating issue {title!r}", create, find)

    def add_issue_to_epic(self, epic_iid: int, issue_id: int, issue_iid: int) -> None:
        """Put a course issue in the learner's epic, or link it to their learner issue."""
        if self.api == "workitems" and self.tracking != "issue":
            parent = self._work_items.get(epic_iid) or self._epic_work_item(epic_iid)
            variables = {"input": documents.set_parent_input(issue_id, parent)}
            self._graphql(
                f"adding issue #{issue_iid} to epic &{epic_iid}",
                documents.SET_PARENT,
                variables,
                "workItemUpdate",
            )
            return
        if self.tracking == "issue":
            learner_issue = self.project.issues.get(epic_iid, lazy=True)
            link = {"target_project_id": self.project_path, "target_issue_iid": issue_iid}
            with gitlab_errors(f"linking issue #{issue_iid} to learner issue #{epic_iid}"):
                try:
                    learner_issue.links.create(link)
                except gitlab.GitlabCreateError as err:
                    if err.response_code != 409:  # 409: linked already (a retry had landed)
                        raise
            return
        epic = self.group.epics.get(epic_iid, lazy=True)
        with gitlab_errors(f"adding an issue to epic &{epic_iid}"):
            epic.issues.create({"issue_id": issue_id})

    def linked_issues(self, iid: int) -> set[int]:
        """The iids of the issues linked to this one (a learner issue's course issues)."""
        issue = self.project.issues.get(iid, lazy=True)
        rows = self._read(f"reading the links of issue #{iid}", lambda: self._list(issue.links))
        return {int(row["iid"]) for row in rows}

    def update_issue(self, iid: int, changes: dict[str, Any]) -> Issue:
        with gitlab_errors(f"updating issue #{iid}"):
            return self._own(
                to_issue(self.project.issues.update(iid, changes, max_retries=self.max_retries))
            )

    def update_epic(self, iid: int, changes: dict[str, Any]) -> Epic:
        if self.tracking == "issue":
            return to_epic(dataclasses.asdict(self.update_issue(iid, changes)))
        with gitlab_errors(f"updating epic &{iid}"):
            return self._own(
                to_epic(self.group.epics.update(iid, changes, max_retries=self.max_retries))
            )

    def _own(self, written: T, created: bool = False) -> T:
        """Remember the version of an issue or epic this run created (and then edited)."""
        url, version = getattr(written, "web_url", ""), getattr(written, "updated_at", "")
        if url and version and (created or url in self.own_versions):
            self.own_versions[url] = version
        return written

    def clock(self) -> dt.datetime:
        """GitLab's clock now: the `Date` of one answer (the token's user, a tiny request)."""

        def call() -> dt.datetime:
            response = self.gl.http_request("get", "/user")
            return parsedate_to_datetime(response.headers.get("Date", ""))

        return self._read("reading GitLab's clock", call)

    def comment_on_issue(self, iid: int, body: str) -> Note:
        issue = self.project.issues.get(iid, lazy=True)
        return self._comment(f"commenting on issue #{iid}", issue.notes, body)

    def comment_on_epic(self, epic_id: int, iid: int, body: str) -> Note:
        if self.tracking == "issue":
            return self.comment_on_issue(iid, body)
        return self._comment(f"commenting on epic &{iid}", self._epic_obj(epic_id, iid).notes, body)

    def upsert_merge_request_note(self, project: str, mr_iid: int, body: str) -> tuple[str, str]:
        """The tool's one note on a merge request, edited in place (found by the marker at the
        end of `body`, among the token user's notes). Returns (created|updated|unchanged, URL)."""
        mr = self.gl.projects.get(project, lazy=True).mergerequests.get(mr_iid, lazy=True)
        what = f"commenting on merge request !{mr_iid} of {project}"
        mine = self._tool_notes(what, mr.notes, marker.last(body))
        if not mine:
            note = self._comment(what, mr.notes, body)
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
        rows = self._read(what, lambda: [to_note(r) for r in self._list(notes, sort="asc")])
        return [n for n in rows if tag and tag in n.body and n.author == me]

    def _comment(self, what: str, notes: Any, body: str) -> Note:
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

        posted = self._create_once(what, create, find)
        if tag is None:
            return posted
        copies = self._tool_notes(what, notes, tag)
        for extra in copies[1:]:
            # The other run may have deleted it already: that is the outcome we want.
            with contextlib.suppress(GitLabError), gitlab_errors(f"removing a duplicate ({what})"):
                notes.delete(extra.id)
        return copies[0] if copies else posted
