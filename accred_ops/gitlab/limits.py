"""Client-side rate limiting, so a large run stays under GitLab's limits instead of meeting 429s.

GitLab.com allows an authenticated user 2,000 API requests a minute, 200 issue (and epic)
creations and 60 comments on issues a minute (see the facts sheet). `RateLimiter` keeps a sliding
one-minute window per kind of request and makes a caller wait for a free slot; `LimitedSession`
puts every HTTP request python-gitlab sends (pages and retries included) through it.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

# Seconds to wait for a TCP connection: GitLab answers in milliseconds, and an unreachable
# address must fail fast rather than after python-gitlab's retries (10 with backoff: 1 min 43 s).
CONNECT_TIMEOUT = 2.5
CONNECT_ATTEMPTS = 2  # in a row, before the run gives up on the address

GITLAB_COM = {"api": 2000, "issues": 200, "notes": 60}

_CREATES_ISSUE = re.compile(r"/(issues|epics)/?$")
_CREATES_NOTE = re.compile(r"/notes/?$")


def kinds(method: str, url: str) -> tuple[str, ...]:
    """Which limits a request counts against."""
    path = url.split("?", 1)[0]
    if method.upper() == "POST" and _CREATES_ISSUE.search(path):
        return ("api", "issues")
    if method.upper() == "POST" and _CREATES_NOTE.search(path):
        return ("api", "notes")
    return ("api",)


class RateLimiter:
    """Sliding one-minute windows per kind, shared by every thread of a run."""

    def __init__(
        self,
        per_minute: Mapping[str, int],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_minute = {k: v for k, v in per_minute.items() if v}
        self.clock = clock
        self.sleep = sleep
        self.sent: dict[str, deque[float]] = {kind: deque() for kind in self.per_minute}
        self.lock = threading.Lock()
        self.waited = 0.0
        # told when a wait of a second or more begins (the CLI prints it on stderr), so a run
        # that pauses at its limit says why instead of going quiet; once per wait, not per thread
        self.on_wait: Callable[[str], None] | None = None
        self._quiet_until = 0.0

    def _wait_needed(self, wanted: tuple[str, ...], now: float) -> float:
        wait = 0.0
        for kind in wanted:
            if kind not in self.per_minute:
                continue
            window = self.sent[kind]
            while window and now - window[0] >= 60:
                window.popleft()
            if len(window) >= self.per_minute[kind]:
                wait = max(wait, 60 - (now - window[0]))
        return wait

    def acquire(self, wanted: tuple[str, ...]) -> None:
        """Block until one more request of these kinds fits in every window, then count it."""
        while True:
            with self.lock:
                now = self.clock()
                wait = self._wait_needed(wanted, now)
                if wait <= 0:
                    for kind in wanted:
                        if kind in self.sent:
                            self.sent[kind].append(now)
                    return
                self.waited += wait
                if self.on_wait and wait >= 1 and now >= self._quiet_until:
                    self._quiet_until = now + wait
                    full = [
                        k for k in wanted if k in self.per_minute and self._wait_needed((k,), now)
                    ]
                    what = ", ".join(f"{self.per_minute[k]} {k} requests" for k in full)
                    self.on_wait(
                        f"waiting {wait:.0f} s: the client rate limit ({what} a minute; "
                        "gitlab.rate_limits in accred.yml) is reached"
                    )
            self.sleep(wait)


class Unreachable(requests.RequestException):
    """No connection could be made to GitLab at all (refused, unknown name, no answer).

    Not a `requests.ConnectionError`, so python-gitlab does not retry it: a dropped connection
    mid-answer is worth retrying, an address that never answers is not.
    """

    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"{url}: {why}")
        self.url = url
        self.why = why


def connect_failure(err: requests.RequestException) -> str | None:
    """Why no connection was made, in words, or None when the connection was made and lost."""
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return f"no answer within {CONNECT_TIMEOUT:g} s"
    reason = getattr(err.args[0] if err.args else None, "reason", None)
    if isinstance(reason, urllib3.exceptions.NameResolutionError):
        return "the host name does not resolve"
    if isinstance(reason, urllib3.exceptions.NewConnectionError):
        return "the connection was refused"
    return None


class LimitedSession(requests.Session):
    """A requests session that waits for the limiter before each request, pooled for threads;
    it fails fast (`Unreachable`) when the address accepts no connection."""

    def __init__(self, limiter: RateLimiter, pool_size: int) -> None:
        super().__init__()
        self.failed_connects = 0
        self.limiter = limiter
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(10, pool_size))
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:  # type: ignore[override]
        self.limiter.acquire(kinds(str(method), str(url)))
        timeout = kwargs.get("timeout")
        if isinstance(timeout, int | float):
            kwargs["timeout"] = (min(CONNECT_TIMEOUT, timeout), timeout)
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.ConnectionError as err:
            why = connect_failure(err)
            if why is None:
                raise
            self.failed_connects += 1
            if self.failed_connects >= CONNECT_ATTEMPTS:
                base = str(url).split("/api/v4", 1)[0]
                raise Unreachable(base, why) from None
            raise
        self.failed_connects = 0
        if response.status_code == 429 and self.limiter.on_wait:
            after = response.headers.get("Retry-After") or response.headers.get("RateLimit-Reset")
            self.limiter.on_wait(
                "GitLab answered 429 Too Many Requests: waiting"
                + (f" {after} s (Retry-After)" if after else "")
                + " before trying again"
            )
        return response
