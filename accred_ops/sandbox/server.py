"""HTTP for the sandbox: faults, auth, rate limits, routing, pagination and the request log.

Order per request, as a client of GitLab would experience it: injected latency; an outage or
an injected failure answers before anything else (the world is untouched); then the route
(404/405), the token (401), the rate limits (429), and the handler, run under the world lock
together with any armed connection drop so that "the k-th write" is well defined.
"""

from __future__ import annotations

import contextlib
import copy
import email.utils
import json
import socket
import threading
import time
import traceback
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from accred_ops.sandbox import graphql, hooks, pages, routes
from accred_ops.sandbox.context import Ctx, Listing
from accred_ops.sandbox.faults import RATE_LIMITED, REASONS, Faults, RateLimiter, RequestRecord
from accred_ops.sandbox.params import Params
from accred_ops.sandbox.world import ApiError, World

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_TOTAL_HEADERS = 10_000  # GitLab omits X-Total, X-Total-Pages and rel="last" above this


def parse_pairs(pairs: list[tuple[str, str]]) -> Params:
    """`a=1&ids[]=1&ids[]=2` → {"a": "1", "ids": ["1", "2"]}."""
    params: Params = {}
    for key, value in pairs:
        if key.endswith("[]"):
            params.setdefault(key[:-2], []).append(value)
        else:
            params[key] = value
    return params


def paginate(
    listing: Listing, params: Params, base: str, raw_path: str, raw_query: str
) -> tuple[list[Any], dict[str, str]]:
    """One page of a list and GitLab's offset-pagination headers (facts §2)."""
    try:
        page = max(1, int(params.get("page") or 1))
        per_page = min(100, max(1, int(params.get("per_page") or 20)))
    except ValueError:
        raise ApiError(400, {"error": "page is invalid"}) from None
    total = len(listing.items)
    pages = max(1, -(-total // per_page))
    rows = [listing.render(item) for item in listing.items[(page - 1) * per_page : page * per_page]]
    kept = [
        (k, v)
        for k, v in parse_qsl(raw_query, keep_blank_values=True)
        if k not in ("page", "per_page")
    ]

    def link(number: int, rel: str) -> str:
        query = urlencode([*kept, ("page", number), ("per_page", per_page)])
        return f'<{base}{raw_path}?{query}>; rel="{rel}"'

    links = [link(page - 1, "prev")] if 1 < page <= pages + 1 else []
    links += [link(page + 1, "next")] if page < pages else []
    links.append(link(1, "first"))
    headers = {
        "X-Page": str(page),
        "X-Per-Page": str(per_page),
        "X-Next-Page": str(page + 1) if page < pages else "",
        "X-Prev-Page": str(page - 1) if 1 < page <= pages + 1 else "",
    }
    if total <= MAX_TOTAL_HEADERS:
        links.append(link(pages, "last"))
        headers |= {"X-Total": str(total), "X-Total-Pages": str(pages)}
    headers["Link"] = ", ".join(links)
    return rows, headers


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 serving one world."""

    def __init__(self, world: World, faults: Faults) -> None:
        self.world = world
        self.faults = faults
        self.limiter = RateLimiter()
        self.hooks = hooks.Deliverer()
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self, port: int = 0) -> str:
        if self._httpd is not None:
            return self.url
        handler = type("SandboxHandler", (_Handler,), {"app": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.world.base_url = self.url
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def record(self, entry: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(entry)

    def log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self._log_lock:
            self._log.clear()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so every answer carries Content-Length
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid 40 ms stalls
    app: Server
    _head = False  # a HEAD request: answer as GET, without the body

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the sandbox keeps its own request log."""

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The `Date` header on the world's clock (which tests move), as GitLab's is on its own."""
        return email.utils.format_datetime(self.app.world.now(), usegmt=True)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        """Rack answers HEAD on every GET route like GET, without the body."""
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, asked: str) -> None:
        started = time.time()
        self._head = asked == "HEAD"
        method = "GET" if self._head else asked
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        query = parse_pairs(parse_qsl(url.query, keep_blank_values=True))
        with self.app.world.lock:  # name the caller in the log even when a fault answers
            caller = self.app.world.user_by_token(self._token())
        is_write = method in WRITES
        if url.path.rstrip("/") == "/api/graphql":  # a GraphQL query reads; a mutation writes
            with contextlib.suppress(ApiError):
                is_write = graphql.is_mutation(self._body(raw))
        self._record = RequestRecord(
            asked,
            unquote(url.path),
            query,
            0,
            is_write,
            caller and caller.username,
            started,
        )
        try:
            self._serve(method, url.path, url.query, query, raw)
        except ApiError as err:
            self._send(err.status, err.body)

    def _serve(self, method: str, raw_path: str, raw_query: str, query: Params, raw: bytes) -> None:
        app, faults = self.app, self.app.faults
        is_write = self._record.is_write
        if faults.latency:
            time.sleep(faults.latency)
        if faults.down:
            return self._send(503, {"message": "503 Service Unavailable"}, {"Retry-After": "0"})
        rule = faults.failure_for(method, self._record.path, is_write)
        if rule:
            body: Any = {"message": RATE_LIMITED} if rule.status == 429 else None
            body = body or {"message": f"{rule.status} {REASONS.get(rule.status, 'Error')}"}
            wait = (
                {"Retry-After": rule.retry_after}
                if rule.status == 429 or rule.status >= 500
                else {}
            )
            return self._send(rule.status, body, wait)
        if method == "GET" and not raw_path.startswith("/api/"):  # read-only pages, no token
            with app.world.lock:
                status, page, headers = pages.serve(app.world, raw_path, query)
            return self._send(status, page, headers)
        try:
            handler, args = routes.resolve(method, raw_path)
        except routes.NoRoute as err:
            return self._send(
                err.status,
                {"error": f"{err.status} {'Not Found' if err.status == 404 else 'Not Allowed'}"},
            )
        user = self._authenticate()
        limited, rate_headers = app.limiter.hit(
            faults.rate_limits, user.username, ["api", routes.LIMITS.get(handler, "")]
        )
        if limited == "api":  # Rack::Attack's throttle answers in plain text
            return self._send(429, "Retry later\n", rate_headers)
        if limited:
            return self._send(429, {"message": RATE_LIMITED}, rate_headers)
        params = {**query, **self._body(raw)}
        with app.world.lock:
            drop = faults.pending_drop() if is_write else None
            saved = copy.deepcopy(app.world.state) if drop and not drop.applied else None
            was = hooks.before(app.world, handler, args, user) if is_write else None
            status, payload, headers = self._run(
                handler, args, Ctx(app.world, user, params), raw_path, raw_query
            )
            if is_write and status < 400:
                faults.write_done(dropped=drop is not None)
                if drop is not None:
                    if saved is not None:
                        app.world.state = saved
                    return self._drop()
                for hook, event, body in hooks.events(app.world, handler, user, was, payload):
                    app.hooks.send(hook, event, body)  # queued: delivered after this answer
        self._send(status, payload, {**headers, **rate_headers})

    def _token(self) -> str:
        """`PRIVATE-TOKEN`, or `Authorization: Bearer` (what python-gitlab sends for OAuth)."""
        token = self.headers.get("PRIVATE-TOKEN") or ""
        auth = self.headers.get("Authorization") or ""
        if not token and auth.lower().startswith("bearer "):
            token = auth[7:].strip()
        return token

    def _authenticate(self) -> Any:
        token = self._token()
        user = self.app.world.user_by_token(token) if token else None
        if user is None:
            raise ApiError(401, {"message": "401 Unauthorized"})
        return user

    def _body(self, raw: bytes) -> Params:
        if not raw.strip():
            return {}
        kind = self.headers.get("Content-Type") or ""
        text = raw.decode("utf-8", errors="replace")
        if "json" in kind or text.lstrip()[:1] in ("{", "["):
            try:
                data = json.loads(text)
            except ValueError:
                raise ApiError(400, {"error": "400 Bad request - invalid JSON"}) from None
            if not isinstance(data, dict):
                raise ApiError(400, {"error": "400 Bad request - body must be an object"})
            return {k.removesuffix("[]"): v for k, v in data.items()}
        return parse_pairs(parse_qsl(text, keep_blank_values=True))

    def _run(
        self, handler: routes.Handler, args: list[str], ctx: Ctx, raw_path: str, raw_query: str
    ) -> tuple[int, Any, dict[str, str]]:
        try:
            reply = handler(ctx, *args)
            if isinstance(reply, Listing):
                rows, headers = paginate(reply, ctx.params, self.app.url, raw_path, raw_query)
                return 200, rows, headers
            return reply[0], reply[1], {}
        except ApiError as err:
            return err.status, err.body, {}
        except Exception:  # a sandbox bug: say so loudly, answer like GitLab would
            traceback.print_exc()
            return 500, {"message": "500 Internal Server Error"}, {}

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self.app.record(replace(self._record, status=status))
        self.send_response(status)
        if status != 204:
            is_text = isinstance(body, str)
            data = body.encode() if is_text else json.dumps(body).encode()
            if "Content-Type" not in (headers or {}):
                self.send_header("Content-Type", "text/plain" if is_text else "application/json")
            self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if status != 204 and not self._head:
            self.wfile.write(data)

    def _drop(self) -> None:
        """Close the connection without an answer: the client sees a connection error."""
        self.app.record(replace(self._record, status=0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
