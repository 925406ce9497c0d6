"""The session every part of the GitLab client shares: python-gitlab, retries, rate limits.

Reads and idempotent edits are retried by python-gitlab (429s honouring `Retry-After`, 5xx,
dropped connections). Creations are never retried blindly: after a transient failure the
object is looked for first (`create_once`), so a flaky network cannot duplicate an issue or a
comment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import gitlab
import httpx
import requests
from gql.graphql_request import GraphQLRequest
from gql.transport.exceptions import TransportError, TransportQueryError

from accred_ops.core.state import User
from accred_ops.errors import GitLabError
from accred_ops.gitlab.errors import TRANSIENT, gitlab_errors
from accred_ops.gitlab.limits import LimitedSession, RateLimiter

T = TypeVar("T")


class Client:
    """python-gitlab for one configured group and project, and what every request needs."""

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
        self._me: User | None = None
        self._users: dict[str, User | None] = {}
        self._members: dict[str, User] | None = None
        self.server_time: dt.datetime | None = None  # GitLab's clock when the run began
        self._graphql_client: Any = None
        self._graphql_auth = (url, token, timeout)
        self.label_ids: dict[str, int] = {}
        # Issues and epics this run created, by web_url, in the version of its last write to
        # them: the sync record may move past these (core/syncstate.py `settled_since`).
        self.own_versions: dict[str, str] = {}

    def read(self, what: str, call: Callable[[], T]) -> T:
        with gitlab_errors(what):
            return call()

    def rows(self, manager: Any, **filters: Any) -> list[dict[str, Any]]:
        """Every row of a listing as plain dicts, 100 a page, following python-gitlab's pagination.

        `manager.list()` would build a RESTObject per row, deep-copying it and creating its
        sub-managers: for 25,000 issues most of a sync's CPU. Rows are only read here, so the
        manager's path and python-gitlab's `http_list` (pages, retries, errors) suffice.
        """
        query = {k: ",".join(v) if isinstance(v, list) else v for k, v in filters.items()}
        query["per_page"] = 100  # http_list, unlike manager.list(), does not add the client's
        rows = self.gl.http_list(manager.path, query, iterator=True, max_retries=self.max_retries)
        return list(rows)  # type: ignore[arg-type]

    def create_once(self, what: str, create: Callable[[], T], find: Callable[[], T | None]) -> T:
        """Create; after a transient failure, look for the object before creating it again.

        The failed request may have reached GitLab, so a blind retry could duplicate it. If the
        look-up itself fails, the error is raised: not knowing, it is not safe to retry.
        """
        delay = 0.1
        for attempt in range(self.max_retries + 1):
            with gitlab_errors(what):
                try:
                    return self.own(create(), created=True)
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

    def own(self, written: T, created: bool = False) -> T:
        """Remember the version of an issue or epic this run created (and then edited)."""
        url, version = getattr(written, "web_url", ""), getattr(written, "updated_at", "")
        if url and version and (created or url in self.own_versions):
            self.own_versions[url] = version
        return written

    def current_user(self) -> User:
        """The token's user, read once per run (the run's first request: its `Date` header
        is GitLab's clock at the start of the run, kept as `server_time`)."""
        if self._me is None:

            def call() -> User:
                try:
                    response = self.gl.http_request("get", "/user")
                except gitlab.GitlabHttpError as err:
                    if err.response_code != 404:
                        raise
                    raise GitLabError(  # every GitLab answers /user for a token: not a GitLab
                        f"{self.gl.url} does not look like a GitLab API: {self.gl.api_url}/user "
                        "answered 404 Not Found. Check the address (GITLAB_URL, else gitlab.url "
                        "in accred.yml, else CI_SERVER_URL): the GitLab's own address, such as "
                        "https://gitlab.example.com"
                    ) from None
                with contextlib.suppress(TypeError, ValueError):
                    self.server_time = parsedate_to_datetime(response.headers.get("Date", ""))
                data = response.json()
                return User(data["id"], data["username"])

            self._me = self.read("reading the token's user", call)
        return self._me

    def clock(self) -> dt.datetime:
        """GitLab's clock now: the `Date` of one answer (the token's user, a tiny request)."""

        def call() -> dt.datetime:
            response = self.gl.http_request("get", "/user")
            return parsedate_to_datetime(response.headers.get("Date", ""))

        return self.read("reading GitLab's clock", call)

    def graphql(
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
