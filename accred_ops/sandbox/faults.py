"""Things going wrong on purpose: latency, failing requests, dropped connections, a crashed
client, and GitLab's rate limits; plus the request log record. All thread-safe."""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate

RATE_LIMITED = {"error": "This endpoint has been requested too many times. Try again later."}
REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway"}
REASONS |= {503: "Service Unavailable", 504: "Gateway Timeout", 409: "Conflict"}
THROTTLE_NAMES = {"api": "throttle_authenticated_api"}


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str  # percent-decoded, without the query string
    query: dict[str, str | list[str]]
    status: int  # 0 when the connection was dropped without an answer
    is_write: bool  # POST, PUT, PATCH or DELETE
    username: str | None
    started: float  # time.time() when the request arrived


@dataclass
class _Rule:
    status: int
    times: int
    method: str | None
    path: re.Pattern[str] | None
    writes_only: bool
    retry_after: str
    after: int

    def matches(self, method: str, path: str, is_write: bool) -> bool:
        if self.method and self.method.upper() != method:
            return False
        if self.writes_only and not is_write:
            return False
        return not self.path or bool(self.path.search(path))


@dataclass
class _Armed:
    remaining: int  # successful writes to let through before the chosen one
    applied: bool
    crash: bool


class Faults:
    """Set by tests; read by the server on every request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latency = 0.0
        self.rate_limits: dict[str, int] | None = None
        self._rules: list[_Rule] = []
        self._armed: _Armed | None = None
        self.down = False

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        writes_only: bool = False,
        retry_after: int | str | None = None,
        after: int = 0,
    ) -> None:
        """The next `times` matching requests (after skipping `after`) answer `status`."""
        pattern = re.compile(path) if path else None
        wait = "0" if retry_after is None else str(retry_after)
        with self._lock:
            self._rules.append(_Rule(status, times, method, pattern, writes_only, wait, after))

    def drop(self, *, nth_write: int, applied: bool) -> None:
        """The nth successful write from now is applied (or not), then its connection closed."""
        with self._lock:
            self._armed = _Armed(nth_write, applied, crash=False)

    def crash_at_write(self, k: int, applied: bool = True) -> None:
        """Like `drop`, then the server is down (503) for everything until `clear()`."""
        with self._lock:
            self._armed = _Armed(k, applied, crash=True)

    def clear(self) -> None:
        """Back to normal: no latency, failures, pending drop, outage or rate limits."""
        with self._lock:
            self._rules, self._armed, self.down = [], None, False
            self.latency, self.rate_limits = 0.0, None

    # --- used by the server -------------------------------------------------------------------

    def failure_for(self, method: str, path: str, is_write: bool) -> _Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.times <= 0 or not rule.matches(method, path, is_write):
                    continue
                if rule.after > 0:
                    rule.after -= 1
                    continue
                rule.times -= 1
                return rule
            return None

    def pending_drop(self) -> _Armed | None:
        """The armed drop if the next successful write is the chosen one."""
        with self._lock:
            return self._armed if self._armed and self._armed.remaining <= 1 else None

    def write_done(self, *, dropped: bool) -> None:
        with self._lock:
            if self._armed is None:
                return
            if dropped:
                self.down = self.down or self._armed.crash
                self._armed = None
            else:
                self._armed.remaining -= 1


class RateLimiter:
    """Per user and per limit, fixed one-minute windows on the monotonic clock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()

    def hit(
        self, limits: dict[str, int] | None, user: str, kinds: list[str]
    ) -> tuple[str | None, dict[str, str]]:
        """Count a request; returns (name of the limit exceeded or None, headers to send)."""
        if not limits:
            return None, {}
        now = time.monotonic()
        with self._lock:
            state = {}
            for kind in kinds:
                if not limits.get(kind):
                    continue
                start, count = self._windows.get((user, kind), (now, 0))
                if now - start >= 60:
                    start, count = now, 0
                state[kind] = (start, count)
            blocked = next((k for k, (_, c) in state.items() if c >= limits[k]), None)
            if blocked is None:
                for kind, (start, count) in state.items():
                    self._windows[(user, kind)] = (start, count + 1)
            shown = blocked or ("api" if "api" in state else next(iter(state), None))
            if shown is None:
                return None, {}
            start, count = state[shown]
            observed = count if blocked else count + 1
            return blocked, _headers(limits[shown], observed, start + 60 - now, shown, blocked)


def _headers(
    limit: int, observed: int, wait: float, kind: str, blocked: str | None
) -> dict[str, str]:
    reset = time.time() + wait
    headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Observed": str(observed),
        "RateLimit-Remaining": str(max(0, limit - observed)),
        "RateLimit-Reset": str(math.ceil(reset)),
        "RateLimit-ResetTime": formatdate(reset, usegmt=True),
    }
    if blocked:
        headers["RateLimit-Name"] = THROTTLE_NAMES.get(kind, kind)
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return headers
