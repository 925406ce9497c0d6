"""HTTP for the sandbox: auth, routing, pagination headers, faults, rate limits, the request log."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from accred_ops.sandbox import endpoints  # noqa: F401  (registers the routes)
from accred_ops.sandbox.api import ROUTES, ApiError, Call
from accred_ops.sandbox.store import Forbidden, NotFound, World

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    query: dict[str, Any]
    status: int
    is_write: bool
    username: str | None
    started: float


@dataclass
class _Rule:
    status: int
    times: int
    method: str | None
    path: str | None
    writes_only: bool
    retry_after: str
    after: int


@dataclass
class Faults:
    """What tests inject: latency, failures, dropped connections, a crash, rate limits."""

    latency: float = 0.0
    rate_limits: dict[str, int] = field(default_factory=dict)
    rules: list[_Rule] = field(default_factory=list)
    drop_at: tuple[int, bool] | None = None  # (nth write from now, applied)
    crash: bool = False  # after the drop: every request answers 503 until clear()
    crash_after_drop: bool = False
    writes_seen: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        writes_only: bool = False,
        retry_after: int | None = None,
        after: int = 0,
    ) -> None:
        with self.lock:
            self.rules.append(
                _Rule(
                    status,
                    times,
                    method,
                    path,
                    writes_only,
                    str(retry_after if retry_after is not None else 0),
                    after,
                )
            )

    def drop(self, *, nth_write: int, applied: bool) -> None:
        with self.lock:
            self.drop_at, self.writes_seen, self.crash_after_drop = (nth_write, applied), 0, False

    def crash_at_write(self, k: int, applied: bool = True) -> None:
        with self.lock:
            self.drop_at, self.writes_seen, self.crash_after_drop = (k, applied), 0, True

    def clear(self) -> None:
        with self.lock:
            self.rules, self.drop_at, self.crash, self.crash_after_drop, self.latency = (
                [],
                None,
                False,
                False,
                0.0,
            )

    def _rule_for(self, method: str, path: str) -> _Rule | None:
        import re

        for rule in self.rules:
            if (
                rule.times <= 0
                or (rule.method and rule.method != method)
                or (rule.writes_only and method not in WRITES)
            ):
                continue
            if rule.path and not re.search(rule.path, path):
                continue
            if rule.after > 0:
                rule.after -= 1
                continue
            rule.times -= 1
            return rule
        return None


class _Limiter:
    """Per user, per minute, fixed windows: GitLab's throttles as 429 with Retry-After."""

    def __init__(self) -> None:
        self.windows: dict[tuple[str, str], tuple[float, int]] = {}

    def hit(
        self, limits: dict[str, int], user: str, kinds: list[str]
    ) -> tuple[bool, dict[str, str]]:
        now = time.monotonic()
        headers: dict[str, str] = {}
        for kind in kinds:
            limit = limits.get(kind)
            if not limit:
                continue
            start, count = self.windows.get((user, kind), (now, 0))
            if now - start >= 60:
                start, count = now, 0
            reset = start + 60
            headers = {
                "RateLimit-Limit": str(limit),
                "RateLimit-Remaining": str(max(0, limit - count - 1)),
                "RateLimit-Reset": str(int(time.time() + reset - now)),
            }
            if count >= limit:
                headers.update(
                    {
                        "Retry-After": str(max(1, int(reset - now + 0.999))),
                        "RateLimit-Observed": str(count),
                        "RateLimit-Remaining": "0",
                        "RateLimit-Name": f"throttle_{kind}",
                    }
                )
                return False, headers
            self.windows[(user, kind)] = (start, count + 1)
        return True, headers


class Server:
    """Serves one World over HTTP on 127.0.0.1, thread per connection, one lock for the world."""

    def __init__(self, world: World, faults: Faults) -> None:
        self.world = world
        self.faults = faults
        self.lock = threading.RLock()
        self.log: list[RequestRecord] = []
        self.limiter = _Limiter()
        handler = type("Handler", (_Handler,), {"server_ref": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread: threading.Thread | None = None

    def start(self, port: int = 0) -> str:
        if port:
            self.httpd.server_close()
            handler = self.httpd.RequestHandlerClass
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
            self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def paginate(call: Call, items: list[Any], url: str) -> tuple[list[Any], dict[str, str]]:
    page = max(1, int(call.param("page", 1) or 1))
    per_page = min(100, max(1, int(call.param("per_page", 20) or 20)))
    total = len(items)
    pages = max(1, -(-total // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]

    def link(n: int) -> str:
        return f"{call.base_url}{parts.path}?{urlencode([*query, ('page', n)])}"

    links = []
    if page > 1:
        links.append(f'<{link(page - 1)}>; rel="prev"')
    if page < pages:
        links.append(f'<{link(page + 1)}>; rel="next"')
    links.append(f'<{link(1)}>; rel="first"')
    headers = {
        "X-Page": str(page),
        "X-Per-Page": str(per_page),
        "X-Next-Page": str(page + 1) if page < pages else "",
        "X-Prev-Page": str(page - 1) if page > 1 else "",
    }
    if total <= 10_000:
        links.append(f'<{link(pages)}>; rel="last"')
        headers.update({"X-Total": str(total), "X-Total-Pages": str(pages)})
    headers["Link"] = ", ".join(links)
    return chunk, headers


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_ref: Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every request on loopback.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the request log is ours
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _params(self, query: str) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            if key.endswith("[]"):
                params.setdefault(key, []).append(value)
            else:
                params[key] = value
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if raw:
            if "json" in (self.headers.get("Content-Type") or ""):
                try:
                    body = json.loads(raw)
                except ValueError:
                    raise ApiError(400, {"error": "400 Bad request - invalid JSON"}) from None
                if isinstance(body, dict):
                    params.update(body)
            else:
                params.update(dict(parse_qsl(raw.decode(), keep_blank_values=True)))
        return params

    def _serve(self, method: str) -> None:
        server = self.server_ref
        faults = server.faults
        started = time.monotonic()
        parts = urlsplit(self.path)
        is_write = method in WRITES
        username: str | None = None
        if faults.latency:
            time.sleep(faults.latency)
        try:
            params = self._params(parts.query)
        except ApiError as err:
            self._send(err.status, err.body, {}, method, parts.path, {}, username, started)
            return
        token = (
            self.headers.get("PRIVATE-TOKEN")
            or (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        )
        with server.lock:
            user = server.world.user_by_token(token) if token else None
            username = user.username if user else None
            with faults.lock:
                if faults.crash:
                    self._send(
                        503,
                        {"message": "503 Service Unavailable"},
                        {"Retry-After": "0"},
                        method,
                        parts.path,
                        params,
                        username,
                        started,
                    )
                    return
                rule = faults._rule_for(method, parts.path)
                drop = None
                if is_write and faults.drop_at:
                    faults.writes_seen += 1
                    if faults.writes_seen == faults.drop_at[0]:
                        drop, faults.drop_at = faults.drop_at, None
            if rule:
                body = (
                    {
                        "message": {
                            "error": "This endpoint has been requested too many times. Try again later."
                        }
                    }
                    if rule.status == 429
                    else {"message": f"{rule.status} {_reason(rule.status)}"}
                )
                self._send(
                    rule.status,
                    body,
                    {"Retry-After": rule.retry_after},
                    method,
                    parts.path,
                    params,
                    username,
                    started,
                )
                return
            if user is None:
                self._send(
                    401,
                    {"message": "401 Unauthorized"},
                    {},
                    method,
                    parts.path,
                    params,
                    username,
                    started,
                )
                return
            allowed, rate_headers = server.limiter.hit(
                faults.rate_limits, user.username, _limit_kinds(method, parts.path)
            )
            if not allowed:
                body = {
                    "message": {
                        "error": "This endpoint has been requested too many times. Try again later."
                    }
                }
                self._send(429, body, rate_headers, method, parts.path, params, username, started)
                return
            if drop is not None and not drop[1]:
                self._drop(method, parts.path, params, username, started)
                return
            status, body, headers = self._dispatch(method, parts.path, params, user)
            if drop is not None:
                self._drop(method, parts.path, params, username, started)
                return
        self._send(
            status, body, {**headers, **rate_headers}, method, parts.path, params, username, started
        )

    def _dispatch(
        self, method: str, path: str, params: dict[str, Any], user: Any
    ) -> tuple[int, Any, dict[str, str]]:
        server = self.server_ref
        call = Call(server.world, user, [], params, server.url)
        for route_method, pattern, handler in ROUTES:
            match = pattern.match(path)
            if match and route_method == method:
                call.args = list(match.groups())
                try:
                    status, body = handler(call)
                except ApiError as err:
                    return err.status, err.body, {}
                except NotFound as err:
                    return 404, {"message": str(err)}, {}
                except Forbidden:
                    return 403, {"message": "403 Forbidden"}, {}
                if method == "GET" and isinstance(body, list):
                    body, headers = paginate(call, body, self.path)
                    return status, body, headers
                return status, body, {}
        return 404, {"error": "404 Not Found"}, {}

    def _drop(
        self, method: str, path: str, params: dict[str, Any], username: str | None, started: float
    ) -> None:
        server = self.server_ref
        if server.faults.crash_after_drop:
            server.faults.crash = True
        server.log.append(
            RequestRecord(method, path, params, 0, method in WRITES, username, started)
        )
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(2)

    def _send(
        self,
        status: int,
        body: Any,
        headers: dict[str, str],
        method: str,
        path: str,
        params: dict[str, Any],
        username: str | None,
        started: float,
    ) -> None:
        self.server_ref.log.append(
            RequestRecord(method, path, params, status, method in WRITES, username, started)
        )
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


def _reason(status: int) -> str:
    return {
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
        429: "Too Many Requests",
    }.get(status, "Error")


def _limit_kinds(method: str, path: str) -> list[str]:
    kinds = ["api"]
    if method == "POST" and (path.endswith("/issues") or path.endswith("/epics")):
        kinds.append("issues_create")
    if method == "POST" and path.endswith("/notes"):
        kinds.append("notes_create")
    return kinds


Echo = Callable[[str], None]
